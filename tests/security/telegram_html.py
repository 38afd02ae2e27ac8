"""A strict reader of Telegram's HTML parse mode, to check what the bot sends.

Telegram accepts only a few tags (b, i, u, s, a, code, pre, blockquote, spoilers and their
synonyms), only the entities &lt; &gt; &amp; &quot; and numeric ones, and rejects a message
(400 "can't parse entities") with any other markup or a bare ``<``, ``>`` or ``&``. This reader
is stricter still where the bot's own rules are: links only to http(s), no attributes elsewhere.
"""

from __future__ import annotations

import html
import re

from tests.bot.fake_telegram import FakeTelegram

MESSAGE_LIMIT = 4096
CALLBACK_ANSWER_LIMIT = 200
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-spoiler",
    }
)
_TOKEN = re.compile(
    r"<(?P<close>/?)(?P<name>[a-z][a-z0-9-]*)(?P<attrs>(?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>"
    r"|(?P<entity>&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)"
    r"|(?P<bare>[<>&])"
)
_HREF = re.compile(r'^\s+href="([^"]*)"$')


class TelegramHTMLError(AssertionError):
    """The text would be refused by Telegram, or breaks the bot's own markup rules."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_text(message: str) -> str:
    """Check ``message`` and return what the reader sees: tags gone, entities decoded."""
    stack: list[str] = []
    visible: list[str] = []
    position = 0
    for token in _TOKEN.finditer(message):
        visible.append(message[position : token.start()])
        position = token.end()
        if token["bare"]:
            raise TelegramHTMLError(f"bare {token['bare']!r} at {token.start()} in {message!r}")
        if token["entity"]:
            visible.append(html.unescape(token["entity"]))
            continue
        name, attrs = token["name"], token["attrs"]
        if name not in ALLOWED_TAGS:
            raise TelegramHTMLError(f"tag <{name}> is not Telegram HTML: {message!r}")
        if token["close"]:
            if attrs or not stack or stack.pop() != name:
                raise TelegramHTMLError(f"unbalanced </{name}> in {message!r}")
            continue
        if name == "a":
            href = _HREF.match(attrs)
            if not href or not html.unescape(href.group(1)).lower().startswith(("http://", "https://")):
                raise TelegramHTMLError(f"link without an http(s) href: {token.group()!r}")
        elif attrs:
            raise TelegramHTMLError(f"unexpected attributes on <{name}>: {token.group()!r}")
        if name in stack:
            raise TelegramHTMLError(f"<{name}> nested in itself: {message!r}")
        stack.append(name)
    visible.append(message[position:])
    if stack:
        raise TelegramHTMLError(f"unclosed {stack} in {message!r}")
    return "".join(visible)


def check_message(message: str) -> str:
    """Valid Telegram HTML within the length limit; returns the visible text."""
    if utf16_len(message) > MESSAGE_LIMIT:
        raise TelegramHTMLError(f"{utf16_len(message)} UTF-16 code units, more than {MESSAGE_LIMIT}")
    if not message.strip():
        raise TelegramHTMLError("empty message")
    return visible_text(message)


def check_everything_sent(server: FakeTelegram) -> int:
    """Check every text the bot sent or edited and every callback answer; returns how many texts."""
    checked = 0
    for call in server.calls:
        if call.method in ("sendMessage", "editMessageText"):
            assert call.params.get("parse_mode") == "HTML", call.params
            check_message(str(call.params["text"]))
            checked += 1
        elif call.method == "sendPhoto" and call.params.get("caption"):
            check_message(str(call.params["caption"]))
        elif call.method == "answerCallbackQuery":
            assert len(str(call.params.get("text", ""))) <= CALLBACK_ANSWER_LIMIT, call.params
    return checked
