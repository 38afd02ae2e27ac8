"""Parsing: formats, encodings, odd Unicode and dates (hostile markup: tests/security)."""

from __future__ import annotations

import codecs
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest

from feeds.parse import FeedParseError, parse_feed
from feeds.settings import PollerSettings
from feeds.types import ParsedFeed
from tests.feeds.feeds_samples import ATOM, MALFORMED, NOT_A_FEED, NOW, RDF, RSS, TRUNCATED, rss_with_items
from textkit.language import LanguageDetector


def parse(body: bytes, detector: LanguageDetector, content_type: str | None = None) -> ParsedFeed:
    return parse_feed(
        body,
        url="https://feeds.example/rss",
        content_type=content_type,
        fetched_at=NOW,
        settings=PollerSettings(max_title_chars=120, max_summary_chars=400),
        detector=detector,
    )


def test_rss_feed(detector: LanguageDetector) -> None:
    feed = parse(RSS, detector, "application/rss+xml")
    assert (feed.title, feed.site_url, feed.ttl_minutes, feed.bozo_error) == (
        "Kathmandu Daily",
        "https://kathmandu-daily.example/",
        60,
        None,
    )
    first, second = feed.entries
    assert first.guid == "kd-1001"
    assert first.title == "Nepal asks Russia to return citizens recruited to fight in Ukraine"
    assert first.summary.startswith("Kathmandu has asked Moscow") and "<p>" not in first.summary
    assert first.canonical_url == "https://kathmandu-daily.example/news/nepal-russia"
    assert first.host == "kathmandu-daily.example"
    assert first.published_at == datetime(2025, 3, 1, 2, 45, tzinfo=UTC)
    assert first.language == "en" and first.fetched_at == NOW
    assert second.guid == "https://kathmandu-daily.example/news/floods"  # no <guid>: canonical link


def test_atom_feed(detector: LanguageDetector) -> None:
    (entry,) = parse(ATOM, detector).entries
    assert entry.title == "Nepal urges Moscow to send home Nepalis serving in Russian army"
    assert entry.guid == "urn:wire:123"
    assert entry.canonical_url == "https://wire.example/story/123"
    assert entry.published_at == datetime(2025, 3, 1, 9, 45, tzinfo=UTC)


def test_rdf_feed(detector: LanguageDetector) -> None:
    feed = parse(RDF, detector)
    assert feed.title == "RDF News"
    assert [entry.url for entry in feed.entries] == ["https://rdf.example/a"]


@pytest.mark.parametrize("body", [MALFORMED, NOT_A_FEED, b"", b"\x00\xff\xfe garbage"])
def test_documents_without_entries_are_parse_errors(body: bytes, detector: LanguageDetector) -> None:
    with pytest.raises(FeedParseError):
        parse(body, detector)


def test_bozo_feed_with_entries_is_used_and_error_recorded(detector: LanguageDetector) -> None:
    feed = parse(TRUNCATED, detector)
    assert feed.bozo_error
    assert feed.entries[0].title == "Cut short"


def test_valid_empty_feed_is_not_an_error(detector: LanguageDetector) -> None:
    empty = b"<?xml version='1.0'?><rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    assert parse(empty, detector).entries == ()


RUSSIAN_TITLE = "Вербовщики отправили мигрантов на войну"
RUSSIAN_SUMMARY = "Семьи говорят, что мужчинам обещали работу на стройке, а затем отправили их на фронт."


def _russian_rss(encoding: str, *, declare_in_xml: bool) -> bytes:
    prolog = f'<?xml version="1.0" encoding="{encoding}"?>' if declare_in_xml else '<?xml version="1.0"?>'
    text = (
        f"{prolog}<rss version='2.0'><channel><title>Новости</title><item><title>{RUSSIAN_TITLE}</title>"
        f"<link>https://ru.example/1</link><description>{RUSSIAN_SUMMARY}</description></item></channel></rss>"
    )
    return text.encode(encoding)


@pytest.mark.parametrize("declare_in_xml", [True, False])
def test_windows_1251(detector: LanguageDetector, declare_in_xml: bool) -> None:
    body = _russian_rss("windows-1251", declare_in_xml=declare_in_xml)
    content_type = None if declare_in_xml else "application/rss+xml; charset=windows-1251"
    feed = parse(body, detector, content_type)
    (entry,) = feed.entries
    assert (feed.title, entry.title, entry.summary) == ("Новости", RUSSIAN_TITLE, RUSSIAN_SUMMARY)
    assert entry.language == "ru"


