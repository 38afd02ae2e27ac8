"""Structured logging: one line per event, stable keys, the same renderer for library loggers.

Every line is redacted as it is written (our events, library loggers, tracebacks, uncaught
exceptions): the configured secrets, any password in a URL, anything shaped like a bot token.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import TextIO
from urllib.parse import quote

import structlog

NOISY_LOGGERS = ("httpx", "httpcore", "telegram", "apscheduler", "alembic", "transformers", "urllib3")
MASK = "***"
MIN_SECRET_CHARS = 4  # shorter "secrets" would mask ordinary words all over the logs
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s'\"]*:)[^@\s/'\"]+@", re.IGNORECASE)
_BOT_TOKEN = re.compile(r"\b\d{5,12}:[A-Za-z0-9_-]{30,}")  # the shape of a Telegram bot token


@dataclass(frozen=True, slots=True)
class Redactor:
    """Masks known secrets (as written, URL-encoded and JSON-escaped) and secret-shaped text."""

    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, secrets: Iterable[str]) -> Redactor:
        forms = {
            form
            for secret in secrets
            if len(secret) >= MIN_SECRET_CHARS
            for form in (secret, quote(secret, safe=""), json.dumps(secret)[1:-1])
        }
        return cls(tuple(sorted(forms, key=len, reverse=True)))  # longest first: no half-masked secret

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        text = _URL_PASSWORD.sub(rf"\g<head>{MASK}@", text)
        return _BOT_TOKEN.sub(MASK, text)


class _RedactingFormatter(structlog.stdlib.ProcessorFormatter):
    """The last step before a line is written, so nothing rendered can bypass the redaction."""

    def __init__(self, redactor: Redactor, **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.redactor = redactor

    def format(self, record: logging.LogRecord) -> str:
        return self.redactor(super().format(record))


class _CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is at the time (CLI test runners swap it and close theirs)."""

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def redact(text: str) -> str:
    """Text safe to print: what the logging configured last masks (the patterns alone before that)."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, _RedactingFormatter):
            return handler.formatter.redactor(text)
    return Redactor()(text)


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    """An exception nobody caught becomes a (redacted) log line instead of a raw traceback."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("warwatch").critical("uncaught_exception", exc_info=(kind, error, traceback))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)


def configure_logging(level: str = "INFO", fmt: str = "console", secrets: Iterable[str] = ()) -> None:
    """Route structlog and stdlib logging through one renderer on stderr, masking ``secrets``."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.processors.LogfmtRenderer(key_order=["timestamp", "level", "event"], drop_missing=True)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = _CurrentStderrHandler()
    handler.setFormatter(
        _RedactingFormatter(
            Redactor.of(secrets),
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    # PTB logs every 429 its limiter hands back with a traceback; delivery and replies log it in a line
    logging.getLogger("telegram.ext.AIORateLimiter").setLevel(logging.CRITICAL)
    if sys.excepthook in (sys.__excepthook__, _log_uncaught):  # unless a test runner put its own
        sys.excepthook = _log_uncaught
    if threading.excepthook in (threading.__excepthook__, _log_uncaught_in_thread):
        threading.excepthook = _log_uncaught_in_thread
