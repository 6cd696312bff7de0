"""Discussion questions for a passage: hand-written ones first, then a language model's if one
is configured, else templates from prompts/questions.toml filled from the passage analysis.

A post gets three questions of different kinds. Which kind leads, and the order of the rest,
follow the passage's position in its text, so consecutive days differ while the same passage
always gets the same questions (nothing here is random). Every question is checked before it
is used: a filled template that would read badly (too long, a slot left empty, quotation marks
that do not pair, a doubled word) is passed over for the next candidate.
"""

from __future__ import annotations

import hashlib
import logging
import re
import string
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from bot.config import LlmConfig
from bot.errors import ConfigError
from bot.models import ServerQuestions, StoredPassage, Text
from bot.questions.analysis import PassageAnalysis, analyse_passage
from bot.questions.analysis.wording import MAX_QUESTIONS, MIN_QUESTIONS, question_problems, short_title
from bot.questions.llm import PROMPT_FILE, LlmError, model_questions
from bot.resources import prompts_dir
from bot.store import Store
from bot.textutil import squash

log = logging.getLogger(__name__)

TEMPLATES_FILE = prompts_dir() / "questions.toml"


class QuestionKind(StrEnum):
    """What a question asks about: a kind of template (a table of prompts/questions.toml), or,
    for a question not made from a template, where it came from."""

    TERM = "term"
    CLAIM = "claim"
    NAME = "name"
    CONTRAST = "contrast"
    CONNECTION = "connection"
    RELATION = "relation"
    APPLICATION = "application"
    REFLECTION = "reflection"
    """The last resort: a question any passage can take, when it gives too few others."""
    CURATED = "curated"
    LLM = "llm"


QuestionSource = Literal["curated", "template", "llm"]

KINDS = (
    QuestionKind.TERM,
    QuestionKind.CLAIM,
    QuestionKind.NAME,
    QuestionKind.CONTRAST,
    QuestionKind.CONNECTION,
    QuestionKind.RELATION,
    QuestionKind.APPLICATION,
)
LAST_RESORT = QuestionKind.REFLECTION
QUESTIONS_PER_POST = 3
COMMON_SLOTS = frozenset({"author", "Author"})
KIND_SLOTS = {
    QuestionKind.TERM: frozenset({"term", "term2"}),
    QuestionKind.CLAIM: frozenset({"quote"}),
    QuestionKind.NAME: frozenset({"name", "term"}),
    QuestionKind.CONTRAST: frozenset({"quote"}),
    QuestionKind.CONNECTION: frozenset({"topic", "term", "other_author", "other_title", "other_passage"}),
    QuestionKind.RELATION: frozenset({"term", "term2"}),
    QuestionKind.APPLICATION: frozenset({"term", "term2"}),
    LAST_RESORT: frozenset(),
}
"""The slots each kind of template may use (besides COMMON_SLOTS)."""


@dataclass(frozen=True)
class Question:
    text: str
    kind: QuestionKind
    template: str
    """The template's name; for a curated question "catalog" (the text's) or "server" (a server's
    own); the prompt file for the model's."""
    slots: Mapping[str, str] = field(default_factory=dict)
    """What filled the template's slots."""
    source: QuestionSource = "template"


@dataclass(frozen=True)
class Template:
    name: str
    kind: QuestionKind
    text: str
    slots: frozenset[str]


def generate_questions(
    store: Store,
    passage: StoredPassage,
    *,
    llm: LlmConfig | None = None,
    templates: Mapping[str, tuple[Template, ...]] | None = None,
    guild_id: int | None = None,
) -> list[Question]:
    """The 2-4 questions a passage's post carries (for a server, with its curated questions).
    Deterministic for a given passage, library and server."""
    text = store.text_by_id(passage.text_id)
    server = store.server_questions(guild_id, passage.text_id, passage.ordinal) if guild_id is not None else None
    if server is not None and server.replaces_generated:
        return server_curated(server)
    curated = server_curated(server)
    curated += [
        q for q in (curated_questions(text, passage) if text else []) if q.text not in {c.text for c in curated}
    ]
    if len(curated) >= QUESTIONS_PER_POST:
        return curated[:MAX_QUESTIONS]
    analysis = analyse_passage(store, passage, text)
    if llm is not None and not curated:
        try:
            texts = model_questions(store, llm, passage, analysis)
            return [Question(t, QuestionKind.LLM, PROMPT_FILE.name, {}, "llm") for t in texts]
        except LlmError as error:
            log.warning(
                "passage %s/%s: using templates, the model gave no usable questions: %s",
                passage.text_slug,
                passage.ordinal,
                error,
            )
    made = template_questions(passage, analysis, templates or load_templates())
    return curated + made[: max(QUESTIONS_PER_POST - len(curated), MIN_QUESTIONS - len(curated))]