@pytest.mark.parametrize("declare_in_xml", [True, False])
def test_iso_8859_1(detector: LanguageDetector, declare_in_xml: bool) -> None:
    title = "Société: des Français recrutés pour combattre à l'étranger"
    prolog = '<?xml version="1.0" encoding="ISO-8859-1"?>' if declare_in_xml else '<?xml version="1.0"?>'
    body = f"{prolog}<rss version='2.0'><channel><item><title>{title}</title></item></channel></rss>"
    content_type = None if declare_in_xml else "text/xml; charset=ISO-8859-1"
    (entry,) = parse(body.encode("iso-8859-1"), detector, content_type).entries
    assert entry.title == title


def test_odd_unicode_is_cleaned_but_scripts_and_emoji_survive(detector: LanguageDetector) -> None:
    title = "\u202eevil\u202c مرحبا بالعالم \u200bzero\u200bwidth 👨\u200d👩\u200d👧 e\u0301\x07"
    (entry,) = parse(rss_with_items((title, "https://x.example/u", "")), detector).entries
    assert entry.title == "evil مرحبا بالعالم zerowidth 👨\u200d👩\u200d👧 é"


def test_lengths_are_capped(detector: LanguageDetector) -> None:
    long_words = " ".join(["recruitment"] * 200)
    (entry,) = parse(rss_with_items((long_words, "https://x.example/l", long_words)), detector).entries
    assert len(entry.title) <= 120 and entry.title.endswith("…")
    assert len(entry.summary) <= 400


def test_dates_missing_or_in_the_future_fall_back_to_fetch_time(detector: LanguageDetector) -> None:
    future = (NOW + timedelta(days=3)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    body = (
        "<?xml version='1.0'?><rss version='2.0'><channel>"
        f"<item><title>future</title><pubDate>{future}</pubDate></item>"
        "<item><title>undated</title></item>"
        "<item><title>garbage date</title><pubDate>yesterday-ish</pubDate></item>"
        "</channel></rss>"
    ).encode()
    entries = parse(body, detector).entries
    assert [entry.published_at for entry in entries] == [NOW, NOW, NOW]
    assert all(entry.published_at.tzinfo is UTC for entry in entries)


def test_entry_without_id_or_link_gets_a_content_hash_guid(detector: LanguageDetector) -> None:
    (entry,) = parse(rss_with_items(("Only a title", "", "")), detector).entries
    assert entry.guid == f"sha256:{entry.content_hash}" and entry.url is None


def test_plain_text_fields_keep_what_looks_like_markup(detector: LanguageDetector) -> None:
    """type="text" (and RSS text that is not HTML) is text: its brackets are characters, not tags."""
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Tags &lt;b&gt; and AT&amp;T</title>
  <entry><title type="text">x&lt;y and y&gt;z</title><id>urn:1</id>
    <summary type="text">If a&lt;b and b&gt;c then a&lt;c, &amp;amp; so on</summary></entry>
  <entry><title type="html">x&amp;lt;y and &lt;b&gt;bold&lt;/b&gt;</title><id>urn:2</id>
    <content type="text">Plain &lt;i&gt; content</content></entry>
  <entry><title>Declared text, yet &lt;b&gt;HTML&lt;/b&gt;</title><id>urn:3</id></entry>
</feed>"""
    feed = parse(atom, detector)
    plain, html, misdeclared = feed.entries
    assert feed.title == "Tags <b> and AT&T"
    assert (plain.title, plain.summary) == ("x<y and y>z", "If a<b and b>c then a<c, &amp; so on")
    assert (html.title, html.summary) == ("x<y and bold", "Plain <i> content")
    assert misdeclared.title == "Declared text, yet HTML"  # a closing tag: markup after all
    (rss,) = parse(rss_with_items(("x&lt;y and y&gt;z", "https://x.example/p", "")), detector).entries
    assert rss.title == "x<y and y>z"


def test_escaped_cdata_sections_keep_their_text(detector: LanguageDetector) -> None:
    """Markup escaped around a CDATA section (a feed that wraps twice) is unwrapped, not dropped."""
    rss = rss_with_items(
        (
            "&lt;![CDATA[Recruiters arrested]]&gt;",
            "https://x.example/c",
            "&lt;![CDATA[&lt;p&gt;Two men &lt;b&gt;held&lt;/b&gt; in Kathmandu&lt;/p&gt;]]&gt;",
        )
    )
    (entry,) = parse(rss, detector).entries
    assert (entry.title, entry.summary) == ("Recruiters arrested", "Two men held in Kathmandu")
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>urn:c</id>
      <title type="html">&lt;![CDATA[Agents &lt;i&gt;charged&lt;/i&gt;]]&gt;</title></entry></feed>"""
    assert parse(atom, detector).entries[0].title == "Agents charged"


@pytest.mark.parametrize(
    ("bom", "encoding", "content_type"),
    [
        (codecs.BOM_UTF8, "utf-8", "application/rss+xml; charset=windows-1251"),
        (codecs.BOM_UTF8, "utf-8", "text/xml; charset=iso-8859-1"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "text/xml; charset=iso-8859-1"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "application/xml; charset=utf-8"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "application/rss+xml; charset=utf-16"),
    ],
)
def test_a_byte_order_mark_wins_over_a_wrong_http_charset(
    detector: LanguageDetector, bom: bytes, encoding: str, content_type: str
) -> None:
    body = bom + _russian_rss("utf-8", declare_in_xml=False).decode().encode(encoding)
    (entry,) = parse(body, detector, content_type).entries
    assert (entry.title, entry.summary, entry.language) == (RUSSIAN_TITLE, RUSSIAN_SUMMARY, "ru")


@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        (
            "<?xml version='1.0'?><rss version='2.0'><channel><title>Новости</title></channel></rss>",
            None,
            "Новости",
        ),
        ("<rss version='2.0'><channel><title>News</title></channel></rss>", "text/plain", "News"),
    ],
)
def test_an_empty_feed_flagged_only_for_its_encoding_or_media_type_is_not_an_error(
    detector: LanguageDetector, body: str, content_type: str | None, title: str
) -> None:
    """feedparser notes a guessed encoding or a non-XML media type as bozo; the feed itself is fine."""
    feed = parse(body.encode("koi8-r"), detector, content_type)
    assert (feed.title, feed.entries) == (title, ()) and feed.bozo_error


