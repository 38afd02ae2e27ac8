"""Feed documents used by several tests."""

from __future__ import annotations

from datetime import UTC, datetime

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Kathmandu Daily</title><link>https://kathmandu-daily.example/</link><ttl>60</ttl>
<item>
  <title>Nepal asks Russia to return citizens recruited to fight in Ukraine</title>
  <link>https://www.kathmandu-daily.example/news/nepal-russia/?utm_source=rss&amp;utm_medium=feed</link>
  <guid isPermaLink="false">kd-1001</guid>
  <pubDate>Sat, 01 Mar 2025 08:30:00 +0545</pubDate>
  <description>&lt;p&gt;Kathmandu has asked Moscow to send back hundreds of Nepali nationals who joined the
  Russian army, after at least 12 were killed on the front line.&lt;/p&gt;</description>
</item>
<item>
  <title>Floods hit the Terai as monsoon arrives early</title>
  <link>https://kathmandu-daily.example/news/floods</link>
  <pubDate>Fri, 28 Feb 2025 18:00:00 GMT</pubDate>
  <description>Rivers burst their banks in three districts of the southern plains.</description>
</item>
</channel></rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire Service</title><link href="https://wire.example/"/>
  <id>urn:wire</id><updated>2025-03-01T10:00:00Z</updated>
  <entry>
    <title type="html">Nepal urges Moscow to send home &lt;b&gt;Nepalis&lt;/b&gt;
      serving in Russian army</title>
    <link href="https://m.wire.example/story/123?fbclid=abc&amp;gclid=def"/>
    <id>urn:wire:123</id>
    <updated>2025-03-01T09:45:00Z</updated>
    <summary>Nepal's foreign ministry called on Russia to repatriate Nepali citizens recruited into
    its military and fighting in Ukraine, saying 12 have died.</summary>
  </entry>
</feed>
"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF News</title><link>https://rdf.example/</link>
  </channel>
  <item rdf:about="https://rdf.example/a">
    <title>Sri Lanka arrests two retired soldiers over trafficking to Russia</title>
    <link>https://rdf.example/a</link>
    <dc:date>2025-03-01T07:00:00Z</dc:date>
    <description>Police in Colombo detained two former army officers.</description>
  </item>
</rdf:RDF>
"""

MALFORMED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>broken &bogus; </tit"
TRUNCATED = (
    b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>Cut short</title></item><item><tit"
)
NOT_A_FEED = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


def rss_with_items(*items: tuple[str, str, str]) -> bytes:
    """An RSS document with (title, link, description) items; values are raw XML text."""
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><description>{description}</description></item>"
        for title, link, description in items
    )
    prolog = '<?xml version="1.0" encoding="UTF-8"?>'
    return f'{prolog}<rss version="2.0"><channel><title>T</title>{body}</channel></rss>'.encode()


# An article page: navigation and footer around the text, a relative rel=canonical with tracking.
ARTICLE = """<!doctype html><html><head><title>Story</title>
<link rel="canonical" href="/news/nepal-russia?utm_source=x"></head>
<body><nav>Home | World</nav><article><h1>Nepal asks Russia to return its citizens</h1>
<p>Kathmandu has asked Moscow to send back hundreds of Nepali nationals who joined the Russian army.</p>
<p>At least 12 have been killed on the front line, the foreign ministry said on Saturday, and families
are demanding that the government act quickly to bring the rest of the men home from Ukraine.</p>
</article><footer>Copyright</footer></body></html>"""
