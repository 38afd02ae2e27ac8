"""Telegram HTML for alerts, digests, search results and lists. Every feed field is escaped here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from storage.case_trends import TrendKey
from storage.cases import CaseDetail
from storage.records import AlertJob, StoryRecord
from storage.search import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit
from storage.storylines import StorylineRecord
from storage.verdicts import FlaggedStory

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units of the text
WHY_CHARS = 300
SUMMARY_CHARS = 280
ALSO_REPORTED_SHOWN = 8
_TAG = re.compile(r"<[^>]*>")
_ENTITY_TAIL = re.compile(r"&[#\w]*$")
_HIGHLIGHTED = re.compile(f"{HIGHLIGHT_START}([^{HIGHLIGHT_START}{HIGHLIGHT_END}]+){HIGHLIGHT_END}")


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def link(url: str, text: str) -> str:
    """An escaped link; URLs Telegram would refuse (not http/https) become plain text."""
    if url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(text)


def story_meta(story: StoryRecord, score: float | None) -> str:
    """Outlet · date · language · score, escaped."""
    parts = [
        esc(story.outlet or "unknown outlet"),
        f"{story.published_at:%Y-%m-%d %H:%M} UTC",
        esc((story.language or "?").upper()),
    ]
    if score is not None:
        parts.append(f"score {score:.2f}")
    return " · ".join(parts)


def _rule_terms(rules: object) -> list[str]:
    hits = rules.get("hits") if isinstance(rules, Mapping) else None
    if not isinstance(hits, list):
        return []
    terms = (hit.get("term") for hit in hits if isinstance(hit, Mapping) and not hit.get("exclude"))
    return [str(term) for term in terms if term]


def why_line(reasons: Mapping[str, object]) -> str:
    """One plain-text line on why a story was flagged, from whatever the classifier put in ``reasons``."""
    if isinstance(summary := reasons.get("summary"), str) and summary.strip():
        return shorten(summary, WHY_CHARS)
    pieces: list[str] = []
    if terms := _rule_terms(reasons.get("rules")):
        pieces.append("matched " + ", ".join(f"“{term}”" for term in dict.fromkeys(terms)))
    if isinstance(decision := reasons.get("decision"), str) and decision.strip():
        pieces.append(decision)
    if not pieces:
        pieces = [
            f"{key}: {value}"
            for key, value in reasons.items()
            if isinstance(value, str | int | float) and not isinstance(value, bool)
        ][:3]
    return shorten("; ".join(pieces), WHY_CHARS) if pieces else "classifier score above the threshold"


def _also_reported(outlets: Sequence[str]) -> str:
    shown = ", ".join(esc(outlet) for outlet in outlets[:ALSO_REPORTED_SHOWN])
    more = len(outlets) - ALSO_REPORTED_SHOWN
    return f"Also reported by: {shown}" + (f" and {more} more" if more > 0 else "")


def case_card(reasons: Mapping[str, object]) -> str | None:
    """The case facts' one line (``🇳🇵 Nepal → Russia's forces · deaths or wounds · 12 people``), if any."""
    case = reasons.get("case")
    card = case.get("card") if isinstance(case, Mapping) else None
    return card if isinstance(card, str) and card.strip() else None


def case_fields(detail: CaseDetail) -> list[tuple[str, str]]:
    """A stored case as (label, plain text) pairs: what /case and `warwatch cases show` print."""
    case, story = detail.case, detail.case.story
    facts = case.facts
    evidence = " · ".join(f"{key} “{shorten(span, 80)}”" for key, span in case.evidence.items())
    outlets = list(detail.other_outlets)
    others = ", ".join(outlets[:ALSO_REPORTED_SHOWN]) + (
        f" and {len(outlets) - ALSO_REPORTED_SHOWN} more" if len(outlets) > ALSO_REPORTED_SHOWN else ""
    )
    return [
        ("Case", case.card or "(no case card)"),
        ("From", ", ".join(facts.origin_countries) or "not stated"),
        ("Force", facts.destination),
        ("Event", facts.event),
        ("People", f"{facts.people_count:,}" if facts.people_count is not None else "not stated"),
        ("Evidence", evidence or "none kept"),
        ("Published", f"{story.published_at:%Y-%m-%d %H:%M} UTC"),
        ("Outlet", f"{story.outlet or 'unknown'} · {(story.language or '?').upper()}"),
        ("Score", f"{case.score:.3f}, flagged {case.flagged_at:%Y-%m-%d %H:%M} UTC"),
        ("URL", story.web_url or "none"),
        ("Cluster", f"#{detail.cluster_id}" + (f" · also told by {others}" if others else "")),
        ("Storyline", storyline_summary(detail.storyline) if detail.storyline else "none"),
    ]


def storyline_summary(storyline: StorylineRecord) -> str:
    """``#7 · 3 stories · open · 2026-09-07 to 2026-10-26``, plain text."""
    stories = f"{storyline.stories} {'story' if storyline.stories == 1 else 'stories'}"
    dates = f"{storyline.first_story_at:%Y-%m-%d} to {storyline.last_story_at:%Y-%m-%d}"
    return f"#{storyline.id} · {stories} · {storyline.state} · {dates}"


