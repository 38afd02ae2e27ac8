"""Evidence that outlives the web page: a story's page kept as a WARC file (the response as
received and the text extracted from it), content-addressed on disk, compared on re-checks,
cited, and bundled with checksums. A leaf package: the caller hands in the fetch function."""
