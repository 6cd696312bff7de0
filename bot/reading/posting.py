"""The daily post, seen from the core: which groups are due, what their post says, and how a
post is claimed, completed or failed.

Exactly once: a post is claimed in the store (one row per group and local day, unique) before
anything is sent, and the plan advances only in the same transaction that records the post as
made. A claim a crash left pending is handed out again; the adapter then looks for the message
it may already have sent before sending another.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from bot import texts
from bot.config import LlmConfig
from bot.errors import StudyError
from bot.models import Delivery, DeliveryStatus, Group, StoredPassage, Text
from bot.questions.generate import generate_questions
from bot.reading.plans import schedule_of
from bot.resources import prompts_dir
from bot.shards import EVERY_SHARD, Cluster
from bot.store import Store

log = logging.getLogger(__name__)
FALLBACK_FILE = prompts_dir() / "simple_questions.txt"


@dataclass(frozen=True)
class DuePost:
    group: Group
    delivery: Delivery


@dataclass(frozen=True)
class Post:
    """What a post shows: the passages, where they stand in the text, and the questions."""

    group: Group
    text: Text
    passages: tuple[StoredPassage, ...]
    questions: tuple[str, ...]
    local_date: date | None
    """The day it was (or will be) posted; None for a preview of a passage never posted."""
    posted_count: int
    """Passages of the plan posted so far, this post included."""


def claim_due_posts(store: Store, now: datetime, cluster: Cluster = EVERY_SHARD) -> list[DuePost]:
    """Claim every post that is due now and not yet made, for the servers this process's
    `cluster` owns (another cluster posts for the rest); returns what to send."""
    due: list[DuePost] = []
    for group, last_done in store.active_groups_with_last_post():
        if not cluster.owns(group.guild_id):
            continue
        day = schedule_of(group).due_date(now)
        if day is None or (last_done is not None and day <= last_done):
            continue
        skip_apparatus(store, group)
        delivery = store.claim_delivery(group.id, day, now)
        if delivery is not None:
            due.append(DuePost(group, delivery))
    return due


def skip_apparatus(store: Store, group: Group) -> int:
    """Move the plan past passages that are no reading matter (an index, a contents list, a note
    on the e-text: bot/texts/hands.py) before its next post is claimed; a plan whose rest is all
    such passages ends, its progress saying the rest were skipped. Reads each passage it moves
    past once (a passage in the front matter may read those before it, at most
    MAX_FRONT_PASSAGES). Returns where the plan stands."""
    ordinal = next_reading(store, store.get_text(group.text_id), group.next_ordinal)
    if ordinal != group.next_ordinal and store.skip_to(group.id, group.next_ordinal, ordinal):
        log.info("group %s: skipped passages %s-%s (no reading matter)", group.id, group.next_ordinal, ordinal - 1)
        return ordinal
    return group.next_ordinal


def next_reading(store: Store, text: Text, ordinal: int) -> int:
    """The first passage from `ordinal` on that is reading matter (past the text's end if none is)."""
    while ordinal <= text.passage_count:
        found = store.passage(text.id, ordinal)
        if found is None or texts.passage_hand(store, found).kind != texts.APPARATUS:
            break
        ordinal += 1
    return ordinal


def build_post(
    store: Store,
    group: Group,
    first: int,
    last: int,
    local_date: date | None,
    llm: LlmConfig | None = None,
    questions: tuple[str, ...] | None = None,
) -> Post:
    """What a post of passages first..last shows; its questions are made now unless given."""
    text = store.get_text(group.text_id)
    passages = tuple(p for p in (store.passage(text.id, n) for n in range(first, last + 1)) if p)
    posted = {
        o
        for d in store.deliveries_of(group.id, DeliveryStatus.POSTED)
        for o in range(d.first_ordinal, d.last_ordinal + 1)
    }
    posted |= set(range(first, last + 1)) if local_date is not None else set()
    if questions is None:
        questions = tuple(questions_for(store, passages[-1], llm, group.guild_id)) if passages else ()
    return Post(
        group=group,
        text=text,
        passages=passages,
        questions=questions,
        local_date=local_date,
        posted_count=len(posted),
    )


def questions_for(
    store: Store, passage: StoredPassage, llm: LlmConfig | None, guild_id: int | None = None
) -> list[str]:
    """The questions a post of the passage gets now (the server's own first). A broken template
    file must not stop the day's post: the plain fallback questions stand in, and the log says
    what to fix."""
    try:
        return [q.text for q in generate_questions(store, passage, llm=llm, guild_id=guild_id)]
    except StudyError as error:
        log.error("question templates unusable, posting fallback questions: %s", error)
        return fallback_questions(passage)


def fallback_questions(passage: StoredPassage) -> list[str]:
    lines = FALLBACK_FILE.read_text(encoding="utf-8").splitlines()
    templates = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [
        t.format(section=passage.section or passage.text_title, title=passage.text_title, author=passage.author)
        for t in templates
    ][:3]


def post_for_delivery(store: Store, delivery: Delivery, llm: LlmConfig | None = None) -> Post:
    """A claimed or made post. A post about to be sent keeps its questions in the store first,
    so every attempt, /today and /catchup show the questions it went out with, whatever the
    templates or the server's questions say later. A post made before questions were kept
    shows them made anew."""
    group = store.get_group(delivery.group_id)
    questions = delivery_questions(store, delivery, llm, group)
    if delivery.questions is None and delivery.status == DeliveryStatus.PENDING:
        questions = store.keep_delivery_questions(delivery.id, questions)
    return build_post(
        store,
        group,
        delivery.first_ordinal,
        delivery.last_ordinal,
        delivery.local_date,
        llm,
        questions,
    )


def delivery_questions(
    store: Store, delivery: Delivery, llm: LlmConfig | None = None, group: Group | None = None
) -> tuple[str, ...]:
    """The questions a post carries: those kept with it, else (a post made before they were
    kept, or one not yet sent) those its last passage gets now."""
    if delivery.questions is not None:
        return delivery.questions
    group = group or store.group_by_id(delivery.group_id)
    if group is None:
        return ()
    passage = store.passage(group.text_id, delivery.last_ordinal)
    return tuple(questions_for(store, passage, llm, group.guild_id)) if passage else ()


def latest_post(store: Store, group: Group, llm: LlmConfig | None = None) -> Post | None:
    """The group's most recent post (today's, if made), or None before the first."""
    posted = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    if not posted:
        return None
    return post_for_delivery(store, posted[-1], llm)


def preview_next(store: Store, group: Group, llm: LlmConfig | None = None) -> Post | None:
    """What the next post will show (a dry run), or None when the plan has reached the end."""
    text = store.get_text(group.text_id)
    first = next_reading(store, text, group.next_ordinal)  # as the post will be claimed
    if first > text.passage_count:
        return None
    last = min(first + group.pace - 1, text.passage_count)
    return build_post(store, group, first, last, None, llm)


OLD_BUTTON = (
    "This button is on an older message than the post it names (its database was moved since); "
    "use the buttons on the post itself, or /today."
)


def pressed_on_post(delivery: Delivery, message_id: int | None) -> bool:
    """Whether a post's button was pressed on the post's own message: an old button after a
    reshard that renumbered posts names another post. Unknown either side (a private page, a
    post made before messages were kept): trusted, as its channel was checked."""
    return message_id is None or delivery.message_id is None or message_id == delivery.message_id


def complete(
    store: Store, delivery: Delivery, message_id: int, thread_id: int | None, now: datetime, problem: str | None = None
) -> None:
    """Record the post as made and advance the plan; `problem` is kept for the organiser."""
    store.complete_delivery(delivery.id, message_id, thread_id, now, problem)


def fail(store: Store, delivery: Delivery, error: str, permanent: bool) -> None:
    store.fail_delivery(delivery.id, error, permanent)
