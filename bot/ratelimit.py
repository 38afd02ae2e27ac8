"""Telegram's flood limits, enforced with PTB's AIORateLimiter on message-sending calls."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter

from warwatch.config import Settings

JSONDict = dict[str, Any]
MESSAGE_METHODS = ("send", "edit", "copy", "forward")


class MessageRateLimiter(AIORateLimiter):
    """PTB's limiter, applied only to methods that post or edit messages; Telegram's limits are about
    messages, so reads such as getChatMember neither wait nor use up a group's 20 per minute."""

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
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def rate_limiter(settings: Settings) -> MessageRateLimiter:
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
