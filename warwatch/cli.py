"""The ``warwatch`` command. Imports stay inside commands so ``warwatch --help`` is instant."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from warwatch.commands import (
    archive,
    cases,
    classify,
    config,
    db,
    feedback,
    feeds,
    keywords,
    run,
    search,
    sources,
    status,
)
from warwatch.context import CliContext

app = typer.Typer(
    name="warwatch",
    help="Watch news feeds for stories about people trafficked or recruited to fight in wars.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", envvar="WARWATCH_CONFIG", help="Configuration file (default: ./config.toml)."
        ),
    ] = None,
) -> None:
    """Watch news feeds for stories about people trafficked or recruited to fight in wars."""
    ctx.obj = CliContext(config_path=config)


app.command("run")(run.run_command)
app.command("search")(search.search_command)
app.command("status")(status.status_command)
app.command("classify")(classify.classify_command)
app.command("eval")(classify.eval_command)
app.command("reclassify")(classify.reclassify_command)
app.command("eval-cases")(cases.eval_cases_command)
app.add_typer(db.app, name="db")
app.add_typer(feedback.app, name="feedback")
app.add_typer(feeds.app, name="feeds")
app.add_typer(keywords.app, name="keywords")
app.add_typer(sources.app, name="sources")
app.add_typer(config.app, name="config")
app.add_typer(cases.app, name="cases")
app.add_typer(archive.app, name="archive")
app.command("cite")(archive.cite_command)