FEEDPARSER_CORPUS = Path(__file__).parent / "data" / "feedparser"
_SERVED_AS = re.compile(rb"^\s*Header:\s*Content-type:(.*)$", re.MULTILINE | re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
# illformed/chardet: legacy encodings that the document declares nowhere.
LEGACY_LANGUAGES = {
    "eucjp.xml": "ja",
    "euckr.xml": "ko",
    "gb2312.xml": "zh",
    "koi8r.xml": "ru",
    "shiftjis.xml": "ja",
}


def _has_words(value: str | None) -> bool:
    return bool(value and re.search(r"\w", _TAG.sub("", value)))


@pytest.mark.parametrize(
    "path",
    sorted(FEEDPARSER_CORPUS.rglob("*.xml")),
    ids=lambda path: str(path.relative_to(FEEDPARSER_CORPUS)),
)
def test_feedparsers_own_test_feeds(path: Path, detector: LanguageDetector) -> None:
    """Every feed parses or is refused as a parse error (only when it has no entries), and every
    title feedparser finds words in is non-empty here too."""
    body = path.read_bytes()
    served_as = _SERVED_AS.search(body)
    content_type = served_as.group(1).strip().decode("ascii") if served_as else None
    reference = feedparser.parse(
        io.BytesIO(body), response_headers={"content-type": content_type or "application/xml"}
    )
    try:
        feed = parse(body, detector, content_type)
    except FeedParseError:
        assert not reference.entries
        return
    assert len(feed.entries) == len(reference.entries)
    if _has_words(reference.feed.get("title")):
        assert feed.title
    for ours, theirs in zip(feed.entries, reference.entries, strict=True):
        if _has_words(theirs.get("title")):
            assert ours.title, theirs.get("title")
    if path.parent.name == "chardet" and path.name in LEGACY_LANGUAGES:
        (entry,) = feed.entries
        assert (entry.title, entry.language) == (reference.entries[0].title, LEGACY_LANGUAGES[path.name])
