"""`studybot doctor [--repair]`: check the database file, and rebuild its search index and the
tables derived from the stored paragraphs. Registered on the main group in bot/cli/__init__.py."""

from __future__ import annotations

import dataclasses
import sqlite3
import sys

import click

from bot.errors import StudyError
from bot.service.lease import describe, lease_state, replaceable, utc_now
from bot.shards import run_options
from bot.store import Checkup, Finding, Holder, Store, check_database, read_lease_holder, repair_database


@click.command("doctor")
@click.option(
    "--repair", is_flag=True, help="Bring the schema up to date and rebuild the search index (stop the bot first)."
)
@click.pass_obj
def doctor(obj, repair: bool) -> None:
    """Check the database: schema version, integrity, search index, who runs on it; --repair rebuilds the index."""
    path = obj.settings.db_path
    if repair:
        _refuse_while_running(path)
        checkup = repair_database(path)
        click.echo(f"Rebuilt the search index of {path} from its stored paragraphs; checked again:")
    else:
        checkup = check_database(path)
    show(_with_writer(checkup))
    if not checkup.healthy:
        sys.exit(1)


def _refuse_while_running(path: str) -> None:
    holder = _holder(path)
    if holder is not None and not replaceable(holder, utc_now()):
        raise StudyError(
            f"A studybot run is using {path} ({describe(holder)}); stop it before --repair, which rebuilds "
            "the index it searches."
        )


def _with_writer(checkup: Checkup) -> Checkup:
    """The checkup, with who holds the database's lease (when the file is readable and has one)."""
    if not any(f.subject == "schema" and f.ok for f in checkup.findings):
        return checkup
    finding = Finding(True, "writer", lease_state(_holder(checkup.path), utc_now()))
    return dataclasses.replace(checkup, findings=checkup.findings + (finding, _cluster(checkup.path)))


def _cluster(path: str) -> Finding:
    """Whose servers the file holds: which `studybot run` may start on it."""
    try:
        store = Store(path, readonly=True)
    except (StudyError, sqlite3.Error) as error:
        return Finding(True, "cluster", f"not read ({error})")
    try:
        cluster = store.cluster()
    finally:
        store.close()
    if cluster is None:
        return Finding(True, "cluster", "none yet: the first studybot run claims it")
    if cluster.everything:
        return Finding(True, "cluster", "every server (one process; studybot run without --shards)")
    return Finding(True, "cluster", f"the servers of {cluster} (studybot run {run_options(cluster)})")


def _holder(path: str) -> Holder | None:
    try:
        return read_lease_holder(path)
    except (StudyError, sqlite3.Error):  # no file, not a database, damaged: the checkup says so
        return None


def show(checkup: Checkup) -> None:
    for finding in checkup.findings:
        click.echo(f"{'ok' if finding.ok else 'PROBLEM':<8} {finding.subject}: {finding.detail}")
    click.echo(checkup.advice)
