"""The command handlers both front ends run: Discord's slash commands and the console.

A handler takes an `Invocation` (who, where, when) and the options typed, calls the core, and
returns a `Reply`: cards, text, buttons, and whether only the caller sees it. Drawing the reply
is the front end's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot import render
from bot import texts as library
from bot.config import LibraryLimits, LlmConfig
from bot.errors import InvalidSettingError, NotFoundError, PermissionDeniedError
from bot.models import DeliveryStatus, Group
from bot.questions import curation, generate_questions
from bot.questions.analysis.wording import MAX_QUESTIONS
from bot.reading import plans, posting, progress
from bot.render import Button, Card, Form, Notice, Reply
from bot.search import context as paragraph_context
from bot.search import search as search_texts
from bot.store import MAX_ID, Store
from bot.texts.server_library import finish_removals

SEARCH_PAGE_SIZE = 5
SEARCH_MAX_HITS = 25
CATCHUP_POSTS = 15
"""Missed posts /catchup lists (with their questions, while they fit)."""
SHOWN_SUGGESTIONS = 4
"""Suggestions /study questions lists with Approve and Decline buttons (two each, plus Edit:
within Discord's 25 buttons and one embed field)."""


@dataclass(frozen=True)
class Invocation:
    store: Store
    guild_id: int
    channel_id: int
    user_id: int
    is_organiser: bool
    now: datetime
    user_name: str = ""
    member_names: dict[int, str] = field(default_factory=dict)
    llm: LlmConfig | None = None
    """The language model that writes questions, if the host configured one."""
    limits: LibraryLimits = LibraryLimits()
    """What organisers may add to the server's library."""

    def __post_init__(self) -> None:
        # Whatever a handler reads, it reads as this server sees the library: the shared texts
        # and the server's own, never another server's (Store.view).
        object.__setattr__(self, "store", self.store.view(self.guild_id))


def prepare(store: Store) -> None:
    """Read once what searches and daily posts need about the whole library (its vocabulary,
    spelling lexicon, word statistics) before anyone asks: built on first use, at a large library
    that is seconds of Python, which the first member would wait for and the event loop with."""
    search_texts(store, "prepare")
    first = next(iter(library.list_texts(store)), None)
    if first is not None:
        generate_questions(store, library.passage(store, first, 1))


# -- everyone -------------------------------------------------------------------------------------


def today(inv: Invocation) -> Reply:
    group = plans.require_group(inv.store, inv.channel_id)
    post = posting.latest_post(inv.store, group, inv.llm)
    if post is None:
        moments = plans.schedule_of(group).next_posts(inv.now, 1)
        if group.paused or not moments:
            when = "when an organiser resumes the plan with /study resume"
        elif posting.preview_next(inv.store, group) is None:
            return Reply(text="Nothing was posted: the plan was skipped to the end of the text.", ephemeral=True)
        elif moments[0] <= inv.now:
            when = "any minute now"  # due already: being sent, or the bot is catching up
        else:
            when = render.moment(moments[0])
        return Reply(text=f"Nothing has been posted yet; the first passage comes {when}.", ephemeral=True)
    cards = render.post_cards(post)
    shown = render.fit_message(cards)
    return Reply(text=_not_shown(post, shown), cards=shown, ephemeral=True)


def passage(inv: Invocation, number: int, text: str | None = None) -> Reply:
    group = inv.store.group_for_channel(inv.channel_id)
    if text:
        found = library.resolve_text(inv.store, text)
    elif group is not None:
        found = inv.store.get_text(group.text_id)
    else:
        raise InvalidSettingError("This channel has no reading plan; name the text, e.g. /passage 3 text:thermidor.")
    shown = library.passage(inv.store, found, number)
    card = render.passage_card(shown)
    note = ""
    if group is not None and group.text_id == found.id and number >= group.next_ordinal:
        note = "This passage is ahead of the group: it has not been posted yet."
    return Reply(text=note, cards=(card,), ephemeral=True)


def search(inv: Invocation, query: str, text: str | None = None, page: int = 1) -> Reply:
    result = search_texts(inv.store, query, text=text, limit=SEARCH_MAX_HITS)
    group = inv.store.group_for_channel(inv.channel_id)
    ahead = render.ahead_rule(group, inv.store.get_text(group.text_id).slug if group else None)
    pages = max(1, -(-len(result.hits) // SEARCH_PAGE_SIZE))
    page = min(max(1, page), pages)
    card = render.search_card(result, page, SEARCH_PAGE_SIZE, ahead)
    buttons: tuple[Button, ...] = ()
    if pages > 1:
        buttons = (
            Button("Previous", f"search:{page - 1}", disabled=page == 1),
            Button(f"{page} / {pages}", "search:page", disabled=True),
            Button("Next", f"search:{page + 1}", disabled=page == pages),
        )
    shown = result.hits[(page - 1) * SEARCH_PAGE_SIZE : page * SEARCH_PAGE_SIZE]
    buttons += tuple(
        Button(f"Context {n}", f"context:{hit.paragraph_id}")
        for n, hit in enumerate(shown, start=(page - 1) * SEARCH_PAGE_SIZE + 1)
        if not render.hit_ahead(hit, ahead)
    )
    return Reply(cards=(card,), buttons=buttons, ephemeral=False)


def search_context(inv: Invocation, paragraph_id: int) -> Reply:
    """The paragraphs around a search hit, for the one who asked."""
    return Reply(cards=(render.context_card(paragraph_context(inv.store, paragraph_id)),), ephemeral=True)


def texts(inv: Invocation) -> Reply:
    return Reply(cards=(render.texts_card(library.list_texts(inv.store)),), ephemeral=True)


def show_progress(inv: Invocation, member_id: int | None = None, in_server: bool = True) -> Reply:
    who = member_id or inv.user_id
    name = inv.member_names.get(who) or ("you" if who == inv.user_id else f"<@{who}>")
    if not in_server:
        raise NotFoundError(f"{name} is not a member of this server.")
    group = plans.require_group(inv.store, inv.channel_id)
    whole = progress.group_progress(inv.store, group, inv.now)
    mine = progress.member_progress(inv.store, group, who, inv.now)
    return Reply(cards=(render.progress_card(whole, mine, name),), ephemeral=True)


def catchup(inv: Invocation) -> Reply:
    group = plans.require_group(inv.store, inv.channel_id)
    mine = progress.member_progress(inv.store, group, inv.user_id, inv.now)
    text = inv.store.get_text(group.text_id)
    asked = {d.id: posting.delivery_questions(inv.store, d, inv.llm, group) for d in mine.missed[-CATCHUP_POSTS:]}
    return Reply(cards=(render.catchup_card(mine, group, text, asked),), ephemeral=True)


def mark_read(inv: Invocation, delivery_id: int, message_id: int | None = None) -> Reply:
    """The Mark-as-read button. Its id comes from the button, which anyone could forge: a post
    counts only when it is one of this channel's posts, pressed on that post's own message when
    the adapter knows the message (`message_id`; an old button after a reshard may name another
    post), and no id beyond SQLite's integers (MAX_ID) is looked up."""
    delivery = inv.store.delivery_by_id(delivery_id) if 0 < delivery_id <= MAX_ID else None
    group = inv.store.group_by_id(delivery.group_id) if delivery else None
    if delivery is None or group is None or delivery.status != DeliveryStatus.POSTED:
        return Reply(text="This post is no longer part of a reading plan.", ephemeral=True)
    if (group.guild_id, group.channel_id) != (inv.guild_id, inv.channel_id):
        return Reply(text="This button belongs to a post in another channel; mark it as read there.", ephemeral=True)
    if not posting.pressed_on_post(delivery, message_id):
        return Reply(text=posting.OLD_BUTTON, ephemeral=True)
    new = inv.store.mark_read(
        group.id,
        inv.user_id,
        group.text_id,
        delivery.first_ordinal,
        delivery.last_ordinal,
        inv.now,
    )
    mine = progress.member_progress(inv.store, group, inv.user_id, inv.now)
    first = "Marked as read" if new else "Already marked as read"
    streak = f" Your streak: {mine.streak} day{'s' if mine.streak != 1 else ''}." if mine.streak else ""
    missed = (
        f" {len(mine.missed)} earlier post{'s' if len(mine.missed) != 1 else ''} to catch up on: /catchup."
        if mine.missed
        else ""
    )
    return Reply(
        text=f"{first}: passage{_range(delivery.first_ordinal, delivery.last_ordinal)}.{streak}{missed}", ephemeral=True
    )


# -- organisers -----------------------------------------------------------------------------------


def study_start(
    inv: Invocation,
    text: str,
    time: str,
    timezone: str,
    weekdays: str | None = None,
    pace: int | None = None,
    start_at: int | None = None,
) -> Reply:
    group = plans.start_plan(
        inv.store,
        guild_id=inv.guild_id,
        channel_id=inv.channel_id,
        user_id=inv.user_id,
        is_organiser=inv.is_organiser,
        text=text,
        time=time,
        zone=timezone,
        weekdays=weekdays,
        pace=pace,
        start_at=start_at,
        now=inv.now,
    )
    return Reply(text="The reading plan is set.", cards=(_plan_card(inv, group),))


def study_settings(
    inv: Invocation,
    time: str | None = None,
    timezone: str | None = None,
    weekdays: str | None = None,
    pace: int | None = None,
) -> Reply:
    group = plans.require_group(inv.store, inv.channel_id)
    changing = any(v is not None for v in (time, timezone, weekdays, pace))
    if changing:
        group = plans.change_settings(
            inv.store, group, is_organiser=inv.is_organiser, time=time, zone=timezone, weekdays=weekdays, pace=pace
        )
    return Reply(text="Settings changed." if changing else "", cards=(_plan_card(inv, group),), ephemeral=not changing)


def study_pause(inv: Invocation) -> Reply:
    group = plans.pause(inv.store, plans.require_group(inv.store, inv.channel_id), is_organiser=inv.is_organiser)
    return Reply(text="Paused: no passages will be posted until /study resume.", cards=(_plan_card(inv, group),))


def study_resume(inv: Invocation) -> Reply:
    group = plans.resume(inv.store, plans.require_group(inv.store, inv.channel_id), is_organiser=inv.is_organiser)
    return Reply(text="Resumed.", cards=(_plan_card(inv, group),))


def study_skip(inv: Invocation, count: int = 1) -> Reply:
    group = plans.skip(inv.store, plans.require_group(inv.store, inv.channel_id), count, is_organiser=inv.is_organiser)
    text = inv.store.get_text(group.text_id)
    said = (
        f"Skipped; the next post starts at passage {group.next_ordinal}."
        if group.next_ordinal <= text.passage_count
        else f"Skipped to the end: the plan has finished {text.meta.title}."
    )
    return Reply(text=said, cards=(_plan_card(inv, group),))


def study_jump(inv: Invocation, passage_number: int) -> Reply:
    group = plans.jump(
        inv.store, plans.require_group(inv.store, inv.channel_id), passage_number, is_organiser=inv.is_organiser
    )
    return Reply(text=f"The next post starts at passage {group.next_ordinal}.", cards=(_plan_card(inv, group),))


def study_stop(inv: Invocation) -> Reply:
    group = plans.stop(
        inv.store, plans.require_group(inv.store, inv.channel_id), inv.now, is_organiser=inv.is_organiser
    )
    text = inv.store.get_text(group.text_id)
    finish_removals(inv.store)  # a text an organiser removed while this plan read it goes now
    gone = " It was removed from the library, as an organiser asked." if inv.store.text_by_id(text.id) is None else ""
    return Reply(text=f"The reading plan for {text.meta.title} has ended.{gone} Start another with /study start.")


def study_status(inv: Invocation) -> Reply:
    """The last post's result, the next seven posts, and a private dry run of the next one."""
    plans.require_organiser(inv.is_organiser)
    group = plans.require_group(inv.store, inv.channel_id)
    cards = (render.status_card(plans.plan_overview(inv.store, group, inv.now)),)
    preview = posting.preview_next(inv.store, group, inv.llm)
    if preview is None:
        return Reply(cards=cards, ephemeral=True)
    shown = render.fit_message(cards + render.post_cards(preview, dry_run=True))
    return Reply(text=_not_shown(preview, shown), cards=shown, ephemeral=True)


# -- questions a group can fix --------------------------------------------------------------------


def study_questions(inv: Invocation, passage_number: int | None = None) -> Reply:
    """The questions of the next post (or of a passage) with their origins, a button to edit
    them, and the suggestions waiting for an organiser."""
    if not inv.is_organiser:
        raise PermissionDeniedError(curation.EDIT_ONLY)
    group = plans.require_group(inv.store, inv.channel_id)
    ordinal = passage_number or curation.next_post_ordinal(inv.store, group)
    shown = curation.passage_questions(inv.store, group, ordinal, inv.llm)
    waiting = inv.store.open_suggestions(group.id, SHOWN_SUGGESTIONS)
    card = render.passage_questions_card(shown, waiting, inv.store.count_open_suggestions(group.id))
    edit = Button("Edit questions", f"edit:{group.text_id}:{ordinal}")
    return Reply(cards=(card,), buttons=(edit, *render.decision_buttons(waiting)), ephemeral=True)


def questions_form(inv: Invocation, text_id: int, ordinal: int) -> Form:
    """The editor for a passage's questions, filled with the ones its post would carry now."""
    if not inv.is_organiser:
        raise PermissionDeniedError(curation.EDIT_ONLY)
    passage = curation.passage_of(inv.store, text_id, ordinal)
    current = curation.current_questions(inv.store, inv.guild_id, passage, inv.llm)
    return render.questions_form(passage, tuple(q.text for q in current), MAX_QUESTIONS)


def save_questions(inv: Invocation, text_id: int, ordinal: int, questions: list[str]) -> Reply:
    """An organiser's questions for a passage become this server's, for every group reading it."""
    passage = curation.passage_of(inv.store, text_id, ordinal)
    saved = curation.save_questions(
        inv.store,
        inv.guild_id,
        passage,
        questions,
        is_organiser=inv.is_organiser,
        by=inv.user_id,
        now=inv.now,
        llm=inv.llm,
    )
    group = inv.store.group_for_channel(inv.channel_id)
    count = len(saved.questions)
    said = f"Saved {count} question{'s' if count != 1 else ''} for passage {ordinal}"
    if group is None or group.text_id != text_id:
        return Reply(text=f"{said}: every group on this server reading this text gets them.", ephemeral=True)
    shown = curation.passage_questions(inv.store, group, ordinal, inv.llm)
    card = render.passage_questions_card(shown, [], 0)
    return Reply(text=f"{said}; every group on this server reading this text gets them.", cards=(card,), ephemeral=True)


def suggestion_form(inv: Invocation, delivery_id: int, message_id: int | None = None) -> Form:
    _, delivery = curation.suggestion_target(inv.store, inv.guild_id, delivery_id, message_id)
    return render.suggestion_form(delivery_id, delivery.last_ordinal)


def suggest_question(inv: Invocation, delivery_id: int, question: str, message_id: int | None = None) -> Reply:
    """A member's question for a post: kept, and shown in the post's thread for organisers."""
    group, delivery = curation.suggestion_target(inv.store, inv.guild_id, delivery_id, message_id)
    suggestion = curation.suggest(inv.store, group, delivery, question, user_id=inv.user_id, now=inv.now)
    where = (delivery.thread_id, group.channel_id) if delivery.thread_id else (group.channel_id,)
    return Reply(
        text="Thanks: your question is in the post's thread, for the group to discuss and an organiser to approve.",
        ephemeral=True,
        notice=Notice(where, render.suggestion_notice(suggestion), suggestion_id=suggestion.id),
    )


def decide_suggestion(inv: Invocation, suggestion_id: int, approve: bool) -> Reply:
    """Approve a suggestion (later groups on this server get it) or decline it; its message in
    the thread is brought up to date either way."""
    decision = curation.decide(
        inv.store, inv.guild_id, suggestion_id, approve, is_organiser=inv.is_organiser, by=inv.user_id, now=inv.now
    )
    suggestion = decision.suggestion
    if decision.refused == "decided":
        said = f"This suggestion was already {suggestion.status} by {render.mention(suggestion.decided_by)}."
    elif approve:
        said = f"Approved: later groups on this server reading this text get it at passage {suggestion.ordinal}."
    else:
        said = "Declined: it is not kept for later groups."
    notice = None
    if suggestion.notice_channel_id is not None and suggestion.notice_message_id is not None:
        where = (suggestion.notice_channel_id,)
        notice = Notice(where, render.suggestion_notice(suggestion), message_id=suggestion.notice_message_id)
    return Reply(text=said, ephemeral=True, notice=notice)


def notice_posted(store: Store, suggestion_id: int, channel_id: int, message_id: int) -> None:
    """Where a suggestion's message went, so a decision can bring it up to date."""
    store.record_suggestion_notice(suggestion_id, channel_id, message_id)


def _plan_card(inv: Invocation, group: Group) -> Card:
    return render.settings_card(plans.plan_overview(inv.store, group, inv.now))


def _range(first: int, last: int) -> str:
    return f" {first}" if first == last else f"s {first}-{last}"


def _not_shown(post: posting.Post, shown: tuple[Card, ...]) -> str:
    """Where to read the passages of a post that did not fit in one reply (a pace above one)."""
    footers = " ".join(card.footer for card in shown)
    left = [p.ordinal for p in post.passages if f"passage {p.ordinal} of " not in footers]
    if not left:
        return ""
    which = ", ".join(f"/passage {n}" for n in left)
    if post.local_date is None:  # a dry run: there is no thread yet
        return f"The next post has {len(post.passages)} passages; see the rest with {which}."
    return f"This post has {len(post.passages)} passages; read the rest in its thread or with {which}."
