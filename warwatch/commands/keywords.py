"""``warwatch keywords …``: the keyword rules admins tune at run time."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from warwatch.context import cli_context, fail

app = typer.Typer(help="List, add and remove keyword rules.", no_args_is_help=True)


@app.command("list")
def list_keywords(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Show every rule: term, weight, language, exclusion and proximity."""
    from rich.console import Console
    from rich.table import Table

    from storage.keywords import list_rules

    with cli_context(ctx).database.session() as session:
        rules = list_rules(session)
    if as_json:
        typer.echo(json.dumps([asdict(rule) for rule in rules], ensure_ascii=False, indent=2))
        return
    table = Table("term", "weight", "lang", "kind", "near", "window")
    for rule in rules:
        kind = "[red]exclude[/]" if rule.exclude else "include"
        table.add_row(
            rule.term, f"{rule.weight:g}", rule.lang or "any", kind, rule.near or "", str(rule.window or "")
        )
    Console().print(table)
    typer.echo(f"{len(rules)} rules")


@app.command("add")
def add_keyword(
    ctx: typer.Context,
    term: str,
    weight: Annotated[
        float, typer.Option(help="How much a match counts; negative weights count against.")
    ] = 1.0,
    lang: Annotated[str | None, typer.Option(help="Only for stories in this language (ISO 639-1).")] = None,
    exclude: Annotated[bool, typer.Option("--exclude", help="A match vetoes the alert.")] = False,
    near: Annotated[
        str | None, typer.Option(help="Only when one of these words (a|b|c) is close by.")
    ] = None,
    window: Annotated[
        int | None, typer.Option(help="How many words apart counts as close (with --near).")
    ] = None,
) -> None:
    """Add a rule, or change the rule with the same term, language and kind."""
    from pydantic import ValidationError

    from classifiers.rules import compile_rules
    from classifiers.settings import KeywordSeed
    from storage.admin import add_keyword as store_rule
    from storage.keywords import list_rules

    try:
        spec = KeywordSeed(term=term, weight=weight, lang=lang, exclude=exclude, near=near, window=window)
    except ValidationError as error:
        problem = error.errors()[0]
        fail(f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}")
    with cli_context(ctx).database.session() as session:
        try:
            compile_rules([*list_rules(session), spec])
        except ValueError as error:
            fail(f"rule rejected: {error}")
        rule = store_rule(session, spec, actor="cli")
    typer.echo(f"rule {rule.id}: {rule.term!r} weight {rule.weight:g}")


@app.command("remove")
def remove_keyword(
    ctx: typer.Context,
    term: str,
    lang: Annotated[str | None, typer.Option(help="Only the rule for this language.")] = None,
) -> None:
    """Remove the rules with this term."""
    from storage.admin import remove_keywords

    with cli_context(ctx).database.session() as session:
        removed = remove_keywords(session, term, actor="cli", lang=lang)
    if not removed:
        fail(f"no rule with term {term!r}", code=1)
    typer.echo(f"removed {removed} rule(s) for {term!r}")
