"""Turn core results into cards: what every front end shows, before it is drawn.

A card is a neutral message (title, body, fields, footer). The Discord adapter turns it into an
embed; the CLI and the console print it as text. So the daily post, /today and the console show
the same thing, made in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.models import (
    MARK_END,
    MARK_START,
    CuratedQuestion,
    DeliveryStatus,
    Group,
    SearchHit,
    SearchResult,
    StoredPassage,
    Suggestion,
    Text,
)
from bot.questions.analysis.wording import MAX_QUESTION_CHARS
from bot.questions.curation import PassageQuestions, ShownQuestion
from bot.reading.plans import PlanOverview
from bot.reading.schedule import format_weekdays

DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
FIELD_NAME_LIMIT = 256
TITLE_LIMIT = 256
FOOTER_LIMIT = 2048
MESSAGE_EMBEDS_LIMIT = 6000
CONTENT_LIMIT = 2000


@dataclass(frozen=True)
class Card:
    title: str
    description: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    footer: str = ""
    spoiler_fields: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    """What pressing it does, e.g. "search:2" or "read:17"; the front end maps it to an id."""
    disabled: bool = False


@dataclass(frozen=True)
class Reply:
    text: str = ""
    cards: tuple[Card, ...] = ()
    buttons: tuple[Button, ...] = ()
    ephemeral: bool = False
    notice: Notice | None = None
    """A message for others besides this answer (a suggested question in the post's thread)."""


@dataclass(frozen=True)
class Notice:
    """A message the front end posts, or edits, besides answering whoever acted."""

    where: tuple[int, ...]
    """Channels to post in, in order of preference (a post's thread, then its channel)."""
    reply: Reply
    message_id: int | None = None
    """Edit this message (in where[0]) instead of posting a new one."""
    suggestion_id: int | None = None
    """The suggestion it shows: once posted, its message is recorded, to edit on a decision."""


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    """At most 45 characters (Discord's limit for a modal's labels)."""
    value: str = ""
    required: bool = False
    max_length: int = MAX_QUESTION_CHARS
    placeholder: str = ""


@dataclass(frozen=True)
class Form:
    """A form to fill in: a modal on Discord; the console takes the fields as arguments."""

    title: str
    """At most 45 characters."""
    action: str
    """What submitting it does, e.g. "questions:12:5"; the front end maps it to an id."""
    fields: tuple[FormField, ...]


def card_size(card: Card) -> int:
    """Characters Discord counts against the 6,000 a message's embeds may hold."""
    return len(card.title) + len(card.description) + len(card.footer) + sum(len(n) + len(v) for n, v in card.fields)


def fit_message(cards: tuple[Card, ...]) -> tuple[Card, ...]:
    """The leading cards that fit one message. Discord refuses a message whose embeds hold more
    than 6,000 characters (or number more than 10) instead of cutting it, so a reply that
    gathers several cards (a post at pace 3, a status with its dry run) must stop in time."""
    kept: list[Card] = []
    used = 0
    for card in cards:
        if len(kept) == 10 or used + card_size(card) > MESSAGE_EMBEDS_LIMIT:
            break
        kept.append(card)
        used += card_size(card)
    return tuple(kept)


def moment(when: datetime) -> str:
    """'Tue 24 Nov 09:00 Europe/Berlin': a post time as the group reads it."""
    return when.strftime("%a %d %b %H:%M ") + str(when.tzinfo)


def cite(passage: StoredPassage) -> str:
    """Title, author, section, passage n of N: enough to find it again and quote it."""
    parts = [f"{passage.text_title} ({passage.author})"]
    if passage.section:
        parts.append(passage.section)
    parts.append(f"passage {passage.ordinal} of {passage.passage_count}")
    return " · ".join(parts)


def passage_card(passage: StoredPassage) -> Card:
    return Card(
        title=_clip(passage.section or passage.text_title, TITLE_LIMIT),
        description=_clip(passage.body, DESCRIPTION_LIMIT),
        footer=cite(passage) + f" · {passage.word_count} words",
    )


def highlight(excerpt: str, bold: tuple[str, str] = ("**", "**")) -> str:
    return excerpt.replace(MARK_START, bold[0]).replace(MARK_END, bold[1])


def search_lines(result: SearchResult, bold: tuple[str, str] = ("**", "**"), contexts=None) -> list[str]:
    """Plain lines for a terminal: each hit as a citation and its excerpt (or, with
    `contexts`, its paragraph and those around it)."""
    lines: list[str] = []
    if result.notice:
        lines.append(result.notice)
    for number, hit in enumerate(result.hits, start=1):
        lines.append(f"{number}. {cite(hit.passage)}")
        found = (contexts or {}).get(hit.paragraph_id)
        if found is None:
            lines.append("   " + highlight(hit.excerpt, bold))
        else:
            for _, body, is_hit in found.paragraphs:
                lines.append(("   > " if is_hit else "     ") + body)
        if hit.found_as:
            lines.append("   " + found_as(hit))
        lines.extend(f"   also in: {cite(other)}" for other in hit.also_in)
    return lines


def found_as(hit: SearchHit) -> str:
    """Said under a hit found through a near spelling, not the word typed."""
    return f"(found as {', '.join(hit.found_as)}: a near spelling of what you typed)"


def context_card(found, limit: int = DESCRIPTION_LIMIT) -> Card:
    """A hit in context: the paragraphs around it, the hit itself in bold."""
    parts = [f"**{body}**" if is_hit else body for _, body, is_hit in found.paragraphs]
    return Card(
        title=_clip(found.passage.section or found.passage.text_title, TITLE_LIMIT),
        description=_clip("\n\n".join(parts), limit),
        footer=cite(found.passage),
    )


def hit_json(hit: SearchHit) -> dict:
    p = hit.passage
    return {
        "text": p.text_slug,
        "title": p.text_title,
        "author": p.author,
        "section": p.section,
        "passage": p.ordinal,
        "passage_count": p.passage_count,
        "citation": cite(p),
        "excerpt": highlight(hit.excerpt),
        "paragraph": hit.paragraph,
        "paragraph_id": hit.paragraph_id,
        "score": round(hit.score, 4),
        "also_in": [{"text": o.text_slug, "passage": o.ordinal, "citation": cite(o)} for o in hit.also_in],
        "found_as": list(hit.found_as),
    }


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- posts ----------------------------------------------------------------------------------------


def post_messages(post) -> list[tuple[Card, ...]]:
    """The messages of a post: the first carries the first passage and the questions; further
    passages (a pace above one) follow in the thread. Each message fits Discord's limits."""
    cards = [_post_passage_card(post, p) for p in post.passages]
    questions = questions_card(post.questions)
    first: tuple[Card, ...] = (cards[0], questions) if questions else (cards[0],)
    return [first] + [(card,) for card in cards[1:]]


def post_cards(post, dry_run: bool = False) -> tuple[Card, ...]:
    cards = tuple(card for message in post_messages(post) for card in message)
    if dry_run:
        first = cards[0]
        cards = (
            Card(
                title="Dry run: " + first.title, description=first.description, fields=first.fields, footer=first.footer
            ),
        ) + cards[1:]
    return cards


def _post_passage_card(post, passage: StoredPassage) -> Card:
    total = post.text.passage_count
    percent = round(100 * post.posted_count / total) if total else 0
    day = f" · {post.local_date:%a %d %b %Y}" if post.local_date else ""
    heading = passage.section or passage.text_title
    room = MESSAGE_EMBEDS_LIMIT - 1300 - len(heading) - 200
    return Card(
        title=_clip(f"{post.text.meta.title}", TITLE_LIMIT),
        description=_clip(
            (f"**{heading}**\n\n" if passage.section else "") + passage.body, min(DESCRIPTION_LIMIT, room)
        ),
        footer=_clip(
            f"{post.text.meta.author} · passage {passage.ordinal} of {total} · {percent}% of the plan{day}",
            FOOTER_LIMIT,
        ),
    )


def questions_card(questions) -> Card | None:
    if not questions:
        return None
    lines = [f"{i}. {q}" for i, q in enumerate(questions, start=1)]
    return Card(title="For discussion", description=_clip("\n".join(lines), 1300))


# -- search ---------------------------------------------------------------------------------------


def ahead_rule(group: Group | None, text_slug: str | None = None) -> Callable[[StoredPassage], bool]:
    """Which passages the group has not reached: those of its text from the next post on. With
    the text's slug, also those of a newer version of it: search shows the current version while
    a group keeps reading the one it started, and a hit there is just as much a spoiler."""
    if group is None:
        return lambda passage: False
    return lambda passage: (
        (passage.text_id == group.text_id or passage.text_slug == text_slug) and passage.ordinal >= group.next_ordinal
    )


def hit_ahead(hit: SearchHit, is_ahead: Callable[[StoredPassage], bool]) -> bool:
    """A hit is a spoiler if its passage, or the same words in another edition, is ahead."""
    return is_ahead(hit.passage) or any(is_ahead(other) for other in hit.also_in)


def search_card(result: SearchResult, page: int, page_size: int, is_ahead) -> Card:
    hits = result.hits[(page - 1) * page_size : page * page_size]
    fields = []
    for number, hit in enumerate(hits, start=(page - 1) * page_size + 1):
        excerpt = highlight(hit.excerpt)
        if hit_ahead(hit, is_ahead):
            excerpt = "Ahead of the group (spoiler): ||" + excerpt.replace("||", "") + "||"
        also = ("\n" + found_as(hit) if hit.found_as else "") + "".join(f"\nalso in: {cite(o)}" for o in hit.also_in)
        fields.append(
            (_clip(f"{number}. {cite(hit.passage)}", FIELD_NAME_LIMIT), _clip(excerpt + also, FIELD_VALUE_LIMIT))
        )
    description = result.notice or ""
    if not result.hits and not description:
        description = "Nothing found."
    return Card(
        title=_clip(f"Search: {result.query}", TITLE_LIMIT),
        description=description,
        fields=tuple(fields),
        footer=f"{len(result.hits)} passages" if result.hits else "",
    )


# -- texts, progress, settings ----------------------------------------------------------------


def texts_card(texts: list[Text]) -> Card:
    if not texts:
        return Card(title="Texts", description="No texts are loaded; the host can add some with `studybot ingest`.")
    lines = [
        f"**{t.meta.title}** — {t.meta.author}{f', {t.meta.year}' if t.meta.year else ''} "
        f"({t.passage_count} passages{', added here' if t.guild_id is not None else ''}) `{t.slug}`"
        for t in texts
    ]
    return Card(title="Texts", description=_clip("\n".join(lines), DESCRIPTION_LIMIT))


def progress_card(whole, mine, name: str) -> Card:
    if whole.finished and whole.posted < whole.text.passage_count:  # reached the end by skipping
        plan = f"Finished: {whole.posted} of {whole.text.passage_count} passages posted; the rest were skipped."
    elif whole.finished:
        plan = f"Finished: all {whole.text.passage_count} passages posted."
    else:
        last = f"up to passage {whole.last_posted}" if whole.last_posted else "nothing posted yet"
        plan = f"{whole.posted} of {whole.text.passage_count} passages posted ({whole.percent}%), {last}."
        if whole.paused:
            plan += f" Paused: {whole.pause_reason or 'by an organiser'}"
        elif whole.projected_finish:
            plan += f" At this pace the text is finished on {whole.projected_finish:%a %d %b %Y}."
    missed = ", ".join(_passages(d) for d in mine.missed[:10]) or "nothing"
    member = (
        f"Read {mine.read} of {mine.posted} posted passages; streak {mine.streak} "
        f"day{'s' if mine.streak != 1 else ''}. Missed: {missed}" + (" …" if len(mine.missed) > 10 else "") + "."
    )
    return Card(
        title=_clip(f"Progress: {whole.text.meta.title}", TITLE_LIMIT),
        description=plan,
        fields=(
            ("The group", f"{whole.readers} members have marked passages read."),
            (_clip(f"For {name}", FIELD_NAME_LIMIT), _clip(member, FIELD_VALUE_LIMIT)),
        ),
    )


def catchup_card(mine, group: Group, text: Text, questions: dict[int, tuple[str, ...]] | None = None) -> Card:
    """Links to the posts a member missed, with the questions each carried (as posted), newest
    first while they fit one embed, so they know what the group is discussing."""
    if not mine.missed:
        return Card(title="All caught up", description="You have marked every post so far as read.")
    shown = mine.missed[-15:]
    entries = []
    for d in shown:
        link = message_link(group.guild_id, group.channel_id, d.message_id) if d.message_id else ""
        entries.append(f"{d.local_date}: [{_passages(d)}]({link})" if link else f"{d.local_date}: {_passages(d)}")
    more = f"\n…and {len(mine.missed) - 15} earlier posts." if len(mine.missed) > 15 else ""
    room = DESCRIPTION_LIMIT - len("\n".join(entries)) - len(more)
    for index in range(len(shown) - 1, -1, -1):
        asked = "".join(f"\n  • {_clip(q, MAX_QUESTION_CHARS)}" for q in (questions or {}).get(shown[index].id, ()))
        if len(asked) > room:
            break
        entries[index] += asked
        room -= len(asked)
    return Card(
        title=_clip(f"To catch up: {text.meta.title}", TITLE_LIMIT),
        description="\n".join(entries) + more,
        footer="Open a post and press Mark as read when you have read it.",
    )


def settings_card(plan: PlanOverview) -> Card:
    group, text = plan.group, plan.text
    state = "paused" + (f": {group.pause_reason}" if group.pause_reason else "") if group.paused else "running"
    upcoming = moment(plan.upcoming[0]) if plan.upcoming else "—"
    fields: tuple[tuple[str, str], ...] = (
        ("Text", _clip(f"{text.meta.title} ({text.meta.author})", FIELD_VALUE_LIMIT)),
        ("Schedule", f"{group.post_time:%H:%M} {group.timezone}, {format_weekdays(group.weekdays)}"),
        ("Pace", f"{group.pace} passage{'s' if group.pace != 1 else ''} per post"),
        (
            "Next passage",
            f"{group.next_ordinal} of {text.passage_count}"
            if group.next_ordinal <= text.passage_count
            else "none: the text is finished",
        ),
        ("Next post", upcoming),
        ("State", _clip(state, FIELD_VALUE_LIMIT)),
    )
    if group.last_error:
        fields += (("Last problem", _clip(group.last_error, FIELD_VALUE_LIMIT)),)
    return Card(title="Reading plan", fields=fields)


def status_card(plan: PlanOverview) -> Card:
    latest, group = plan.latest, plan.group
    if latest is None:
        last = "No post yet."
    elif latest.status == DeliveryStatus.POSTED:
        last = f"Posted {latest.local_date}: {_passages(latest)}."
    elif latest.status == DeliveryStatus.FAILED:
        last = f"Failed {latest.local_date}: {latest.error}"
    else:
        last = f"Being posted ({latest.local_date}, attempt {latest.attempts})" + (
            f": {latest.error}" if latest.error else "."
        )
    if group.paused:
        upcoming = f"None while paused ({group.pause_reason or 'by an organiser'})."
    else:
        upcoming = "\n".join(moment(m) for m in plan.upcoming)
    return Card(
        title="Plan status",
        fields=(("Last post", _clip(last, FIELD_VALUE_LIMIT)), ("Next seven posts", upcoming or "—")),
    )


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def _passages(delivery) -> str:
    if delivery.first_ordinal == delivery.last_ordinal:
        return f"passage {delivery.first_ordinal}"
    return f"passages {delivery.first_ordinal}-{delivery.last_ordinal}"


def card_text(card: Card) -> str:
    """A card as terminal text (the console and the CLI)."""
    parts = [card.title.upper() if card.title else ""]
    if card.description:
        parts.append(card.description)
    parts.extend(f"{name}\n  " + value.replace("\n", "\n  ") for name, value in card.fields)
    if card.footer:
        parts.append(f"— {card.footer}")
    return "\n\n".join(p for p in parts if p)


# -- questions a group can fix ----------------------------------------------------------------------


def mention(user_id: int | None) -> str:
    return f"<@{user_id}>" if user_id is not None else "someone"


def origin_phrase(question: ShownQuestion, who: Callable[[int], str] = mention) -> str:
    """Where a question came from, as an organiser reads it."""
    if question.curated is not None:
        return curated_origin(question.curated, who)
    return {"catalog": "from the text's catalog", "model": "written by the language model"}.get(
        question.origin, "generated from the passage"
    )


def curated_origin(question: CuratedQuestion, who: Callable[[int], str] = mention) -> str:
    if question.source == "written":
        return f"written by {who(question.author_id)}"
    if question.source == "kept":
        return f"generated, kept by {who(question.approved_by)}"
    return f"suggested by {who(question.author_id)}, approved by {who(question.approved_by)}"


def passage_questions_card(shown: PassageQuestions, waiting: list[Suggestion], waiting_count: int) -> Card:
    """What an organiser reviews before a post: its questions, their origins, where the passage
    stands here, and the suggestions waiting for a decision."""
    passage, post = shown.passage, shown.post
    lines = [f"{n}. {q.text}\n*{origin_phrase(q)}*" for n, q in enumerate(shown.questions, start=1)]
    if post is not None and post.status == "posted":
        here = f"Posted here on {post.local_date}; a change now reaches later groups on this server."
    elif post is not None:
        here = "Its post is being sent now with the questions it had; a change reaches later groups on this server."
    elif shown.is_next:
        here = "The next post carries these questions; edit them before it goes out."
    else:
        here = "Not posted here yet."
    fields = [("This group", here)]
    if waiting:
        listed = [f"#{s.id} · passage {s.ordinal} · {mention(s.user_id)}: “{s.question}”" for s in waiting]
        more = f"\n…and {waiting_count - len(waiting)} more." if waiting_count > len(waiting) else ""
        fields.append((f"Suggestions waiting ({waiting_count})", _clip("\n".join(listed) + more, FIELD_VALUE_LIMIT)))
    return Card(
        title=_clip(f"Questions for passage {passage.ordinal} of {passage.passage_count}", TITLE_LIMIT),
        description=_clip("\n".join(lines) or "No questions.", DESCRIPTION_LIMIT),
        fields=tuple(fields),
        footer=_clip(cite(passage) + " · saved questions serve every group on this server reading it", FOOTER_LIMIT),
    )


def suggestion_notice(suggestion: Suggestion) -> Reply:
    """The message in a post's thread that shows a member's suggestion, and its fate."""
    said = (
        f"**Suggested question** for passage {suggestion.ordinal}, from {mention(suggestion.user_id)}:\n"
        f"> {suggestion.question}\n"
    )
    if suggestion.status == "approved":
        return Reply(
            text=said + f"Approved by {mention(suggestion.decided_by)}: later groups on this server reading it get it."
        )
    if suggestion.status == "declined":
        return Reply(text=said + f"Declined by {mention(suggestion.decided_by)}: it is not kept for later groups.")
    return Reply(
        text=said + "Discuss it here; an organiser can approve it for later groups on this server, or decline it.",
        buttons=(Button("Approve", f"approve:{suggestion.id}"), Button("Decline", f"decline:{suggestion.id}")),
    )


def decision_buttons(waiting: list[Suggestion]) -> tuple[Button, ...]:
    return tuple(
        button
        for s in waiting
        for button in (Button(f"Approve #{s.id}", f"approve:{s.id}"), Button(f"Decline #{s.id}", f"decline:{s.id}"))
    )


def questions_form(passage: StoredPassage, questions: tuple[str, ...], slots: int) -> Form:
    """The organisers' editor: one box per question, filled with the current ones."""
    return Form(
        title=f"Questions for passage {passage.ordinal}"[:45],
        action=f"questions:{passage.text_id}:{passage.ordinal}",
        fields=tuple(
            FormField(
                key=f"q{n}",
                label=f"Question {n}",
                value=questions[n - 1] if n <= len(questions) else "",
                placeholder="Add a question, or leave this empty",
            )
            for n in range(1, slots + 1)
        ),
    )


def suggestion_form(delivery_id: int, ordinal: int) -> Form:
    return Form(
        title="Suggest a question",
        action=f"suggestion:{delivery_id}",
        fields=(
            FormField(
                key="question",
                label=f"Your question on passage {ordinal}"[:45],
                required=True,
                placeholder="What would you ask the group about this passage?",
            ),
        ),
    )


# -- a server's own library -----------------------------------------------------------------------

OPENING_CHARS = 400
"""How much of the first passage the card of a text just added shows."""
READING_WORDS_PER_MINUTE = 250


def channel_mention(channel_id: int) -> str:
    return f"<#{channel_id}>"


def added_text_card(text: Text, first: StoredPassage, sections: int, group: Group | None) -> Card:
    """The card of a text just added: what it is, how long it takes, how it begins."""
    meta = text.meta
    byline = f"by {meta.author}{f', {meta.year}' if meta.year else ''}"
    opening = _opening(first.body, OPENING_CHARS)
    return Card(
        title=_clip(meta.title, TITLE_LIMIT),
        description=_clip(f"{byline}\n\n> {opening}", DESCRIPTION_LIMIT),
        fields=(
            ("Sections", str(sections)),
            ("Passages", str(text.passage_count)),
            ("Words", f"{text.word_count:,}"),
            ("Reading time", reading_time(text, group)),
        ),
        footer=f"{text.slug} · only this server sees it · {text.size_bytes / 1024 / 1024:.1f} MB of text",
    )


def reading_time(text: Text, group: Group | None) -> str:
    """How long a group takes to read the text at this channel's plan's pace and days (one
    passage a day when the channel has no plan), and the hours of reading it holds."""
    pace = group.pace if group else 1
    days = group.weekdays if group else frozenset(range(7))
    posts = -(-text.passage_count // pace)
    weeks = posts / max(len(days), 1)
    span = f"{posts} days" if len(days) == 7 and posts < 14 else f"about {max(1, round(weeks))} weeks"
    minutes = round(text.word_count / READING_WORDS_PER_MINUTE)
    hours = f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{max(minutes, 1)} min"
    which = "this channel's pace" if group else "one passage a day"
    per_post = f"{pace} passage{'s' if pace != 1 else ''} a post, {format_weekdays(days)}"
    return f"{posts} posts ({per_post}): {span} at {which}; {hours} of reading"


def _opening(body: str, limit: int) -> str:
    """The first lines of a passage, cut after a sentence (or a word) near `limit`."""
    first = body.split("\n\n", 1)[0] if len(body.split("\n\n", 1)[0]) >= limit // 2 else body
    if len(first) <= limit:
        return " ".join(first.split())
    cut = first[:limit]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= limit // 2:
        return " ".join(cut[: end + 1].split())
    return " ".join(cut[: cut.rfind(" ")].split()) + " …"


def server_library_card(shelf) -> Card:
    """/library list: the server's own texts, those leaving, and the room left."""
    limits = shelf.limits
    lines = [
        f"**{t.meta.title}** — {t.meta.author} ({t.passage_count} passages, {t.size_bytes / 1024 / 1024:.1f} MB) `{t.slug}`"
        for t in shelf.texts
    ]
    for text, groups in shelf.leaving:
        where = ", ".join(channel_mention(g.channel_id) for g in groups) or "no plan"
        lines.append(f"~~{text.meta.title}~~ removed; kept until the plan in {where} ends")
    if not lines:
        lines = ["No texts of this server's own yet: add one with /library add (a file, or url:)."]
    usage = (
        f"{shelf.used_texts} of {limits.server_texts} texts, "
        f"{shelf.used_bytes / 1024 / 1024:.1f} of {limits.server_bytes / 1024 / 1024:.0f} MB of text"
    )
    return Card(title="This server's library", description=_clip("\n".join(lines), DESCRIPTION_LIMIT), footer=usage)


def plan_form(text: Text) -> Form:
    """The start dialog, filled in with the text: /study start as a form."""
    return Form(
        title=_clip(f"Start reading {text.meta.title}", 45),
        action="plan",
        fields=(
            FormField("text", "Text", value=text.slug, required=True, max_length=100),
            FormField("time", "Local post time", required=True, max_length=5, placeholder="09:00"),
            FormField("timezone", "Time zone", required=True, max_length=64, placeholder="Europe/London"),
            FormField("weekdays", "Days", value="daily", max_length=40, placeholder="daily, mon-fri or mon,wed,fri"),
            FormField("pace", "Passages per post (1-3)", value="1", max_length=1),
        ),
    )
