"""Inline-button payloads: short, versioned and signed, because any client can send any callback data."""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

VERSION = "1"
SEPARATOR = ":"
MAX_BYTES = 64  # Telegram's limit for callback_data
_MAC_BYTES = 6  # 8 base64 characters: enough to make forging impractical for a button


class Action(enum.StrEnum):
    """What a button does; the value is what travels in callback data."""

    FEEDBACK = "f"  # story id, 1 relevant / 0 not relevant
    MUTE_OUTLET = "m"  # story id
    SEARCH_PAGE = "s"  # search token, offset
    SETTINGS = "c"  # SettingsOp, value
    SOURCES = "p"  # "on" / "off", pack name
    STORYLINE = "l"  # storyline id, 1 follow / 0 unfollow


class SettingsOp(enum.StrEnum):
    MENU = "menu"  # value: which screen
    MIN_SCORE = "min"  # value: score in hundredths, or "off"
    LANGUAGE = "lang"  # value: language code to toggle
    COUNTRY = "cty"  # value: index into the country list
    FORGET_KEYWORD = "kw"  # value: index into the chat's keywords
    UNMUTE_OUTLET = "uo"  # value: index into the chat's muted outlets
    MODE = "mode"  # value: DeliveryMode
    HOUR = "hour"  # value: digest hour 0-23
    MUTE = "mute"  # value: hours, 0 = unmute


@dataclass(frozen=True, slots=True)
class CallbackData:
    action: Action
    args: tuple[str, ...]

    def int_arg(self, index: int, low: int, high: int) -> int | None:
        """The argument as an int within [low, high], or None when missing or out of range."""
        try:
            value = int(self.args[index])
        except (IndexError, ValueError):
            return None
        return value if low <= value <= high else None


class CallbackCodec:
    """Encodes button payloads with a truncated HMAC so tampered or foreign data is recognised."""

    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(f"warwatch-callback:{secret}".encode()).digest()

    def _mac(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()[:_MAC_BYTES]
        return base64.urlsafe_b64encode(digest).decode()

    def encode(self, action: Action, *args: object) -> str:
        parts = [str(arg) for arg in args]
        if any(SEPARATOR in part for part in parts):
            raise ValueError("callback arguments must not contain the separator")
        payload = SEPARATOR.join([VERSION, action.value, *parts])
        data = f"{payload}{SEPARATOR}{self._mac(payload)}"
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data longer than {MAX_BYTES} bytes: {data!r}")
        return data

    def decode(self, data: object) -> CallbackData | None:
        """The payload, or None when it is not ours, from another version, or altered."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            return None
        payload, _, mac = data.rpartition(SEPARATOR)
        if not payload or not hmac.compare_digest(mac, self._mac(payload)):
            return None
        version, action, *args = payload.split(SEPARATOR)
        if version != VERSION or action not in Action._value2member_map_:
            return None
        return CallbackData(Action(action), tuple(args))

    def matcher(self, action: Action) -> Callable[[object], bool]:
        """A CallbackQueryHandler pattern that accepts valid data for this action only."""

        def matches(data: object) -> bool:
            decoded = self.decode(data)
            return decoded is not None and decoded.action is action

        return matches
