"""A chat's alert preferences, the /settings screens: text, buttons, and the change each button
makes. Pure functions, no I/O."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action, CallbackCodec, CallbackData, SettingsOp
from bot.digest import digest_hour
from bot.render import esc
from storage.records import SubscriberRecord
from storage.states import DeliveryMode

SCORE_CHOICES = (0, 50, 60, 70, 80, 90)  # hundredths; 0 = any score the classifier flags
LANGUAGES = ("en", "ru", "uk", "ar", "es", "fr", "pt", "hi", "ne", "de")
COUNTRIES = (
    "Russia", "Ukraine", "Nepal", "India", "Sri Lanka", "Kenya", "Ghana", "Cuba", "Colombia", "Syria",
    "Libya", "Sudan",
)  # fmt: skip
MUTE_HOURS = (1, 4, 8, 24, 72)
MAX_FOLLOWED = 30
MAX_KEYWORD_CHARS = 60


class Screen(enum.StrEnum):
    MAIN = "main"
    SCORE = "score"
    LANGUAGES = "lang"
    COUNTRIES = "cty"
    KEYWORDS = "kw"
    MODE = "mode"
    MUTE = "mute"
    OUTLETS = "outlets"


Changes = dict[str, object]


def _button(codec: CallbackCodec, label: str, op: SettingsOp, value: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=codec.encode(Action.SETTINGS, op.value, value))


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _mark(on: bool, label: str) -> str:
    return f"✅ {label}" if on else label


def summary(subscriber: SubscriberRecord, now: datetime) -> str:
    score = f"{subscriber.min_score:.2f}" if subscriber.min_score is not None else "any flagged story"
    mode = (
        f"daily digest at {digest_hour(subscriber):02d}:00 UTC"
        if subscriber.mode == DeliveryMode.DIGEST
        else "instant"
    )
    muted = (
        f"muted until {subscriber.muted_until:%Y-%m-%d %H:%M} UTC"
        if subscriber.muted_until and subscriber.muted_until > now
        else "not muted"
    )
    lines = [
        "⚙️ <b>Alert settings for this chat</b>",
        f"Minimum score: {score}",
        f"Languages: {esc(', '.join(subscriber.languages) or 'all')}",
        f"Countries: {esc(', '.join(subscriber.countries) or 'any')}",
        f"Keywords: {esc(', '.join(subscriber.keywords) or 'any')}",
        f"Delivery: {mode}; {muted}",
        f"Muted outlets: {esc(', '.join(subscriber.muted_outlets) or 'none')}",
    ]
    if subscriber.countries or subscriber.keywords:
        lines.append("<i>Only stories mentioning one of the countries or keywords are sent.</i>")
    return "\n".join(lines)


def render_screen(
    codec: CallbackCodec, subscriber: SubscriberRecord, screen: Screen, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of one settings screen."""
    back = [_button(codec, "« Back", SettingsOp.MENU, Screen.MAIN.value)]
    text = summary(subscriber, now)
    if screen is Screen.SCORE:
        current = round((subscriber.min_score or 0) * 100)
        labels = {0: "Any"} | {value: f"{value / 100:.2f}" for value in SCORE_CHOICES[1:]}
        buttons = [
            _button(codec, _mark(current == v, labels[v]), SettingsOp.MIN_SCORE, v) for v in SCORE_CHOICES
        ]
        rows = _rows(buttons, 3)
    elif screen is Screen.LANGUAGES:
        buttons = [
            _button(codec, _mark(code in subscriber.languages, code), SettingsOp.LANGUAGE, code)
            for code in LANGUAGES
        ]
        rows = _rows(buttons, 5)
        text += "\n\nTap languages to follow; none selected means all languages."
    elif screen is Screen.COUNTRIES:
        buttons = [
            _button(codec, _mark(name in subscriber.countries, name), SettingsOp.COUNTRY, index)
            for index, name in enumerate(COUNTRIES)
        ]
        rows = _rows(buttons, 3)
    elif screen is Screen.KEYWORDS:
        buttons = [
            _button(codec, f"✖ {word[:30]}", SettingsOp.FORGET_KEYWORD, index)
            for index, word in enumerate(subscriber.keywords)
        ]
        rows = _rows(buttons, 2)
        text += "\n\nAdd a keyword with <code>/follow WORD</code>; tap one below to stop following it."
    elif screen is Screen.MODE:
        digest = subscriber.mode == DeliveryMode.DIGEST
        rows = [
            [
                _button(codec, _mark(not digest, "Instant"), SettingsOp.MODE, DeliveryMode.INSTANT.value),
                _button(codec, _mark(digest, "Daily digest"), SettingsOp.MODE, DeliveryMode.DIGEST.value),
            ]
        ]
        if digest:
            hours = [
                _button(codec, _mark(digest_hour(subscriber) == hour, f"{hour:02d}"), SettingsOp.HOUR, hour)
                for hour in range(24)
            ]
            rows += _rows(hours, 6)
            text += "\n\nChoose the hour (UTC) of the daily digest."
    elif screen is Screen.MUTE:
        buttons = [_button(codec, f"{hours} h", SettingsOp.MUTE, hours) for hours in MUTE_HOURS]
        rows = [*_rows(buttons, 5), [_button(codec, "Unmute", SettingsOp.MUTE, 0)]]
        text += "\n\nWhile muted, alerts for this chat are skipped (they stay in /latest and /search)."
    elif screen is Screen.OUTLETS:
        buttons = [
            _button(codec, f"✖ {outlet[:30]}", SettingsOp.UNMUTE_OUTLET, index)
            for index, outlet in enumerate(subscriber.muted_outlets)
        ]
        rows = _rows(buttons, 2)
        text += "\n\nTap an outlet to hear from it again. Mute one with the button under its alerts."
    else:
        menu = [
            ("Minimum score", Screen.SCORE),
            ("Languages", Screen.LANGUAGES),
            ("Countries", Screen.COUNTRIES),
            ("Keywords", Screen.KEYWORDS),
            ("Instant / digest", Screen.MODE),
            ("Mute", Screen.MUTE),
            ("Muted outlets", Screen.OUTLETS),
        ]
        return text, InlineKeyboardMarkup(
            _rows([_button(codec, label, SettingsOp.MENU, target.value) for label, target in menu], 2)
        )
    return text, InlineKeyboardMarkup([*rows, back])


