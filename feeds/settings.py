"""Poller configuration: the ``[poller]`` table of config.toml.

Every field has a default and a description because the README's configuration
reference is generated from these descriptions.
"""

from __future__ import annotations

import os
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PollerSettings(BaseModel):
    """Limits and policies for fetching, parsing and clustering feeds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_interval_seconds: float = Field(
        600.0, gt=0, description="Normal time between two polls of a healthy feed, in seconds."
    )
    min_interval_seconds: float = Field(
        300.0, gt=0, description="Never poll a feed more often than this, whatever its hints say, in seconds."
    )
    max_interval_seconds: float = Field(
        86_400.0,
        gt=0,
        description="Never wait longer than this between polls; failing feeds are polled at this interval.",
    )
    interval_jitter_ratio: float = Field(
        0.1,
        ge=0,
        lt=1,
        description="Random spread (±ratio) added to intervals so feeds added together do not stay in step.",
    )
    global_concurrency: int = Field(
        64, gt=0, description="Maximum number of HTTP requests in flight at once."
    )
    per_host_concurrency: int = Field(
        2, gt=0, description="Maximum number of HTTP requests in flight to one host at once."
    )
    polite_hosts: dict[str, float] = Field(
        default_factory=lambda: {"api.gdeltproject.org": 5.0, "news.google.com": 2.0},
        description="Hosts polled one request at a time, each request starting at least this many "
        "seconds after the one before (the aggregators behind the query feeds ask for this).",
    )
    polite_feeds_per_cycle: int = Field(
        3,
        gt=0,
        description="Most feeds of one polite host polled in one cycle; the rest wait for the next "
        "cycles, so a host's pauses never hold a cycle (and every other feed's alerts) for minutes.",
    )
    connect_timeout_seconds: float = Field(10.0, gt=0, description="TCP/TLS connect timeout, in seconds.")
    read_timeout_seconds: float = Field(
        20.0, gt=0, description="Maximum silence between two received chunks, in seconds."
    )
    total_timeout_seconds: float = Field(
        60.0,
        gt=0,
        description="Overall deadline for one request including its body, so a slow-drip server "
        "cannot hold a slot forever, in seconds.",
    )
    max_response_bytes: int = Field(
        5_000_000, gt=0, description="Abort a response (after decompression) larger than this many bytes."
    )
    max_redirects: int = Field(5, ge=0, description="Maximum redirects followed; each hop is safety-checked.")
    user_agent: str = Field(
        "warwatch-feed-poller/0.1 (news monitoring; polls about every 10 minutes)",
        min_length=1,
        description="User-Agent header sent with every request.",
    )
    failing_after_errors: int = Field(
        10, gt=0, description="Mark a feed as failing after this many consecutive errors."
    )
    backoff_base_seconds: float = Field(
        600.0, gt=0, description="First retry delay after an error; doubles with each further error."
    )
    backoff_cap_seconds: float = Field(
        21_600.0, gt=0, description="Largest backoff delay between retries of an erroring feed, in seconds."
    )
    allow_private_addresses: bool = Field(
        False,
        description="Allow feeds on private, loopback or link-local addresses. Only for tests and local use.",
    )
    parse_processes: Annotated[int, Field(ge=0, le=16)] | Literal["auto"] = Field(
        "auto",
        description="Worker processes that parse fetched feeds, so polling uses more than one core; "
        '"auto": one per CPU core this process may use (at most 16); 0 parses in a thread of the main '
        "process.",
    )
    fetch_full_text: bool = Field(
        False, description="Fetch each new story's article page and extract its full text."
    )
    cluster_window_hours: float = Field(
        72.0, gt=0, description="Stories about the same event within this many hours join one cluster."
    )
    cluster_similarity_threshold: float = Field(
        0.3,
        gt=0,
        le=1,
        description="Estimated Jaccard similarity of word stems at or above which two stories are one event.",
    )
    max_title_chars: int = Field(300, gt=0, description="Titles are cut to this many characters.")
    max_summary_chars: int = Field(2_000, gt=0, description="Summaries are cut to this many characters.")

    @property
    def parse_workers(self) -> int:
        """How many parse worker processes ``parse_processes`` asks for on this machine."""
        if self.parse_processes != "auto":
            return self.parse_processes
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        return min(16, cores or 1)

    @model_validator(mode="after")
    def _check_bounds(self) -> PollerSettings:
        """Reject bounds that contradict each other instead of silently clamping."""
        if self.min_interval_seconds > self.max_interval_seconds:
            raise ValueError("min_interval_seconds must not exceed max_interval_seconds")
        if not self.min_interval_seconds <= self.default_interval_seconds <= self.max_interval_seconds:
            raise ValueError("default_interval_seconds must lie between the min and max intervals")
        if self.backoff_base_seconds > self.backoff_cap_seconds:
            raise ValueError("backoff_base_seconds must not exceed backoff_cap_seconds")
        return self


class SourcesSettings(BaseModel):
    """Which catalogue sources a new installation polls (``warwatch sources`` changes them later)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed_default_packs: bool = Field(
        True,
        description="On the first run, enable the default packs of the source catalogue. "
        "false leaves the feed list empty (tests, and machines that must not reach the internet). "
        "Also read from WARWATCH_SOURCES__SEED_DEFAULT_PACKS.",
    )
    default_packs: list[str] = Field(
        default_factory=list,
        description="The packs enabled on the first run; empty: every shipped pack and the query "
        'feeds (pack "queries"). `warwatch sources list` names them.',
    )
