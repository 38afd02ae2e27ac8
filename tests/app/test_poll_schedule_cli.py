"""A feed backing off after an error: `feeds list`, `status` and `run --once` say when it is polled
next, and `feeds poll ID` polls it now."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from pytest_httpserver import HTTPServer

from tests.app.conftest import serve_rss

LOCAL_FEEDS = "[poller]\nallow_private_addresses = true\nparse_processes = 0\n"


def test_a_feed_in_back_off_is_shown_and_can_be_polled_now(make_cli, feed_server: HTTPServer) -> None:
    cli = make_cli(LOCAL_FEEDS)
    feed_server.expect_request("/rss").respond_with_data("down for maintenance", status=503)
    cli("feeds", "add", feed_server.url_for("/rss"), "--name", "Local news")

    assert "run --once: 1 of 1 feeds were due;" in cli("run", "--once").stdout
    quiet = cli("run", "--once").stdout  # the feed backs off: nothing is due, and the run says so
    assert "run --once: 0 of 1 feeds were due; next: feed 1 at " in quiet
    assert "`warwatch feeds poll 1` polls it now" in quiet
    [row] = json.loads(cli("feeds", "list", "--json").stdout)
    assert row["status"] == "erroring" and row["next_poll_at"] > datetime.now(UTC).isoformat()
    assert "polling:     0 of 1 feeds due now; next: feed 1 at " in cli("status").stdout

    failed = cli("feeds", "poll", "1", code=1)  # polled at once, back-off or not
    assert "error: feed 1: " in failed.stderr and "503" in failed.stderr
    assert "2 failure(s) in a row" in failed.stderr

    feed_server.clear()
    serve_rss(feed_server, "/rss", [("Recruiters arrested", "In Kathmandu"), ("Weather", "Rain")])
    found = cli("feeds", "poll", "1").stdout
    assert "feed 1: 2 entries, 2 new stories stored" in found and "next poll " in found
    [row] = json.loads(cli("feeds", "list", "--json").stdout)
    assert (row["status"], row["errors"]) == ("ok", 0)
    cli("feeds", "poll", "2", code=1)
