"""Which language a story is in, and which languages each model was trained on."""

from __future__ import annotations

from classifiers.types import StoryText
from textkit.language import best_guess, primary_subtag

ENGLISH_ONLY = frozenset({"en"})
# The 16 languages of Universal Sentence Encoder multilingual v3 (zh = simplified and traditional).
USE_LANGUAGES = frozenset(
    {"ar", "zh", "nl", "en", "fr", "de", "it", "ja", "ko", "pl", "pt", "ru", "es", "th", "tr"}
)


def detect_language(text: str) -> str:
    """Best-guess ISO-639-1 code of ``text``, however unsure: the rules' languages are chosen from it."""
    return best_guess(text)[0]


def story_language(story: StoryText) -> str:
    """The story's declared language, or a guess from its text when the feed gave none."""
    return primary_subtag(story.lang) if story.lang else detect_language(story.text)


def rule_languages(story: StoryText) -> frozenset[str] | None:
    """Languages whose keyword rules apply: the declared one and the title's own.

    Feeds declare one language, but a title is often in another (an English headline over a
    Hindi lead). ``None`` (language unknown) lets every rule apply.
    """
    if not story.lang:
        return None
    langs = {primary_subtag(story.lang)}
    if story.summary and story.title.strip():
        langs.add(detect_language(story.title))
    return frozenset(langs)