# -- curated ------------------------------------------------------------------------------------


def server_curated(server: ServerQuestions | None) -> list[Question]:
    """A server's own questions for the passage, template "server": its organisers' list, or the
    members' suggestions they approved, which lead the generated ones."""
    return [Question(q.text, QuestionKind.CURATED, "server", {}, "curated") for q in server.questions] if server else []


def curated_questions(text: Text, passage: StoredPassage) -> list[Question]:
    """Hand-written questions for this passage (by number) and then its section (by title)."""
    found: list[str] = []
    by_section = {k.casefold(): v for k, v in text.meta.questions.items()}
    for listed in (
        text.meta.questions.get(str(passage.ordinal), []),
        by_section.get(passage.section.casefold(), []) if passage.section else [],
    ):
        found += [q for q in listed if q not in found]
    return [Question(q, QuestionKind.CURATED, "catalog", {}, "curated") for q in found]


# -- templates ----------------------------------------------------------------------------------


def load_templates(path: Path = TEMPLATES_FILE) -> dict[str, tuple[Template, ...]]:
    """The templates, re-read whenever the file changes, so an organiser's edit applies at once."""
    try:
        modified = path.stat().st_mtime_ns
    except OSError as error:
        raise ConfigError(f"The question templates {path} cannot be read ({error.strerror}).") from error
    return _read_templates(str(path), modified)


@lru_cache(maxsize=4)
def _read_templates(path: str, modified: int) -> dict[str, tuple[Template, ...]]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix it.") from error
    templates: dict[str, tuple[Template, ...]] = {}
    for kind, entries in data.items():
        if kind not in KIND_SLOTS:
            raise ConfigError(f"{path}: unknown kind [[{kind}]]; the kinds are {', '.join(KIND_SLOTS)}.")
        templates[kind] = tuple(_template(path, QuestionKind(kind), entry) for entry in entries)
    return templates


def _template(path: str, kind: QuestionKind, entry: object) -> Template:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not isinstance(entry.get("text"), str):
        raise ConfigError(f"{path}: every [[{kind}]] template needs a name and a text.")
    allowed = COMMON_SLOTS | KIND_SLOTS[kind]
    try:
        slots = {f for _, f, spec, conv in string.Formatter().parse(entry["text"]) if f is not None}
        bad = [f for f in slots if f not in allowed]
    except ValueError as error:
        raise ConfigError(f"{path}: template {entry['name']} has a stray brace ({error}).") from error
    if bad:
        raise ConfigError(
            f"{path}: template {entry['name']} uses {{{bad[0]}}}; a {kind} template can use "
            f"{', '.join('{' + s + '}' for s in sorted(allowed))}."
        )
    return Template(entry["name"], kind, entry["text"].strip(), frozenset(slots))


def template_questions(
    passage: StoredPassage, analysis: PassageAnalysis, templates: Mapping[str, tuple[Template, ...]]
) -> list[Question]:
    """One question per kind, in the day's order, until QUESTIONS_PER_POST are made."""
    common = _common_slots(passage.author)

    def attempt(kind: QuestionKind, used: set[str]) -> Question | None:
        candidates = _candidates(kind, analysis, used)
        return _first_fitting(kind, passage, templates.get(kind, ()), candidates, common)

    available = [k for k in KINDS if attempt(k, set()) is not None]
    made: list[Question] = []
    used: set[str] = set()
    for kind in kind_order(passage.text_slug, passage.ordinal, available):
        if len(made) == QUESTIONS_PER_POST:
            break
        question = attempt(kind, used)
        if question is not None:
            made.append(question)
            used.update(v for k, v in question.slots.items() if k not in COMMON_SLOTS)
    rotation = _rotation(passage, LAST_RESORT)
    for template in rotation(templates.get(LAST_RESORT, ())):
        if len(made) >= MIN_QUESTIONS:
            break
        question = _fill(template, common)
        if question is not None:
            made.append(question)
    return made


