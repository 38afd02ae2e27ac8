"""Plain, frozen values that storage hands out, so ORM rows never leave this package."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.states import AlertStatus, DeliveryMode, FeedStatus, StoryState


class FeedHealth(StrEnum):
    """What `status` and `feeds list` call a feed. A stored ``ok`` feed whose last poll failed is
    ``erroring`` (it backs off); ``failing`` means ``poller.failing_after_errors`` failures in a row."""

    OK = "ok"
    ERRORING = "erroring"
    FAILING = "failing"
    DISABLED = "disabled"


def feed_health(status: FeedStatus, error_count: int) -> FeedHealth:
    """The one definition of the displayed state: a feed is erroring while its last poll failed."""
    if status is FeedStatus.OK and error_count > 0:
        return FeedHealth.ERRORING
    return FeedHealth(status.value)


@dataclass(frozen=True, slots=True)
class FeedRecord:
    id: int
    url: str
    name: str | None
    site_url: str | None
    status: FeedStatus
    etag: str | None
    last_modified: str | None
    error_count: int
    last_error: str | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    next_poll_at: datetime | None
    ttl_minutes: int | None = None
    pack: str | None = None  # the catalogue pack that brought it; None for a user's own feed
    kind: str = "feed"

    @property
    def health(self) -> FeedHealth:
        return feed_health(self.status, self.error_count)


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """Which feeds are due now and which comes next, so a quiet run can say why it polled nothing."""

    polled: int  # feeds that are polled at all (not disabled)
    due: int  # of those, due now
    next_feed_id: int | None  # the first feed to fall due after now
    next_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoryRecord:
    id: int
    feed_id: int | None
    url: str
    canonical_url: str
    title: str
    summary: str
    language: str | None
    outlet: str | None
    published_at: datetime
    cluster_id: int | None
    state: StoryState

    @property
    def web_url(self) -> str | None:
        """The story's web address; None when its item had no usable link (``url`` is then a urn:)."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else None


@dataclass(frozen=True, slots=True)
class KeywordRecord:
    id: int
    term: str
    weight: float
    lang: str | None
    exclude: bool
    near: str | None
    window: int | None


@dataclass(frozen=True, slots=True)
class SubscriberRecord:
    id: int
    chat_id: int
    chat_type: str
    title: str | None
    active: bool
    min_score: float | None
    languages: tuple[str, ...]
    keywords: tuple[str, ...]
    countries: tuple[str, ...]
    muted_outlets: tuple[str, ...]
    mode: DeliveryMode
    digest_hour: int | None
    muted_until: datetime | None


@dataclass(frozen=True, slots=True)
class AlertJob:
    """An outbox row joined with what is needed to render and send it."""

    alert_id: int
    status: AlertStatus
    attempts: int
    chat_id: int
    subscriber_id: int
    story: StoryRecord
    score: float | None
    reasons: dict[str, object]
    also_reported_by: tuple[str, ...]
    feed_name: str | None = None  # the outlet as the admin named it (`feeds add --name`) or its title
    storyline_id: int | None = None  # the story's storyline, as it is now (a merged one's survivor)
    development: bool = False  # a new development in a storyline the chat follows


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    action: str
    details: dict[str, object]