def _toggle(values: tuple[str, ...], value: str) -> list[str]:
    return [v for v in values if v != value] if value in values else [*values, value]


def _without(values: tuple[str, ...], index: int | None) -> list[str] | None:
    return None if index is None or index >= len(values) else [v for i, v in enumerate(values) if i != index]


def apply_button(
    data: CallbackData, subscriber: SubscriberRecord, now: datetime
) -> tuple[Changes, Screen] | None:
    """The settings change a button asks for and the screen to show next; None for invalid data."""
    op = SettingsOp._value2member_map_.get(data.args[0]) if data.args else None
    value = data.args[1] if len(data.args) > 1 else ""
    if op is SettingsOp.MENU:
        screen = Screen._value2member_map_.get(value)
        return ({}, Screen(screen)) if screen else None
    if op is SettingsOp.MIN_SCORE and (score := data.int_arg(1, 0, 100)) in SCORE_CHOICES:
        return {"min_score": score / 100 if score else None}, Screen.SCORE
    if op is SettingsOp.LANGUAGE and value in LANGUAGES:
        return {"languages": _toggle(subscriber.languages, value)}, Screen.LANGUAGES
    if op is SettingsOp.COUNTRY and (country := data.int_arg(1, 0, len(COUNTRIES) - 1)) is not None:
        return {"countries": _toggle(subscriber.countries, COUNTRIES[country])}, Screen.COUNTRIES
    index = data.int_arg(1, 0, 999)
    if op is SettingsOp.FORGET_KEYWORD and (kept := _without(subscriber.keywords, index)) is not None:
        return {"keywords": kept}, Screen.KEYWORDS
    if op is SettingsOp.UNMUTE_OUTLET and (kept := _without(subscriber.muted_outlets, index)) is not None:
        return {"muted_outlets": kept}, Screen.OUTLETS
    if op is SettingsOp.MODE and value in DeliveryMode._value2member_map_:
        return {"mode": DeliveryMode(value), "digest_hour": digest_hour(subscriber)}, Screen.MODE
    if op is SettingsOp.HOUR and (hour := data.int_arg(1, 0, 23)) is not None:
        return {"digest_hour": hour}, Screen.MODE
    if op is SettingsOp.MUTE and (hours := data.int_arg(1, 0, max(MUTE_HOURS))) is not None:
        return {"muted_until": now + timedelta(hours=hours) if hours else None}, Screen.MUTE
    return None


def follow_keyword(subscriber: SubscriberRecord, word: str) -> Changes | str:
    """The change that follows ``word``, or why it cannot be followed."""
    word = " ".join(word.split())
    if not word or len(word) > MAX_KEYWORD_CHARS:
        return f"A keyword is 1 to {MAX_KEYWORD_CHARS} characters."
    if word.casefold() in (k.casefold() for k in subscriber.keywords):
        return "You already follow that keyword."
    if len(subscriber.keywords) >= MAX_FOLLOWED:
        return f"You can follow at most {MAX_FOLLOWED} keywords; remove some in /settings."
    return {"keywords": [*subscriber.keywords, word]}


def unfollow_keyword(subscriber: SubscriberRecord, word: str) -> Changes | None:
    folded = " ".join(word.split()).casefold()
    kept = [k for k in subscriber.keywords if k.casefold() != folded]
    return {"keywords": kept} if len(kept) != len(subscriber.keywords) else None
