"""The typed context handlers receive: settings, storage and the injected classifier, no globals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session
from telegram import User
from telegram.ext import CallbackContext, ExtBot

from bot.callbacks import CallbackCodec
from bot.settings import BotSettings
from classifiers.types import KeywordRuleLike, StoryText, Verdict
from storage.db import Database

if TYPE_CHECKING:
    from bot.archive import ArchiveAccess
    from bot.backtest import Backtest
    from bot.delivery import Delivery
    from bot.sources import Catalogue

P = ParamSpec("P")
R = TypeVar("R")
ClassifyBatch = Callable[[Sequence[StoryText]], list[Verdict]]
RuleCheck = Callable[[KeywordRuleLike], object]  # raises ValueError, worded for the admin, if unusable


@dataclass
class Services:
    """Everything handlers and jobs use, built once by ``build_application``."""

    settings: BotSettings
    database: Database
    classify: ClassifyBatch
    codec: CallbackCodec
    backtest: Backtest | None = None
    check_rule: RuleCheck | None = None
    catalogue: Catalogue | None = None
    archive: ArchiveAccess | None = None  # the service's archive: /archive fetches through it

    async def db(self, work: Callable[Concatenate[Session, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run one unit of storage work in a worker thread, so the event loop never blocks on the database."""
        return await asyncio.to_thread(self._in_session, work, *args, **kwargs)

    def _in_session(self, work: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        with self.database.session() as session:
            return work(session, *args, **kwargs)

    def is_admin(self, user: User | None) -> bool:
        return user is not None and user.id in self.settings.telegram.admins


class BotData:
    """``context.bot_data``: PTB creates it empty; ``build_application`` attaches the services."""

    def __init__(self) -> None:
        self._services: Services | None = None
        self._delivery: Delivery | None = None

    def attach(self, services: Services, delivery: Delivery) -> None:
        self._services = services
        self._delivery = delivery

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("bot_data has no services: build the application with build_application()")
        return self._services

    @property
    def delivery(self) -> Delivery:
        """The outbox drain, for running it outside the job queue (``warwatch run --once``, benchmarks)."""
        if self._delivery is None:
            raise RuntimeError("bot_data has no delivery: build the application with build_application()")
        return self._delivery


BotContext = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
