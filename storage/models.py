"""The database schema as typed SQLAlchemy 2 models. ORM rows never leave ``storage/``."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.states import (
    AlertStatus,
    ArchiveState,
    DeliveryMode,
    FeedStatus,
    PageState,
    SnapshotOutcome,
    StorylineState,
    StoryState,
)
from storage.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def _enum(cls: type[enum.Enum]) -> Enum:
    """Enums as plain strings with a CHECK: portable, and readable in a SQL shell."""
    return Enum(cls, native_enum=False, values_callable=lambda e: [m.value for m in e], length=16)


class Feed(Base):
    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    site_url: Mapped[str | None] = mapped_column(String(2048))
    added_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[FeedStatus] = mapped_column(_enum(FeedStatus), default=FeedStatus.OK)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_polled_at: Mapped[datetime | None]
    last_success_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None] = mapped_column(index=True)
    ttl_minutes: Mapped[int | None] = mapped_column(Integer)  # the feed's <ttl>, kept across 304s
    # Catalogue sources only: the pack that brought the feed (NULL: a user's own feed), its
    # language and country, and "feed" or "query" (an aggregator search built from the rules).
    pack: Mapped[str | None] = mapped_column(String(64), index=True)
    language: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16), default="feed", server_default="feed")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Story(Base):
    __tablename__ = "stories"
    __table_args__ = (
        Index("ix_stories_feed_guid", "feed_id", "guid"),
        Index("ix_stories_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    guid: Mapped[str] = mapped_column(String(1024))
    url: Mapped[str] = mapped_column(String(2048))
    canonical_url: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    outlet: Mapped[str | None] = mapped_column(String(255))
    published_at: Mapped[datetime] = mapped_column(index=True)
    fetched_at: Mapped[datetime]
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    state: Mapped[StoryState] = mapped_column(_enum(StoryState), default=StoryState.PENDING)


class Classification(Base):
    __tablename__ = "classifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    score: Mapped[float] = mapped_column(Float)
    alert: Mapped[bool] = mapped_column(Boolean)
    model_name: Mapped[str] = mapped_column(String(100))
    model_version: Mapped[str] = mapped_column(String(100), index=True)
    reasons: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class StoryCase(Base):
    """A flagged story's case facts as columns, copied from its newest verdict's ``reasons["case"]``
    when that verdict is recorded (and gone when a newer verdict clears the story): for listing,
    filtering by country and weekly trends without reading JSON."""

    __tablename__ = "story_cases"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    # The verdict the facts came from: its reasons keep the evidence and the case card.
    classification_id: Mapped[int] = mapped_column(
        ForeignKey("classifications.id", ondelete="CASCADE"), index=True
    )
    origin_countries: Mapped[str] = mapped_column(String(200), default="")  # sorted ISO codes, "IN NP"
    destination: Mapped[str] = mapped_column(String(32))
    event: Mapped[str] = mapped_column(String(32))
    people_count: Mapped[int | None] = mapped_column(Integer)


class StoryCaseOrigin(Base):
    """One row per origin country of a ``story_cases`` row: the index behind per-country lists and trends."""

    __tablename__ = "story_case_origins"
    __table_args__ = (Index("ix_story_case_origins_country_story", "country", "story_id"),)

    story_id: Mapped[int] = mapped_column(
        ForeignKey("story_cases.story_id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(8), primary_key=True)


class Storyline(Base):
    """Flagged stories about one case across weeks (``cases.storylines`` is the join rule)."""

    __tablename__ = "storylines"
    __table_args__ = (Index("ix_storylines_state_last", "state", "last_story_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)  # its first story's
    first_story_at: Mapped[datetime]
    last_story_at: Mapped[datetime]
    state: Mapped[StorylineState] = mapped_column(_enum(StorylineState), default=StorylineState.OPEN)
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("storylines.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StorylineStory(Base):
    """A flagged story's storyline: kept across reclassifications while the story stays flagged."""

    __tablename__ = "storyline_stories"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    storyline_id: Mapped[int] = mapped_column(ForeignKey("storylines.id", ondelete="CASCADE"), index=True)


