"""`studybot questions TEXT [--passage N] [--server ID] [--json]`: the questions a passage's post
would carry, with the template and slots behind each (or, for a server's own, who wrote and
approved them), so an organiser can review them before a plan starts; `studybot questions
--server ID` lists every question a server has made its own.

Registered on the main group in bot/cli.py (`cli.add_command(questions)`); it uses the same
generator as the daily post and the console.
"""

from __future__ import annotations

import json

import click

from bot import render
from bot import texts as library
from bot.models import CuratedQuestion
from bot.questions.generate import Question, generate_questions


@click.command("questions")
@click.argument("text", required=False)
@click.option("--passage", "ordinal", type=int, metavar="N", help="Only passage N (default: every passage).")
@click.option(
    "--server",
    "guild_id",
    type=int,
    metavar="ID",
    help="A Discord server's id: its own questions (edited or approved there) come first, with who wrote them.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--no-llm", is_flag=True, help="Use the templates even when a language model is configured.")
@click.pass_obj
def questions(obj, text: str | None, ordinal: int | None, guild_id: int | None, as_json: bool, no_llm: bool) -> None:
    """Show the discussion questions each passage of a text would get (on a server, with --server);
    with --server and no TEXT, every question that server has made its own."""
    llm = None if no_llm else obj.settings.llm
    # A model's questions are cached, so the post carries the ones reviewed here: that writes.
    store = obj.store if llm else obj.reader
    if text is None:
        if guild_id is None:
            raise click.UsageError("Name a text, or give --server ID to list that server's own questions.")
        show_server_questions(store, guild_id, as_json)
        return
    found = library.resolve_text(store, text)
    chosen = [library.passage(store, found, ordinal)] if ordinal is not None else library.passages(store, found)
    results = [(p, generate_questions(store, p, llm=llm, guild_id=guild_id)) for p in chosen]
    own = _own_questions(store, guild_id, found.id)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "passage": p.ordinal,
                        "section": p.section,
                        "questions": [question_json(q, own.get((p.ordinal, q.text))) for q in qs],
                    }
                    for p, qs in results
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    for index, (p, qs) in enumerate(results):
        if index:
            click.echo("")
        section = f" · {p.section}" if p.section else ""
        click.echo(f"{found.meta.title}, passage {p.ordinal} of {p.passage_count}{section}")
        for number, q in enumerate(qs, start=1):
            click.echo(f"  {number}. {q.text}")
            click.echo(f"     {describe_origin(q, own.get((p.ordinal, q.text)))}")


def show_server_questions(store, guild_id: int, as_json: bool) -> None:
    """Every passage a server has its own questions for, text version by text version."""
    sets = store.server_question_sets(guild_id)
    if as_json:
        click.echo(json.dumps([_set_json(store, s) for s in sets], indent=2, ensure_ascii=False))
        return
    if not sets:
        click.echo(f"Server {guild_id} has no questions of its own yet.")
        return
    current = {t.id for t in store.texts()}
    for index, kept in enumerate(sets):
        if index:
            click.echo("")
        text = store.text_by_id(kept.text_id)
        passage = store.passage(kept.text_id, kept.ordinal)
        older = "" if text.id in current else ", an older version of the text"
        how = "the post's whole list" if kept.replaces_generated else "before the generated questions"
        section = f" · {passage.section}" if passage and passage.section else ""
        click.echo(f"{text.meta.title}, passage {kept.ordinal} of {text.passage_count}{section} ({how}){older}")
        for number, q in enumerate(kept.questions, start=1):
            click.echo(f"  {number}. {q.text}")
            click.echo(f"     {_own_origin(q)}")


def question_json(question: Question, own: CuratedQuestion | None = None) -> dict:
    found = {
        "text": question.text,
        "kind": question.kind,
        "template": question.template,
        "source": question.source,
        "slots": dict(question.slots),
    }
    if own is not None:
        found["server"] = _curated_json(own)
    return found


def describe_origin(question: Question, own: CuratedQuestion | None = None) -> str:
    """Where a question came from: "template · term · term-meaning · term='party'", or for a
    server's own, who wrote and approved it."""
    if own is not None:
        return f"{question.source} · server · {_own_origin(own)}"
    slots = ", ".join(f"{k}={_short(v)!r}" for k, v in question.slots.items())
    return " · ".join(part for part in (question.source, question.kind, question.template, slots) if part)


def _own_questions(store, guild_id: int | None, text_id: int) -> dict[tuple[int, str], CuratedQuestion]:
    if guild_id is None:
        return {}
    return {(s.ordinal, q.text): q for s in store.server_question_sets(guild_id, text_id) for q in s.questions}


def _own_origin(question: CuratedQuestion) -> str:
    return f"{render.curated_origin(question, lambda user: f'user {user}')}, {question.added_at[:10]}"


def _curated_json(question: CuratedQuestion) -> dict:
    return {
        "source": question.source,
        "author_id": question.author_id,
        "approved_by": question.approved_by,
        "added_at": question.added_at,
    }


def _set_json(store, kept) -> dict:
    text = store.text_by_id(kept.text_id)
    return {
        "text": text.slug,
        "text_version": kept.text_id,
        "passage": kept.ordinal,
        "replaces_generated": kept.replaces_generated,
        "questions": [{"text": q.text, **_curated_json(q)} for q in kept.questions],
    }


def _short(value: str, width: int = 60) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
