"""The bot in a process of its own (settings from the environment), for the crash-recovery test."""

from __future__ import annotations

from bot.app import build_application
from storage.db import Database
from tests.bot.doubles import keyword_classify
from warwatch.config import Settings
from warwatch.logs import configure_logging


def main() -> None:
    settings = Settings()
    configure_logging("INFO")
    database = Database(settings.database.url)
    application = build_application(settings.for_bot(), database, keyword_classify)
    application.run_polling(poll_interval=0, timeout=1)


if __name__ == "__main__":
    main()
