"""Questions a group can fix: organisers edit a passage's questions before it is posted; members
suggest a question on a post; organisers approve or decline suggestions.

What is saved is the server's own list for that passage of that text version, used first by
every group of the server reading it (`generate_questions` reads it). An organiser's saved list
is the post's whole list; approved suggestions alone lead the generated questions.

Every question typed is checked before anything is written, and a bad one is answered with one
sentence. Bounds: at most MAX_QUESTIONS a passage, each at most MAX_QUESTION_CHARS; a member has
at most MAX_OPEN_PER_MEMBER suggestions waiting in a group, a group at most MAX_OPEN_PER_GROUP.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import texts as library
from bot.config import LlmConfig
from bot.errors import InvalidQuestionError, NotFoundError, PermissionDeniedError, StudyError
from bot.models import CuratedQuestion, Delivery, Group, ServerQuestions, StoredPassage, Suggestion, Text
from bot.questions.analysis.wording import MAX_QUESTION_CHARS, MAX_QUESTIONS, question_problems
from bot.questions.generate import generate_questions
from bot.reading import posting
from bot.store import Store
from bot.store.questions import Decision

MAX_OPEN_PER_MEMBER = 5
MAX_OPEN_PER_GROUP = 50
MIN_WORDS = 3
EDIT_ONLY = "Only organisers (members with Manage Server) can change a passage's questions."
DECIDE_ONLY = "Only organisers (members with Manage Server) can approve or decline suggested questions."
_LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[-*•])\s+")


@dataclass(frozen=True)
class ShownQuestion:
    """A question as an organiser reviews it: its text and where it came from."""

    text: str
    origin: str
    """"server" (the server's own: see `curated` for who wrote and approved it), "catalog"
    (the text's own), "model" (the language model) or "generated" (templates)."""
    curated: CuratedQuestion | None = None


@dataclass(frozen=True)
class PassageQuestions:
    """The questions a post of a passage gets now on this server, and where the passage stands
    in the group's plan."""

    passage: StoredPassage
    questions: tuple[ShownQuestion, ...]
    post: Delivery | None
    """The group's post of this passage, if it was made or is being sent: its questions are
    kept, so a change now reaches only later groups."""
    is_next: bool
    """The group's next post carries this passage's questions."""


# -- checking what was typed -----------------------------------------------------------------------


def clean_questions(lines: Sequence[str], *, single: bool = False) -> list[str]:
    """The questions typed, tidied (spaces, a leading list number, a first capital), blank ones
    dropped; or one sentence saying what to fix, with nothing saved."""
    cleaned = []
    for line in lines:
        text = _LIST_MARKER.sub("", " ".join(line.split()))
        if text:
            cleaned.append(text[0].upper() + text[1:])
    if not cleaned:
        raise InvalidQuestionError("Type a question; nothing was saved.")
    if len(cleaned) > MAX_QUESTIONS:
        raise InvalidQuestionError(
            f"A post carries at most {MAX_QUESTIONS} questions and you gave {len(cleaned)}; nothing was saved."
        )
    for number, text in enumerate(cleaned, start=1):
        which = "Your question" if single else f"Question {number}"
        if len(text) > MAX_QUESTION_CHARS:
            raise InvalidQuestionError(
                f"{which} is {len(text)} characters long; keep it under {MAX_QUESTION_CHARS} (nothing was saved)."
            )
        if not text.endswith("?"):
            raise InvalidQuestionError(f"{which} does not end with a question mark; nothing was saved.")
        if len(re.findall(r"\w+", text)) < MIN_WORDS:
            raise InvalidQuestionError(f"{which} is too short to discuss; write a whole question (nothing was saved).")
        problems = question_problems(text)
        if problems:
            raise InvalidQuestionError(f"{which} cannot be posted as written ({problems[0]}); nothing was saved.")
        earlier = [n for n, other in enumerate(cleaned[: number - 1], start=1) if other.casefold() == text.casefold()]
        if earlier:
            raise InvalidQuestionError(f"Question {number} repeats question {earlier[0]}; nothing was saved.")
    return cleaned


# -- what a passage's post carries ---------------------------------------------------------------


def next_post_ordinal(store: Store, group: Group) -> int:
    """The passage whose questions the next post carries (its last, at a pace above one)."""
    text = text_of(store, group.text_id)
    if group.next_ordinal > text.passage_count:
        raise NotFoundError(
            f"The plan has reached the end of {text.meta.title}; name a passage, e.g. /study questions passage:1."
        )
    return min(group.next_ordinal + group.pace - 1, text.passage_count)


def current_questions(
    store: Store, guild_id: int, passage: StoredPassage, llm: LlmConfig | None = None
) -> tuple[ShownQuestion, ...]:
    """The questions a post of the passage gets now on this server, with their origins."""
    server = store.server_questions(guild_id, passage.text_id, passage.ordinal)
    own = {q.text: q for q in server.questions} if server else {}
    try:
        made = generate_questions(store, passage, llm=llm, guild_id=guild_id)
    except StudyError:  # a broken template file: the post would carry the fallback questions
        return tuple(ShownQuestion(t, "generated") for t in posting.fallback_questions(passage))
    shown = []
    for question in made:
        mine = own.get(question.text) if question.template == "server" else None
        if mine is not None:
            shown.append(ShownQuestion(question.text, "server", mine))
        else:
            origin = {"catalog": "catalog"}.get(question.template, "model" if question.source == "llm" else "generated")
            shown.append(ShownQuestion(question.text, origin))
    return tuple(shown)


def passage_questions(store: Store, group: Group, ordinal: int, llm: LlmConfig | None = None) -> PassageQuestions:
    text = text_of(store, group.text_id)
    passage = library.passage(store, text, ordinal)
    return PassageQuestions(
        passage,
        current_questions(store, group.guild_id, passage, llm),
        group_post_of(store, group, ordinal),
        group.next_ordinal <= text.passage_count and ordinal == next_post_ordinal(store, group),
    )


def group_post_of(store: Store, group: Group | None, ordinal: int) -> Delivery | None:
    """The group's post that carried (or is carrying) the questions of this passage."""
    if group is None:
        return None
    made = [d for d in store.deliveries_of(group.id) if d.status != "failed" and d.last_ordinal == ordinal]
    return made[-1] if made else None


def text_of(store: Store, text_id: int) -> Text:
    text = store.text_by_id(text_id)
    if text is None:
        raise NotFoundError("That text is no longer in the library; run /study questions again.")
    return text


def passage_of(store: Store, text_id: int, ordinal: int) -> StoredPassage:
    return library.passage(store, text_of(store, text_id), ordinal)


# -- organisers' edits ------------------------------------------------------------------------------


def save_questions(
    store: Store,
    guild_id: int,
    passage: StoredPassage,
    lines: Sequence[str],
    *,
    is_organiser: bool,
    by: int,
    now: datetime,
    llm: LlmConfig | None = None,
) -> ServerQuestions:
    """An organiser's list for the passage becomes the server's: questions kept as they were
    keep their origin (a member's stays theirs), new or changed ones are the organiser's."""
    if not is_organiser:
        raise PermissionDeniedError(EDIT_ONLY)
    cleaned = clean_questions(lines)
    stamp = now.isoformat(timespec="seconds")
    server = store.server_questions(guild_id, passage.text_id, passage.ordinal)
    own = {q.text: q for q in server.questions} if server else {}
    shown = {q.text for q in current_questions(store, guild_id, passage, llm)}
    saved = []
    for text in cleaned:
        if text in own:
            saved.append(own[text])
        else:
            saved.append(CuratedQuestion(text, "kept" if text in shown else "written", by, by, stamp))
    return store.save_server_questions(guild_id, passage.text_id, passage.ordinal, saved, by, stamp)


# -- members' suggestions ------------------------------------------------------------------------


def suggestion_target(
    store: Store, guild_id: int, delivery_id: int, message_id: int | None = None
) -> tuple[Group, Delivery]:
    """The post a member suggests a question for, if it can still take one (pressed on that
    post's own message, when `message_id` is known: an old button after a reshard may name
    another post)."""
    delivery = store.delivery_by_id(delivery_id)
    group = store.group_by_id(delivery.group_id) if delivery else None
    if delivery is None or group is None or delivery.status != "posted" or group.guild_id != guild_id:
        raise NotFoundError("This post is no longer part of a reading plan.")
    if not posting.pressed_on_post(delivery, message_id):
        raise NotFoundError(posting.OLD_BUTTON)
    active = store.group_for_channel(group.channel_id)
    if active is None or active.id != group.id:
        raise NotFoundError("This reading plan has ended, so it takes no more suggestions.")
    return group, delivery


def suggest(
    store: Store, group: Group, delivery: Delivery, question: str, *, user_id: int, now: datetime
) -> Suggestion:
    """Keep a member's question for a post (found with `suggestion_target`), if it is new."""
    [text] = clean_questions([question], single=True)
    if store.count_open_suggestions(group.id, user_id) >= MAX_OPEN_PER_MEMBER:
        raise InvalidQuestionError(
            f"You have {MAX_OPEN_PER_MEMBER} suggestions waiting for an organiser; suggest more once they are decided."
        )
    if store.count_open_suggestions(group.id) >= MAX_OPEN_PER_GROUP:
        raise InvalidQuestionError(
            "This group has many suggestions waiting for an organiser; try again once they are decided."
        )
    posted = posting.delivery_questions(store, delivery, group=group)
    server = store.server_questions(group.guild_id, group.text_id, delivery.last_ordinal)
    taken = {q.casefold() for q in posted} | {q.text.casefold() for q in (server.questions if server else ())}
    if text.casefold() in taken:
        raise InvalidQuestionError("That question is already one of this passage's questions.")
    waiting = store.open_suggestions(group.id, MAX_OPEN_PER_GROUP)
    if any(s.ordinal == delivery.last_ordinal and s.question.casefold() == text.casefold() for s in waiting):
        raise InvalidQuestionError("Someone has already suggested that question; an organiser will decide on it.")
    return store.add_suggestion(
        group.guild_id,
        group.id,
        delivery.id,
        group.text_id,
        delivery.last_ordinal,
        text,
        user_id,
        now.isoformat(timespec="seconds"),
    )


def decide(
    store: Store, guild_id: int, suggestion_id: int, approve: bool, *, is_organiser: bool, by: int, now: datetime
) -> Decision:
    """Approve (the question joins the server's list for its passage) or decline."""
    suggestion = store.suggestion_by_id(suggestion_id)
    if suggestion is None or suggestion.guild_id != guild_id:
        raise NotFoundError(
            f"There is no suggestion #{suggestion_id} on this server; /study questions lists those waiting."
        )
    if not is_organiser:
        raise PermissionDeniedError(DECIDE_ONLY)
    decision = store.decide_suggestion(suggestion_id, approve, by, now.isoformat(timespec="seconds"), MAX_QUESTIONS)
    if decision.refused == "full":
        raise InvalidQuestionError(
            f"Passage {suggestion.ordinal} already has {MAX_QUESTIONS} questions on this server; remove one with "
            f"/study questions passage:{suggestion.ordinal} first, then approve this."
        )
    return decision
