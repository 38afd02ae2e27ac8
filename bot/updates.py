"""Reading getUpdates so that one update python-telegram-bot cannot parse does not stop the bot.

PTB parses a getUpdates batch as a whole: one unreadable update (a required field missing, a value
of the wrong type) fails the batch, the offset never moves past it, and the bot asks for the same
batch again and again without handling anything. Here each update is tried on its own first, and
an unreadable one is replaced by a bare ``{"update_id": N}``: PTB confirms it, no handler matches
it, and the updates after it are handled as usual.
"""

from __future__ import annotations

from typing import Any

import structlog
from telegram import Update
from telegram.request import HTTPXRequest

log = structlog.get_logger(__name__)


class UpdatesRequest(HTTPXRequest):
    """The connection used for getUpdates only (``ApplicationBuilder.get_updates_request``)."""

    def parse_json_payload(self, payload: bytes) -> dict[str, Any]:  # type: ignore[override]
        data = super().parse_json_payload(payload)
        if data.get("ok") and isinstance(data.get("result"), list):
            data["result"] = [update for item in data["result"] if (update := readable_update(item))]
        return data


def readable_update(item: Any) -> dict[str, Any] | None:
    """The update if PTB can read it, else a bare one with its id (None when even that is missing)."""
    update_id = item.get("update_id") if isinstance(item, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        log.warning("update_unreadable", update=str(item)[:300], error="no update_id")
        return None
    try:
        Update.de_json(item, None)
    except Exception as error:  # whatever PTB raises on this data, the update is skipped, not the bot
        log.warning("update_unreadable", update_id=update_id, error=f"{type(error).__name__}: {error}")
        return {"update_id": update_id}
    return item
