"""The `studybot` command: ingest, look at texts and passages, search, and run the bot."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from bot import render
from bot import texts as library
from bot.cli.doctor import doctor
from bot.cli.operate import backup, health
from bot.cli.progress import IngestReport
from bot.cli.questions import questions
from bot.cli.reshard import reshard
from bot.config import Settings, load_settings
from bot.console import run_console
from bot.errors import StudyError
from bot.search import context as paragraph_context
from bot.search import search as search_texts
from bot.service import Lease, describe
from bot.shards import MAX_SHARD_COUNT, parse_cluster
from bot.store import LeaseBook, Store
from bot.texts.fetch import FetchPolicy, is_url
from bot.texts.formats import READABLE
from bot.texts.names import printable
from bot.texts.segment import Pace

log = logging.getLogger(__name__)


class Context:
    """What every subcommand needs: the settings and, opened lazily, the store: `store` for the
    commands that write (ingest, run, console), `reader` for those that only look, which never
    write, so they work beside a running bot, on a full disk or a read-only file."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._stores: dict[bool, Store] = {}

    @property
    def store(self) -> Store:
        return self._open(readonly=False)

    @property
    def reader(self) -> Store:
        return self._open(readonly=True)

    def _open(self, readonly: bool) -> Store:
        if readonly not in self._stores:
            try:
                self._stores[readonly] = Store(self.settings.db_path, readonly=readonly)
            except StudyError:
                raise  # a full disk, a damaged or newer file: the sentence says what to do
            except Exception as error:  # sqlite3 errors: not a database, read-only folder...
                raise StudyError(
                    f"Cannot open the database {self.settings.db_path} ({error}); "
                    "check the path given by --db or STUDYBOT_DB."
                ) from error
        return self._stores[readonly]


def seen_by(store: Store, guild_id: int | None) -> Store:
    """The library as that server sees it (its texts and the shared ones), or all of it."""
    return store.view(guild_id) if guild_id else store


def refuse_stranger(store: Store, guild_id: int) -> None:
    """A cluster's database holds its own servers only: another's texts go to that one's."""
    cluster = store.cluster()
    if cluster is not None and not cluster.owns(guild_id):
        raise StudyError(
            f"Server {guild_id} is not one of this database's ({cluster}); add its texts to its cluster's database."
        )


def _bold() -> tuple[str, str]:
    return ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("**", "**")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", metavar="PATH", help="SQLite file (default: STUDYBOT_DB or ./studybot.db).")
@click.option("-v", "--verbose", is_flag=True, help="Log debug detail to stderr.")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, verbose: bool) -> None:
    """studybot: a reading group's bot. Ingest texts, search them, and run the Discord bot."""
    settings = load_settings()
    if db_path:
        settings = dataclasses.replace(settings, db_path=db_path)
    logging.basicConfig(
        level=logging.DEBUG if verbose else getattr(logging, settings.log_level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = Context(settings)


SERVER = click.IntRange(1, 2**63 - 1)
"""A Discord server's id (Developer Mode, right-click the server, Copy Server ID)."""


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH|URL]...")
@click.option("--min-words", default=250, show_default=True, help="Shortest passage, in words.")
@click.option("--max-words", default=600, show_default=True, help="Longest passage, in words.")
@click.option(
    "--replace", is_flag=True, help="Update the text each file's name gives, even if it came from another file."
)
@click.option(
    "--server",
    "guild_id",
    type=SERVER,
    metavar="ID",
    help="Add the texts to this Discord server's own library, which only it sees (default: the shared library).",
)
@click.pass_obj
def ingest(
    obj: Context, paths: tuple[str, ...], min_words: int, max_words: int, replace: bool, guild_id: int | None
) -> None:
    """Load texts (.txt, .md, .epub, .pdf, .html, or an http(s) page) into the database;
    default: the corpus folder, into the shared library every server sees."""
    if not 0 < min_words <= max_words:
        raise StudyError("--min-words must be positive and no more than --max-words.")
    targets = [p if is_url(p) else Path(p) for p in paths] or [Path(obj.settings.corpus_dir)]
    if guild_id is not None:
        refuse_stranger(obj.store, guild_id)
    report = IngestReport(database=obj.settings.db_path)
    try:
        outcomes = library.ingest(
            obj.store,
            targets,
            Pace(min_words=min_words, max_words=max_words),
            replace=replace,
            policy=FetchPolicy(allow_hosts=obj.settings.fetch_allow_hosts),
            progress=report,
            guild_id=guild_id,
        )
    finally:
        report.close()
    if not outcomes:
        raise StudyError(f"No texts in {', '.join(map(printable, targets))}; {READABLE}.")
    if any(o.status == "failed" for o in outcomes):
        sys.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--server", "guild_id", type=SERVER, metavar="ID", help="Only the texts this server sees.")
@click.pass_obj
def texts(obj: Context, as_json: bool, guild_id: int | None) -> None:
    """List the texts in the database: the shared library and every server's own."""
    found = library.list_texts(seen_by(obj.reader, guild_id))
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "text": t.slug,
                        "title": t.meta.title,
                        "author": t.meta.author,
                        "year": t.meta.year,
                        "passages": t.passage_count,
                        "words": t.word_count,
                        "server": t.guild_id,
                    }
                    for t in found
                ],
                indent=2,
            )
        )
        return
    if not found:
        click.echo("No texts yet; run `studybot ingest` to load the corpus folder.")
    for t in found:
        year = f", {t.meta.year}" if t.meta.year else ""
        own = f" [server {t.guild_id}]" if t.guild_id is not None else ""
        click.echo(
            f"{t.slug}{own}\n    {t.meta.title} ({t.meta.author}{year}): {t.passage_count} passages, {t.word_count} words"
        )