def trend_label(key: TrendKey, name: str) -> str:
    """A country code's English name (CLDR), or the destination as stored."""
    if key is not TrendKey.COUNTRY:
        return name
    from babel import Locale

    return str(Locale.parse("en").territories.get(name, name))


def render_case(detail: CaseDetail) -> str:
    """/case: one message, every field escaped."""
    story = detail.case.story
    lines = [f"🧭 <b>Case #{story.id}</b>: {link(story.url, shorten(story.title, WHY_CHARS))}"]
    lines += [f"<b>{esc(label)}</b>: {esc(shorten(value, 600))}" for label, value in case_fields(detail)]
    if detail.storyline is not None:
        lines.append(f"🧵 /storyline {detail.storyline.id}")
    return "\n".join(lines)


def development_lead(job: AlertJob) -> str:
    """``🔁 New development in storyline N: `` when the alert is one, else empty: the single alert and
    the digest line decide and say it alike."""
    if job.development and job.storyline_id is not None:
        return f"🔁 <b>New development in storyline {job.storyline_id}</b>: "
    return ""


def render_alert(job: AlertJob) -> str:
    story = job.story
    if lead := development_lead(job):
        header = f"{lead}{link(story.url, story.title)}"
    else:
        header = f"🚨 <b>{link(story.url, story.title)}</b>"
    lines = [header, f"📰 {story_meta(story, job.score)}"]
    if card := case_card(job.reasons):
        # The story's id, so `/case ID` (all the facts and their evidence) is one copy away.
        storyline = f" · 🧵 /storyline {job.storyline_id}" if job.storyline_id is not None else ""
        lines.append(f"🧭 {esc(shorten(card, WHY_CHARS))} · /case {story.id}{storyline}")
    lines.append(f"<i>Why:</i> {esc(why_line(job.reasons))}")
    if story.summary.strip():
        lines.append(esc(shorten(story.summary, SUMMARY_CHARS)))
    if job.also_reported_by:
        lines.append(_also_reported(job.also_reported_by))
    return "\n".join(lines)


def render_story_line(number: int, story: StoryRecord, score: float | None, lead: str = "") -> str:
    return f"{number}. {lead}{link(story.url, story.title)}\n    {story_meta(story, score)}"


def _one_per_story(jobs: Sequence[AlertJob]) -> list[tuple[AlertJob, list[int]]]:
    """Each story once, in first-seen order, with the ids of all its alerts (a story re-clustered
    and reclassified can have two); a new development among them is the one shown."""
    by_story: dict[int, list[AlertJob]] = {}
    for job in jobs:
        by_story.setdefault(job.story.id, []).append(job)
    return [
        (max(group, key=lambda job: bool(development_lead(job))), [job.alert_id for job in group])
        for group in by_story.values()
    ]


