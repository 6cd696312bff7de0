"""`studybot questions TEXT [--passage N] [--json]`: the questions a passage's post would carry,
with the template and slots behind each, so an organiser can review them before a plan starts.

Registered on the main group in bot/cli.py (`cli.add_command(questions)`); it uses the same
generator as the daily post and the console.
"""

from __future__ import annotations

import json

import click

from bot import texts as library
from bot.questions.generate import Question, generate_questions


@click.command("questions")
@click.argument("text")
@click.option("--passage", "ordinal", type=int, metavar="N", help="Only passage N (default: every passage).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--no-llm", is_flag=True, help="Use the templates even when a language model is configured.")
@click.pass_obj
def questions(obj, text: str, ordinal: int | None, as_json: bool, no_llm: bool) -> None:
    """Show the discussion questions each passage of a text would get."""
    llm = None if no_llm else obj.settings.llm
    # A model's questions are cached, so the post carries the ones reviewed here: that writes.
    store = obj.store if llm else obj.reader
    found = library.resolve_text(store, text)
    chosen = [library.passage(store, found, ordinal)] if ordinal is not None else library.passages(store, found)
    results = [(p, generate_questions(store, p, llm=llm)) for p in chosen]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {"passage": p.ordinal, "section": p.section, "questions": [question_json(q) for q in qs]}
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
            click.echo(f"     {describe_origin(q)}")


def question_json(question: Question) -> dict:
    return {
        "text": question.text,
        "kind": question.kind,
        "template": question.template,
        "source": question.source,
        "slots": dict(question.slots),
    }


def describe_origin(question: Question) -> str:
    """Where a question came from: "term · term-meaning · term="party", term2="factions""."""
    slots = ", ".join(f"{k}={_short(v)!r}" for k, v in question.slots.items())
    return " · ".join(part for part in (question.source, question.kind, question.template, slots) if part)


def _short(value: str, width: int = 60) -> str:
    return value if len(value) <= width else value[: width - 1] + "…"