@cli.command()
@click.argument("text")
@click.option("--show", type=int, metavar="N", help="Print passage N in full.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--server", "guild_id", type=SERVER, metavar="ID", help="Among the texts this server sees.")
@click.pass_obj
def passages(obj: Context, text: str, show: int | None, as_json: bool, guild_id: int | None) -> None:
    """List a text's passages, or print one with --show N."""
    store = seen_by(obj.reader, guild_id)
    found = library.resolve_text(store, text)
    chosen = [library.passage(store, found, show)] if show is not None else library.passages(store, found)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "passage": p.ordinal,
                        "section": p.section,
                        "words": p.word_count,
                        **({"body": p.body} if show is not None else {}),
                    }
                    for p in chosen
                ],
                indent=2,
            )
        )
        return
    if show is not None:
        card = render.passage_card(chosen[0])
        click.echo(f"{card.title}\n\n{card.description}\n\n— {card.footer}")
        return
    for p in chosen:
        first = p.body.split("\n", 1)[0]
        click.echo(f"{p.ordinal:>4}  {p.word_count:>4} words  {p.section[:40]:<40}  {first[:60]}…")


@cli.command(context_settings={"ignore_unknown_options": True})  # "stalin -trotsky" is a query
@click.argument("query", nargs=-1, required=True, type=click.UNPROCESSED)
@click.option("--text", "text", metavar="T", help="Only texts whose name, title or author contains T.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 50), help="Show at most this many hits.")
@click.option(
    "--context",
    "around",
    type=click.IntRange(0, 5),
    default=0,
    help="Also print N paragraphs before and after each hit.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output, with whole paragraphs.")
@click.option(
    "--server", "guild_id", type=SERVER, metavar="ID", help="Search as this server does: its texts and the shared ones."
)
@click.pass_obj
def search(
    obj: Context, query: tuple[str, ...], text: str | None, limit: int, around: int, as_json: bool, guild_id: int | None
) -> None:
    """Search the texts (every text, or those a server sees): words, "phrases", -excluded, a OR b, prefix*."""
    store = seen_by(obj.reader, guild_id)
    result = search_texts(store, " ".join(query), text=text, limit=limit)
    contexts = {h.paragraph_id: paragraph_context(store, h.paragraph_id, around) for h in result.hits} if around else {}
    if as_json:
        hits = [
            render.hit_json(h)
            | ({"context": [body for _, body, _ in contexts[h.paragraph_id].paragraphs]} if around else {})
            for h in result.hits
        ]
        click.echo(
            json.dumps({"query": result.query, "notice": result.notice, "hits": hits}, indent=2, ensure_ascii=False)
        )
        return
    for line in render.search_lines(result, _bold(), contexts):
        click.echo(line)


@cli.command()
@click.option(
    "--standby", is_flag=True, help="If another studybot runs on this database, wait and take over when it stops."
)
@click.option(
    "--shards",
    "shard_spec",
    metavar="IDS",
    help="Run a cluster that owns these shards (e.g. 0-7), with --shard-count (default: every shard, one process).",
)
@click.option(
    "--shard-count",
    type=click.IntRange(1, MAX_SHARD_COUNT),
    metavar="N",
    help="How many shards the bot has in all (with --shards).",
)
@click.pass_obj
def run(obj: Context, standby: bool, shard_spec: str | None, shard_count: int | None) -> None:
    """Load the corpus, then start the Discord bot (needs DISCORD_TOKEN). One runs per database:
    a second refuses to start, or waits with --standby. A cluster (--shards) answers and posts
    for its shards' servers, from a database holding only theirs (see `studybot reshard`)."""
    cluster = parse_cluster(shard_spec, shard_count)
    lease = _take_lease(obj, standby) if obj.settings.discord_token else None
    try:
        obj.store.claim_cluster(cluster)
        corpus_dir = Path(obj.settings.corpus_dir)
        if corpus_dir.exists():
            library.ingest(
                obj.store,
                [corpus_dir],
                progress=IngestReport(terminal=False, quiet_unchanged=True, database=obj.settings.db_path),
            )
        texts = library.list_texts(obj.store)
        click.echo(f"{len(texts)} texts ready in {obj.settings.db_path}.")
        if lease is None:
            click.echo(
                "No DISCORD_TOKEN is set, so the bot cannot connect to Discord: put the bot's token in "
                ".env (see .env.example and the README). Meanwhile try everything it does with "
                "`studybot console`, or `studybot search Kronstadt`."
            )
            if sys.stdin.isatty():
                click.echo("Starting the console now.\n")
                _console(obj)
            return
        from bot.adapter.runner import run_bot  # discord.py is loaded only to run the bot

        terminated = run_bot(obj.settings, obj.store, lease, cluster)
    finally:
        if lease is not None:
            lease.release()
    if terminated:  # stopped by SIGTERM, cleanly: end as that signal would have ended it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)


def _take_lease(obj: Context, standby: bool) -> Lease:
    """This process's lease on the database, taken before anything is written: refused with a
    sentence naming the holder, or (standby) waited for."""
    obj.store  # noqa: B018  (opened first: it brings the schema, the lease table with it, up to date)
    lease = Lease(LeaseBook(obj.settings.db_path))
    if standby:
        lease.wait_to_take(
            lambda holder: click.echo(
                f"Standing by: another studybot runs on {obj.settings.db_path} ({describe(holder)}); "
                "this one takes over when it stops."
            )
        )
    else:
        lease.take()
    lease.start()
    return lease


cli.add_command(questions)
cli.add_command(doctor)
cli.add_command(backup)
cli.add_command(health)
cli.add_command(reshard)


@cli.command()
@click.pass_obj
def console(obj: Context) -> None:
    """Try the bot's commands in the terminal, without Discord or a token."""
    _console(obj)


def _console(obj: Context) -> None:
    if not library.list_texts(obj.store):
        library.ingest(obj.store, [Path(obj.settings.corpus_dir)])
    run_console(obj.store, datetime.now(UTC), llm=obj.settings.llm)


@cli.command("invite-url")
@click.option("--client-id", type=int, help="The application id (default: read from DISCORD_TOKEN).")
@click.pass_obj
def invite_url(obj: Context, client_id: int | None) -> None:
    """Print the link that adds the bot to a server, with the permissions it needs."""
    from bot.adapter.invite import application_id_from_token
    from bot.adapter.invite import invite_url as make_url

    if client_id is None:
        if not obj.settings.discord_token:
            raise StudyError(
                "Set DISCORD_TOKEN in .env, or pass --client-id (Developer Portal > General Information > Application ID)."
            )
        client_id = application_id_from_token(obj.settings.discord_token)
    click.echo(make_url(client_id))


def main() -> None:
    """Entry point: user errors become one sentence; anything else is logged, not dumped."""
    for stream in (sys.stdout, sys.stderr):  # a terminal that is not UTF-8 gets \u escapes, not a crash
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Stopped.", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except StudyError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except Exception:
        log.debug("unexpected error", exc_info=True)
        click.echo(
            "Error: something unexpected went wrong; run again with --verbose to see the detail.",
            err=True,
        )
        sys.exit(70)
