"""Polls for the next text: near the end of a plan, organisers open a native Discord poll of the
server's library, and start the winner with one button, on the plan's own schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import texts as library
from bot.errors import NotFoundError, PermissionDeniedError
from bot.models import Group, Text
from bot.reading import plans
from bot.reading.schedule import format_weekdays
from bot.store import Store

NEAR_END_POSTS = 7
"""A poll opens in a plan's last this many posts."""
MAX_ANSWERS = 10
ANSWER_CHARS = 55
POLL_HOURS = 48
QUESTION = "What should we read next?"


@dataclass(frozen=True)
class PollDraft:
    question: str
    answers: tuple[tuple[int, str], ...]
    """(text id, the answer's label), at most ten."""
    hours: int = POLL_HOURS


def answer_label(text: Text) -> str:
    label = f"{text.meta.title} ({text.meta.author})"
    if len(label) > ANSWER_CHARS:
        label = text.meta.title
    return label if len(label) <= ANSWER_CHARS else label[: ANSWER_CHARS - 1] + "…"


def draft(store: Store, group: Group, is_organiser: bool) -> PollDraft:
    """The poll an organiser may open now: the library's other texts (up to ten)."""
    plans.require_organiser(is_organiser)
    text = store.get_text(group.text_id)
    posts_left = -(-max(0, text.passage_count - group.next_ordinal + 1) // group.pace)
    if posts_left > NEAR_END_POSTS:
        raise PermissionDeniedError(
            f"The plan has {posts_left} posts to go; open the poll for the next text in its last {NEAR_END_POSTS}."
        )
    others = [t for t in library.list_texts(store) if t.slug != text.slug][:MAX_ANSWERS]
    if not others:
        raise NotFoundError("The library has no other text to vote on; the host can add some with `studybot ingest`.")
    return PollDraft(QUESTION, tuple((t.id, answer_label(t)) for t in others))


def opened(store: Store, group: Group, message_id: int, poll: PollDraft, now: datetime) -> None:
    store.record_poll(group.id, message_id, [text_id for text_id, _ in poll.answers], now)


def start_winner(
    store: Store,
    group: Group,
    message_id: int,
    counts: dict[int, int],
    *,
    is_organiser: bool,
    user_id: int,
    now: datetime,
) -> tuple[Group, Text]:
    """End the plan and start the poll's winner (most votes; a tie goes to the answer listed
    first) on the same channel, time, zone, days and pace. `counts` maps answer (from 1) to votes."""
    plans.require_organiser(is_organiser)
    answers = store.poll_answers(group.id, message_id)
    if answers is None:
        raise NotFoundError("This poll is not this channel's current one; open another with /study poll.")
    best = max(range(1, len(answers) + 1), key=lambda n: (counts.get(n, 0), -n))
    winner = store.get_text(answers[best - 1])
    plans.stop(store, group, now, is_organiser=True)
    started = plans.start_plan(
        store,
        guild_id=group.guild_id,
        channel_id=group.channel_id,
        user_id=user_id,
        is_organiser=True,
        text=winner.slug,
        time=f"{group.post_time:%H:%M}",
        zone=group.timezone,
        weekdays=format_weekdays(group.weekdays),
        pace=group.pace,
        start_at=None,
        now=now,
    )
    store.close_poll(group.id, message_id)
    return started, winner
