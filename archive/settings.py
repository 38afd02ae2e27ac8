"""Archive configuration: the ``[archive]`` table of config.toml."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ArchiveSettings(BaseModel):
    """Where snapshots go, when pages are looked at again, and how much disk the archive may take."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(
        True,
        description="Archive every flagged story's page (a WARC file and its text), and re-check it. "
        "Off: only `warwatch archive ID` and /archive archive a page.",
    )
    directory: Path | None = Field(
        None,
        description="Folder of the WARC files (named by their SHA-256). Empty: `archive` beside the "
        "SQLite database file, or in the working directory with PostgreSQL.",
    )
    recheck_days: list[float] = Field(
        default_factory=lambda: [1.0, 7.0, 30.0],
        max_length=20,
        description="Days after the first copy at which each page is fetched again; a material change of "
        "its text or its removal (404/410, or a redirect to another host or the front page) keeps a "
        "diff and tells the chats that got the alert. Empty: no re-checks.",
    )
    min_changed_words: int = Field(
        1,
        ge=1,
        description="Words that must differ (added, removed or replaced; case, spacing and punctuation "
        "ignored) for a re-check to count the page as edited.",
    )
    max_bytes: int = Field(
        5_000_000_000,
        ge=0,
        description="Disk the WARC files may take; past it the oldest archives of stories never flagged "
        "(taken with `archive ID`) are deleted. Flagged stories' archives are kept until an admin "
        "deletes them (`warwatch archive delete ID`). 0: no cap.",
    )
    pages_per_cycle: int = Field(50, gt=0, description="Most pages fetched by one archive cycle.")
    max_attempts: int = Field(
        6, gt=0, description="Failed fetches of a page in a row before its capture (or re-check) is given up."
    )
    retry_base_seconds: float = Field(
        300.0,
        gt=0,
        description="Wait before fetching a page again after a failure; doubles with each failure.",
    )
    retry_cap_seconds: float = Field(
        21_600.0, gt=0, description="Longest wait between two tries of one page."
    )

    @field_validator("recheck_days")
    @classmethod
    def _increasing(cls, days: list[float]) -> list[float]:
        if any(day <= 0 for day in days) or days != sorted(days):
            raise ValueError("give positive days in increasing order, e.g. [1, 7, 30]")
        return days
