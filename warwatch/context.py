"""What every CLI command needs: the settings and an up-to-date database, loaded on demand."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

if TYPE_CHECKING:
    from storage.db import Database
    from warwatch.config import Settings


@dataclass
class CliContext:
    config_path: Path | None
    _settings: Settings | None = field(default=None, repr=False)
    _database: Database | None = field(default=None, repr=False)
    _reading_database: Database | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from warwatch.config import ConfigError, load_settings, secret_values
            from warwatch.logs import configure_logging

            try:
                self._settings = load_settings(self.config_path)
            except ConfigError as error:
                fail(str(error))
            configure_logging(
                self._settings.logging.level,
                self._settings.logging.format,
                secrets=secret_values(self._settings),
            )
        return self._settings

    @property
    def database(self) -> Database:
        """The configured database, migrated to the newest schema and seeded with default keywords."""
        if self._database is None:
            from warwatch.config import ConfigError
            from warwatch.startup import open_database

            try:
                self._database = open_database(self.settings)
            except ConfigError as error:
                fail(str(error))
        return self._database

    @property
    def reading_database(self) -> Database:
        """The configured database opened read-only, for commands that only look: nothing is created."""
        if self._reading_database is None:
            from warwatch.config import ConfigError
            from warwatch.startup import open_database_for_reading

            try:
                self._reading_database = open_database_for_reading(self.settings)
            except ConfigError as error:
                fail(str(error))
        return self._reading_database


def fail(message: str, code: int = 2) -> NoReturn:
    """Stop the command with one clear line on stderr and no traceback (and no secret)."""
    from warwatch.logs import redact

    typer.secho(f"error: {redact(message)}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def cli_context(ctx: typer.Context) -> CliContext:
    return ctx.ensure_object(CliContext)
