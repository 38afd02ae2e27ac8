"""Did the page change or go? The rules a re-check applies to what it fetched."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from urllib.parse import urlsplit

from archive.extract import words
from archive.types import GONE_STATUSES

MAX_DIFF_CHARS = 200_000  # a diff is kept in the database; a rewritten page still fits


@dataclass(frozen=True, slots=True)
class TextChange:
    changed_words: int  # words removed, added or replaced (the larger side of each replacement)
    diff: str  # unified diff of the text, line by line


def compare_texts(before: str | None, after: str | None) -> TextChange:
    """How many words changed between two extracted texts, and the diff to keep.

    Words are compared (case, spacing and punctuation are not edits); the diff shows the lines.
    """
    old, new = words(before), words(after)
    changed = 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag != "equal":
            changed += max(old_end - old_start, new_end - new_start)
    lines = difflib.unified_diff(
        (before or "").splitlines(), (after or "").splitlines(), "archived", "now", lineterm=""
    )
    diff = "\n".join(lines)
    if len(diff) > MAX_DIFF_CHARS:
        diff = diff[:MAX_DIFF_CHARS] + "\n… (diff cut)"
    return TextChange(changed, diff)


def removal_reason(archived_url: str, status_code: int | None, final_url: str) -> str | None:
    """Why the page counts as removed, or None: 404 or 410, or a redirect away from the archived
    page's host, or to the site's front page (what many sites do with a withdrawn article)."""
    if status_code in GONE_STATUSES:
        return f"HTTP {status_code}"
    before, after = urlsplit(archived_url), urlsplit(final_url)
    if (after.hostname or "") != (before.hostname or ""):
        return f"redirected to another host ({after.hostname})"
    if after.path in ("", "/") and before.path not in ("", "/") and final_url != archived_url:
        return "redirected to the site's front page"
    return None
