"""`studybot backup PATH` and `studybot health`: what a host runs beside the bot. Registered on
the main group in bot/cli/__init__.py."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from bot.cli.progress import size_text
from bot.errors import StudyError
from bot.service.health import MAX_AGE_SECONDS, problems, read_health, summary
from bot.store import back_up


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=True, path_type=str))
@click.option("--force", is_flag=True, help="Replace PATH if it exists.")
@click.pass_obj
def backup(obj, path: str, force: bool) -> None:
    """Copy the database to PATH, consistent even while the bot runs (SQLite's online backup)."""
    source = obj.settings.db_path
    made = back_up(source, path, force=force)
    click.echo(
        f"Backed up {source} (schema {made.schema}) to {made.path.resolve()}: {size_text(made.size)} in {made.seconds:.1f} s."
    )


@click.command("health")
@click.option("--file", "path", metavar="PATH", help="The health file (default: STUDYBOT_HEALTH_FILE).")
@click.option(
    "--max-age",
    default=MAX_AGE_SECONDS,
    show_default=True,
    type=click.FloatRange(1, 3600),
    help="Seconds after which an unchanged file means the bot stopped or hung.",
)
@click.pass_obj
def health(obj, path: str | None, max_age: float) -> None:
    """Exit 0 if the running bot is well, 1 if not (for a supervisor), saying why in one line."""
    path = path or obj.settings.health_file
    if not path:
        raise StudyError("Set STUDYBOT_HEALTH_FILE (for `studybot run` and here), or give --file PATH.")
    status = read_health(path)
    now = datetime.now(UTC)
    found = problems(status, now, max_age)
    if found:
        click.echo(f"unhealthy: {'; '.join(found)} ({summary(status, now)})")
        sys.exit(1)
    click.echo(f"healthy: {summary(status, now)}")
