"""`studybot doctor [--repair]`: check the database file, and rebuild its search index and the
tables derived from the stored paragraphs. Registered on the main group in bot/cli/__init__.py."""

from __future__ import annotations

import sys

import click

from bot.store import Checkup, check_database, repair_database


@click.command("doctor")
@click.option(
    "--repair", is_flag=True, help="Bring the schema up to date and rebuild the search index (stop the bot first)."
)
@click.pass_obj
def doctor(obj, repair: bool) -> None:
    """Check the database: schema version, integrity, search index; --repair rebuilds the index."""
    path = obj.settings.db_path
    checkup = repair_database(path) if repair else check_database(path)
    if repair:
        click.echo(f"Rebuilt the search index of {path} from its stored paragraphs; checked again:")
    show(checkup)
    if not checkup.healthy:
        sys.exit(1)


def show(checkup: Checkup) -> None:
    for finding in checkup.findings:
        click.echo(f"{'ok' if finding.ok else 'PROBLEM':<8} {finding.subject}: {finding.detail}")
    click.echo(checkup.advice)