def kind_order(text_slug: str, ordinal: int, available: Sequence[str] = KINDS) -> list[QuestionKind]:
    """The day's order of the kinds a passage can give questions of.

    A walk through every ordered choice of three of them (for all seven kinds, 7 x 6 x 5 =
    210): the lead kind changes every day, and consecutive passages that can give the same kinds
    never repeat the same first three. A text-specific offset keeps two texts from marching in
    step.
    """
    kinds = [k for k in KINDS if k in available]
    count = len(kinds)
    if count < 3:
        return kinds[ordinal % count :] + kinds[: ordinal % count] if kinds else []
    pairs = (count - 1) * (count - 2)
    step = ordinal - 1 + _number(text_slug) % (count * pairs)
    lead = kinds[step % count]
    rest = [k for k in kinds if k != lead]
    pair = (step // count + 11 * (step % count)) % pairs  # jumps on each day, still one-to-one
    second = rest[pair // (count - 2)]
    rest = [k for k in rest if k != second]
    third = rest[pair % (count - 2)]
    return [lead, second, third] + [k for k in rest if k != third]


def _candidates(kind: QuestionKind, analysis: PassageAnalysis, used: set[str]) -> Iterator[dict[str, str]]:
    """Slot fillings for a kind, best first; fillings that reuse another question's terms or
    quotation come last."""
    terms = [t.text for t in analysis.terms]
    fresh_terms = [t for t in terms if t not in used] + [t for t in terms if t in used]
    if kind in (QuestionKind.TERM, QuestionKind.RELATION, QuestionKind.APPLICATION):
        pairs = [(a, b) for i, a in enumerate(fresh_terms[:4]) for b in fresh_terms[i + 1 : 5]]
        yield from ({"term": a, "term2": b} for a, b in pairs)
        yield from ({"term": t} for t in fresh_terms[:3])
    elif kind == QuestionKind.CLAIM:
        yield from ({"quote": q.text} for q in analysis.quotes)
    elif kind == QuestionKind.NAME:
        for name in analysis.names[:4]:
            for term in fresh_terms[:4]:
                if squash(term) not in squash(name.text):
                    yield {"name": name.text, "term": term}
    elif kind == QuestionKind.CONTRAST:
        yield from ({"quote": c.quote} for c in analysis.contrasts if c.quote not in used)
    elif kind == QuestionKind.CONNECTION and analysis.connection is not None:
        other = analysis.connection.passage
        topic = analysis.connection.topic
        if surname(other.author) != "the author":  # "the author" would read as this text's
            link = {
                "topic": f"“{topic}”" if topic in terms else topic,
                "other_author": surname(other.author),
                "other_title": short_title(other.text_title),
                "other_passage": str(other.ordinal),
            }
            yield from ({**link, "term": t} for t in fresh_terms[:4] if squash(t) != squash(topic))
            yield link


def _first_fitting(
    kind: QuestionKind,
    passage: StoredPassage,
    templates: tuple[Template, ...],
    candidates: Iterator[dict[str, str]],
    common: dict[str, str],
) -> Question | None:
    rotation = _rotation(passage, kind)
    ordered = rotation(templates)
    for slots in candidates:
        for template in ordered:
            if template.slots - COMMON_SLOTS == slots.keys():
                question = _fill(template, {**common, **slots})
                if question is not None:
                    return question
    return None


def _fill(template: Template, slots: Mapping[str, str]) -> Question | None:
    if any(not slots.get(s, "").strip() for s in template.slots):
        return None
    text = template.text.format_map({k: v for k, v in slots.items()})
    text = " ".join(text.split())
    problems = question_problems(text)
    if problems:
        log.debug("template %s skipped (%s): %s", template.name, "; ".join(problems), text)
        return None
    used = {s: slots[s] for s in sorted(template.slots)}
    return Question(text, template.kind, template.name, used, "template")


def _rotation(passage: StoredPassage, kind: str):
    """Templates of a kind, starting at one chosen by the passage: varied, yet the same each time."""
    start = _number(f"{passage.text_slug}:{passage.ordinal}:{kind}")

    def rotate(templates: tuple[Template, ...]) -> list[Template]:
        if not templates:
            return []
        at = start % len(templates)
        return list(templates[at:] + templates[:at])

    return rotate


def _number(key: str) -> int:
    """A stable number for a key (Python's hash() changes from run to run)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _common_slots(author: str) -> dict[str, str]:
    name = surname(author)
    return {"author": name, "Author": name[:1].upper() + name[1:]}


def surname(author: str) -> str:
    """How a question names the author: "Leon Trotsky" -> "Trotsky"; unknown -> "the author"."""
    words = re.findall(r"[^\W\d_][\w’'-]*", author or "")
    if (
        not words
        or author.strip().casefold() in ("unknown", "anonymous")
        or len(re.split(r"\s+(?:and|&)\s+", author)) > 1
    ):
        return "the author"
    return words[-1]