def render_digest(jobs: Sequence[AlertJob], day: datetime) -> list[tuple[str, list[int]]]:
    """The digest as messages under the limit, each with the ids of the alerts it carries."""
    stories = _one_per_story(jobs)
    header = f"🗞 <b>Daily digest</b> — {day:%Y-%m-%d}, {len(stories)} alert(s)"
    parts: list[tuple[str, list[int]]] = []
    text, ids = header, list[int]()
    for number, (job, alert_ids) in enumerate(stories, 1):
        block = fit_block(render_story_line(number, job.story, job.score, development_lead(job)))
        if utf16_len(text) + 2 + utf16_len(block) > MESSAGE_LIMIT:
            parts.append((text, ids))
            text, ids = block, []
        else:
            text = f"{text}\n\n{block}"
        ids.extend(alert_ids)
    parts.append((text, ids))
    return parts


def highlight(snippet: str) -> str:
    """Escape a search snippet and bold its highlighted words.

    Only a start marker followed by an end marker becomes ``<b>…</b>``; any other marker is dropped.
    Story text can hold the marker characters too (feeds are not cleaned of private-use characters),
    and counting them is not enough: ``a</b> <b>b`` has as many of each.
    """
    bolded = _HIGHLIGHTED.sub(r"<b>\1</b>", esc(snippet))
    return bolded.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")


def render_search_page(query: str, hits: Sequence[SearchHit], offset: int) -> str:
    if not hits:
        return f"🔎 No stories match <b>{esc(shorten(query, 100))}</b>."
    lines = [f"🔎 Results {offset + 1}–{offset + len(hits)} for <b>{esc(shorten(query, 100))}</b>"]
    for number, hit in enumerate(hits, offset + 1):
        score = f" · score {hit.score:.2f}" if hit.score is not None else ""
        lines.append(
            f"\n{number}. {link(hit.url, hit.title)}\n"
            f"    {esc(hit.outlet or 'unknown outlet')} · {hit.published_at:%Y-%m-%d}{score}\n"
            f"    {highlight(hit.snippet)}"
        )
    return "\n".join(lines)


def render_latest(flagged: Sequence[FlaggedStory]) -> str:
    if not flagged:
        return "No alerts yet."
    lines = ["🕒 <b>Latest alerts</b>"]
    lines += [f"\n{render_story_line(i, item.story, item.score)}" for i, item in enumerate(flagged, 1)]
    return "\n".join(lines)


def render_list(title: str, rows: Iterable[str]) -> str:
    """A bold title and escaped rows, one per line."""
    body = "\n".join(esc(row) for row in rows)
    return f"<b>{esc(title)}</b>\n{body}" if body else f"<b>{esc(title)}</b>\n(none)"


def _cut_plain(text: str, limit: int) -> list[str]:
    """Cut escaped plain text into pieces of at most ``limit`` code units, never inside an entity."""
    pieces: list[str] = []
    while text:
        size = min(len(text), limit)
        while utf16_len(text[:size]) > limit:
            size -= 1
        piece = text[:size]
        if size < len(text) and (tail := _ENTITY_TAIL.search(piece)):
            piece = piece[: tail.start()] or piece
        pieces.append(piece)
        text = text[len(piece) :]
    return pieces


def fit_block(block: str, limit: int = MESSAGE_LIMIT) -> str:
    """A block that fits in one message: too long ones lose their markup, then their end."""
    if utf16_len(block) <= limit:
        return block
    return _cut_plain(_TAG.sub("", block), limit - 1)[0] + "…"


def split_html(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at line boundaries into messages of at most ``limit``; our tags never span lines.

    A single line longer than a message loses its tags and is cut outside HTML entities.
    """
    messages: list[str] = []
    current = ""
    for line in text.split("\n"):
        pieces = [line] if utf16_len(line) <= limit else _cut_plain(_TAG.sub("", line), limit)
        for piece in pieces:
            candidate = f"{current}\n{piece}" if current else piece
            if current and utf16_len(candidate) > limit:
                messages.append(current)
                candidate = piece
            current = candidate
    if current.strip():
        messages.append(current)
    return messages
