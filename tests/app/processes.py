"""`warwatch run` as a child process, for the tests that kill, restart or share work between processes,
and the counts those tests check."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO

from sqlalchemy import func, select

from storage.db import Database
from storage.models import Classification, Story
from storage.states import StoryState
from tests.offline import SEED_SOURCES_ENV

ROOT = Path(__file__).resolve().parents[2]


def environment(
    database_url: str, model: str = "use", env: Mapping[str, str] | None = None
) -> dict[str, str]:
    """A service's environment; ``use`` loads in a second (these tests are about processes, not the model)."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "WARWATCH_DATABASE__URL": database_url,
        "WARWATCH_POLLER__ALLOW_PRIVATE_ADDRESSES": "true",
        "WARWATCH_CLASSIFIER__EMBEDDING_MODEL": model,
        SEED_SOURCES_ENV: "false",  # a service in a test never polls a real outlet
        **(env or {}),
    }


def run_command(role: str) -> list[str]:
    return [sys.executable, "-m", "warwatch", "run", "--role", role]


def start(
    role: str,
    database_url: str,
    model: str = "use",
    env: Mapping[str, str] | None = None,
    stderr: IO[bytes] | None = None,
) -> subprocess.Popen[bytes]:
    """A service process in the background (its log lines go to ``stderr``); the test stops it by its PID."""
    return subprocess.Popen(
        run_command(role),
        cwd=ROOT,
        env=environment(database_url, model, env),
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )


def until(condition: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.2)


def stop(*processes: subprocess.Popen[bytes]) -> list[int]:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # by PID; in-flight jobs finish, then the process exits
    return [process.wait(timeout=60) for process in processes]


def counts(database: Database) -> tuple[int, int, int]:
    """Stories stored, stories classified, verdicts written."""
    with database.session() as session:
        stored = session.scalar(select(func.count(Story.id))) or 0
        done = session.scalar(select(func.count(Story.id)).where(Story.state == StoryState.CLASSIFIED)) or 0
        verdicts = session.scalar(select(func.count(Classification.id))) or 0
    return stored, done, verdicts
