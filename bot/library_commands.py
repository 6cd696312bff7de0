"""The /library handlers both front ends run: organisers add a text from a file or a web page,
list, rename and remove their server's own texts, and start a plan from the text just added.

Adding takes a while (a book is read chapter by chapter): the handler tells a `ProgressLine`
where it is, which the front end shows as it likes.
"""

from __future__ import annotations

from bot import commands, render
from bot import texts as library
from bot.commands import Invocation
from bot.errors import InvalidSettingError, PermissionDeniedError
from bot.render import Button, Form, Reply
from bot.texts import server_library
from bot.texts.server_library import ProgressLine, Upload

ORGANISERS_ONLY = "Only organisers (members with Manage Server) can change this server's library."
IN_A_SERVER = "A server's library is changed from one of its channels; run this command there."


def add(
    inv: Invocation,
    upload: Upload | None = None,
    url: str | None = None,
    title: str | None = None,
    author: str | None = None,
    progress: ProgressLine | None = None,
) -> Reply:
    """A file or a web page becomes one of the server's texts, shown as a card with a button to
    start reading it."""
    _require_organiser(inv)
    if (upload is None) == (not url):
        raise InvalidSettingError("Attach a file (file:) or give a web address (url:), one of the two.")
    source = upload if upload is not None else str(url)
    added = server_library.add_text(
        inv.store, inv.guild_id, source, limits=inv.limits, title=title, author=author, progress=progress
    )
    group = inv.store.group_for_channel(inv.channel_id)
    card = render.added_text_card(added.text, added.first, added.sections, group)
    return Reply(
        text=f"Added {added.text.meta.title} to this server's library.",
        cards=(card,),
        buttons=(Button("Start a plan", f"plan:{added.text.id}"),),
        ephemeral=True,
    )


def list_texts(inv: Invocation) -> Reply:
    _require_organiser(inv)
    shelf = server_library.server_library(inv.store, inv.guild_id, inv.limits)
    return Reply(cards=(render.server_library_card(shelf),), ephemeral=True)


def remove(inv: Invocation, text: str) -> Reply:
    _require_organiser(inv)
    removed, readers = server_library.remove_text(inv.store, inv.guild_id, text, inv.now)
    if not readers:
        return Reply(text=f"Removed {removed.meta.title} from this server's library.", ephemeral=True)
    where = ", ".join(render.channel_mention(g.channel_id) for g in readers)
    return Reply(
        text=(
            f"{removed.meta.title} is being read in {where}, so it stays until that plan ends (/study stop "
            "there); then it is removed. Meanwhile no new plan can start on it."
        ),
        ephemeral=True,
    )


def rename(inv: Invocation, text: str, title: str, author: str | None = None) -> Reply:
    _require_organiser(inv)
    renamed = server_library.rename_text(inv.store, inv.guild_id, text, title, author)
    return Reply(text=f"Renamed: {renamed.meta.title} ({renamed.meta.author}).", ephemeral=True)


def own_choices(inv: Invocation, typed: str) -> list[tuple[str, str]]:
    """(label, slug) of the server's own texts matching what was typed, for autocomplete."""
    found = library.texts_matching(inv.store.server_texts(inv.guild_id), typed)
    return [(f"{t.meta.title} ({t.meta.author})", t.slug) for t in found]


# -- starting a plan from the card ----------------------------------------------------------------


def plan_form(inv: Invocation, text_id: int) -> Form:
    """The start dialog, filled in with the text (and this channel's plan's pace and days, if any)."""
    if not inv.is_organiser:
        raise PermissionDeniedError("Only organisers (members with Manage Server) can start a reading plan.")
    text = inv.store.get_text(text_id)  # another server's text is not found: its view hides it
    return render.plan_form(text)


def start_plan(inv: Invocation, values: dict[str, str]) -> Reply:
    """The start dialog, submitted: /study start with what was typed."""
    raw_pace = values.get("pace", "").strip()
    try:
        pace = int(raw_pace) if raw_pace else None
    except ValueError:
        raise InvalidSettingError("Pace is passages per post, a number from 1 to 3.") from None
    return commands.study_start(
        inv,
        values.get("text", "").strip(),
        values.get("time", "").strip(),
        values.get("timezone", "").strip(),
        values.get("weekdays", "").strip() or None,
        pace,
    )


def _require_organiser(inv: Invocation) -> None:
    if not inv.guild_id:
        raise InvalidSettingError(IN_A_SERVER)
    if not inv.is_organiser:
        raise PermissionDeniedError(ORGANISERS_ONLY)
