"""Telegram's flood limits, enforced with PTB's AIORateLimiter on message-sending calls, and a 429
answer: handed back at once (delivery requeues the chat), or waited out for a command's reply."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import Callable, Coroutine, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

import structlog
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.settings import BotSettings

log = structlog.get_logger(__name__)
JSONDict = dict[str, Any]
MESSAGE_METHODS = ("send", "edit", "copy", "forward")
REPLY_RETRIES = 3  # a reply told to wait is sent again up to this many times…
REPLY_WAIT_CAP_SECONDS = 30.0  # …waiting at most this long in all; a longer wait drops it
_retries_here: ContextVar[int] = ContextVar("retries_here", default=0)


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta; both work here
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


@contextlib.contextmanager
def waiting_out_flood_control() -> Iterator[None]:
    """Messages sent inside wait out a 429's ``retry_after`` and go again: a command's reply, which
    nothing would send later. Delivery sends outside it, so one chat's 429 holds up no other chat."""
    token = _retries_here.set(REPLY_RETRIES)
    try:
        yield
    finally:
        _retries_here.reset(token)


class MessageRateLimiter(AIORateLimiter):
    """PTB's limiter, applied only to methods that post or edit messages; Telegram's limits are about
    messages, so reads such as getChatMember neither wait nor use up a group's 20 per minute.

    A 429 is retried here, for that one request only (PTB's own retries pause every send, and wait
    however long they are told), when the call asks for retries: ``rate_limit_args``, or a
    ``waiting_out_flood_control`` block around it.
    """

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if not endpoint.startswith(MESSAGE_METHODS):
            return await callback(*args, **kwargs)
        retries, waited = rate_limit_args or _retries_here.get(), 0.0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, None)
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if retries <= 0 or waited + wait > REPLY_WAIT_CAP_SECONDS:
                    raise
                log.info("reply_waiting", chat_id=data.get("chat_id"), retry_after=wait)
                retries, waited = retries - 1, waited + wait
                await asyncio.sleep(wait)


def rate_limiter(settings: BotSettings) -> MessageRateLimiter:
    """Evenly spaced sends (a bucket of one), so no 1-second window exceeds the overall rate and no
    60-second window a group's; ``max_retries=0`` hands every 429 to delivery, which reschedules that
    chat alone instead of pausing all sends."""
    delivery = settings.delivery
    return MessageRateLimiter(
        overall_max_rate=1,
        overall_time_period=1 / delivery.messages_per_second,
        group_max_rate=1,
        group_time_period=60 / delivery.group_messages_per_minute,
        max_retries=0,
    )