class StorylineFollow(Base):
    """A chat following a storyline: its later stories reach the chat as new developments."""

    __tablename__ = "storyline_follows"

    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscribers.id", ondelete="CASCADE"), primary_key=True
    )
    storyline_id: Mapped[int] = mapped_column(
        ForeignKey("storylines.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpikeAlert(Base):
    """A spike (``cases.spikes``) of one origin country or force in one week, to one admin chat: the
    row remembers it was found, so it is sent once, and carries its delivery state."""

    __tablename__ = "spike_alerts"
    __table_args__ = (
        UniqueConstraint("dimension", "key", "week", "chat_id", name="uq_spike_alerts_spike_chat"),
        Index("ix_spike_alerts_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dimension: Mapped[str] = mapped_column(String(16))  # "country" or "destination"
    key: Mapped[str] = mapped_column(String(32))  # an ISO code or a force
    week: Mapped[date] = mapped_column(Date)  # its Monday (UTC)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)
    baseline: Mapped[float] = mapped_column(Float)
    p_value: Mapped[float] = mapped_column(Float)
    status: Mapped[AlertStatus] = mapped_column(_enum(AlertStatus), default=AlertStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class KeywordRule(Base):
    __tablename__ = "keyword_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(100))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    lang: Mapped[str | None] = mapped_column(String(16))
    exclude: Mapped[bool] = mapped_column(Boolean, default=False)
    near: Mapped[str | None] = mapped_column(String(1000))
    window: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Subscriber(Base):
    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    chat_type: Mapped[str] = mapped_column(String(16), default="private")
    title: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    min_score: Mapped[float | None] = mapped_column(Float)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    countries: Mapped[list[Any]] = mapped_column(default=list)
    muted_outlets: Mapped[list[Any]] = mapped_column(default=list)
    mode: Mapped[DeliveryMode] = mapped_column(_enum(DeliveryMode), default=DeliveryMode.INSTANT)
    digest_hour: Mapped[int | None] = mapped_column(Integer)
    muted_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Alert(Base):
    """The outbox: one row per story cluster and chat, written with the classification."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("cluster_id", "subscriber_id", name="uq_alerts_cluster_subscriber"),
        Index("ix_alerts_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"))
    cluster_id: Mapped[int] = mapped_column(Integer)
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    # The verdict the alert was queued for: a later reclassification does not change what is sent.
    classification_id: Mapped[int | None] = mapped_column(
        ForeignKey("classifications.id", ondelete="SET NULL")
    )
    # Set when the alert is a new development in a storyline the chat follows (migration 0009).
    storyline_id: Mapped[int | None] = mapped_column(ForeignKey("storylines.id", ondelete="SET NULL"))
    status: Mapped[AlertStatus] = mapped_column(_enum(AlertStatus), default=AlertStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class Feedback(Base):
    """A relevance judgement; keeps the text so the head can retrain after stories are pruned."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("story_id", "user_id", name="uq_feedback_story_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int | None] = mapped_column(ForeignKey("stories.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    relevant: Mapped[bool] = mapped_column(Boolean)
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16), default="telegram")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class RuntimeSetting(Base):
    """Values admins change at run time (e.g. the alert threshold), overriding config.toml."""

    __tablename__ = "runtime_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class StoryArchive(Base):
    """A story's archive: what to fetch, when, and what the last look found. Not tied to the
    ``stories`` row: a flagged story's archive outlives the story's pruning (it keeps the title and
    outlet its citations name) until an admin deletes it."""

    __tablename__ = "story_archives"
    __table_args__ = (Index("ix_story_archives_state_next", "state", "next_check_at"),)

    story_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    url: Mapped[str] = mapped_column(String(2048))
    title: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(255))
    author: Mapped[str | None] = mapped_column(String(500))  # as the page names it, once captured
    published_at: Mapped[datetime | None]
    kept: Mapped[bool] = mapped_column(Boolean, default=False)  # flagged: never pruned by the disk cap
    state: Mapped[ArchiveState] = mapped_column(_enum(ArchiveState), default=ArchiveState.PENDING)
    page_state: Mapped[PageState | None] = mapped_column(_enum(PageState))  # None until captured
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed looks in a row
    checks_done: Mapped[int] = mapped_column(Integer, default=0)  # re-checks since the capture
    next_check_at: Mapped[datetime | None]
    captured_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Snapshot(Base):
    """One successful look at an archived page; ``warc_sha256`` names the WARC file kept (none
    when the text was unchanged or the page was gone)."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(
        ForeignKey("story_archives.story_id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[SnapshotOutcome] = mapped_column(_enum(SnapshotOutcome))
    retrieved_at: Mapped[datetime] = mapped_column(index=True)
    url: Mapped[str] = mapped_column(String(2048))
    final_url: Mapped[str] = mapped_column(String(2048))
    status_code: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(default=dict)  # a few; the WARC keeps them all
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    text_sha256: Mapped[str | None] = mapped_column(String(64))
    warc_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    warc_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_words: Mapped[int] = mapped_column(Integer, default=0)
    diff: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)  # why a page counts as removed


class ArchiveNotice(Base):
    """A "this story was edited / removed" notice for a chat that got the story's alert: a queue of
    its own, drained by the delivery job as the outbox is."""

    __tablename__ = "archive_notices"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "subscriber_id", name="uq_archive_notices_snapshot_subscriber"),
        Index("ix_archive_notices_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("story_archives.story_id", ondelete="CASCADE"))
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id", ondelete="CASCADE"))
    subscriber_id: Mapped[int] = mapped_column(ForeignKey("subscribers.id", ondelete="CASCADE"))
    status: Mapped[AlertStatus] = mapped_column(_enum(AlertStatus), default=AlertStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
