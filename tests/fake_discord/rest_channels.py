"""REST routes for channels, messages, threads, reactions and DMs (what the bot itself does)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from . import errors as E
from . import payloads
from . import permissions as P
from .gateway import strip_content
from .messaging import (
    attachments_from_upload,
    create_message,
    create_thread,
    delete_channel,
    delete_message,
    get_message,
    live_channel,
    require,
    update_channel,
    update_thread,
)
from .state import DM

if TYPE_CHECKING:
    from .rest import Call, Reply, Router
    from .server import FakeDiscord


def _visible(fake: FakeDiscord, call: Call):
    channel = live_channel(fake, call.id("channel_id"))
    if channel.guild_id is not None:
        require(fake, channel, fake.state.bot_user_id, P.VIEW_CHANNEL)
    return channel


def _as_seen(fake: FakeDiscord, data: dict[str, Any], in_guild: bool) -> dict[str, Any]:
    """REST reads honour the app's message-content setting like the gateway does."""
    if "message_content" in fake.privileged_intents:
        return data
    return strip_content(data, fake.state.bot_user_id, in_guild=in_guild)


def get_channel(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    if channel.is_thread:
        return 200, payloads.thread(fake.state, channel, for_user=fake.state.bot_user_id)
    return 200, payloads.channel(fake.state, channel)


def patch_channel(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    body = call.json or {}
    bot = fake.state.bot_user_id
    if channel.is_thread:
        if channel.owner_id != bot or body.get("locked") is not None:
            require(fake, channel, bot, P.MANAGE_THREADS)
        return 200, payloads.thread(fake.state, update_thread(fake, channel, body))
    require(fake, channel, bot, P.MANAGE_CHANNELS)
    return 200, payloads.channel(fake.state, update_channel(fake, channel, body))


def remove_channel(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    bot = fake.state.bot_user_id
    require(fake, channel, bot, P.MANAGE_THREADS if channel.is_thread else P.MANAGE_CHANNELS)
    return 200, delete_channel(fake, channel)


def list_messages(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    if channel.guild_id is not None:
        require(fake, channel, fake.state.bot_user_id, P.READ_MESSAGE_HISTORY)
    q = call.query
    limit = max(1, min(int(q.get("limit") or 50), 100))
    messages = fake.state.visible_messages(channel.id)  # oldest first
    if q.get("before"):
        messages = [m for m in messages if m.id < int(q["before"])]
    if q.get("after"):
        messages = [m for m in messages if m.id > int(q["after"])]
        messages = messages[:limit]
    if q.get("around"):
        around = int(q["around"])
        older = [m for m in messages if m.id <= around][-(limit // 2 + limit % 2) :]
        newer = [m for m in messages if m.id > around][: limit // 2]
        messages = older + newer
    messages = messages[-limit:]
    in_guild = channel.guild_id is not None
    return 200, [_as_seen(fake, m.data, in_guild) for m in reversed(messages)]


def post_message(fake: FakeDiscord, call: Call) -> Reply:
    body = dict(call.json or {})
    attachments_from_upload(fake, body, call.files)
    stored = create_message(fake, call.id("channel_id"), body, author_id=fake.state.bot_user_id)
    return 200, stored.data


def read_message(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    if channel.guild_id is not None:
        require(fake, channel, fake.state.bot_user_id, P.READ_MESSAGE_HISTORY)
    stored = get_message(fake, channel.id, call.id("message_id"))
    return 200, _as_seen(fake, stored.data, channel.guild_id is not None)


def patch_message(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    stored = get_message(fake, channel.id, call.id("message_id"))
    if stored.author_id != fake.state.bot_user_id:
        raise E.ApiError(403, 50005, "Cannot edit a message authored by another user")
    body = dict(call.json or {})
    attachments_from_upload(fake, body, call.files)
    from .messaging import edit_message

    return 200, edit_message(fake, stored, body).data


def remove_message(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    stored = get_message(fake, channel.id, call.id("message_id"))
    if stored.author_id != fake.state.bot_user_id and channel.guild_id is not None:
        require(fake, channel, fake.state.bot_user_id, P.MANAGE_MESSAGES)
    delete_message(fake, stored)
    return 204, None


def thread_from_message(fake: FakeDiscord, call: Call) -> Reply:
    thread = create_thread(
        fake, call.id("channel_id"), call.json or {}, owner_id=fake.state.bot_user_id, message_id=call.id("message_id")
    )
    return 201, payloads.thread(fake.state, thread, for_user=fake.state.bot_user_id)


def thread_without_message(fake: FakeDiscord, call: Call) -> Reply:
    thread = create_thread(fake, call.id("channel_id"), call.json or {}, owner_id=fake.state.bot_user_id)
    return 201, payloads.thread(fake.state, thread, for_user=fake.state.bot_user_id)


def join_thread(fake: FakeDiscord, call: Call) -> Reply:
    thread = _visible(fake, call)
    if not thread.is_thread:
        raise E.ApiError(400, 50024, "Cannot execute action on this channel type")
    raw = call.params["user_id"]
    user_id = fake.state.bot_user_id if raw == "@me" else call.id("user_id")
    if call.method == "PUT":
        if user_id not in thread.member_ids:
            thread.member_ids.append(user_id)
    elif user_id in thread.member_ids:
        thread.member_ids.remove(user_id)
    return 204, None


def list_thread_members(fake: FakeDiscord, call: Call) -> Reply:
    thread = _visible(fake, call)
    return 200, [payloads.thread_member(thread, u) for u in thread.member_ids]


def archived_threads(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    threads = [t for t in fake.state.threads(channel.guild_id) if t.parent_id == channel.id and t.archived]
    return 200, {"threads": [payloads.thread(fake.state, t) for t in threads], "members": [], "has_more": False}


def typing(fake: FakeDiscord, call: Call) -> Reply:
    _visible(fake, call)
    return 204, None


def reaction(fake: FakeDiscord, call: Call) -> Reply:
    channel = _visible(fake, call)
    stored = get_message(fake, channel.id, call.id("message_id"))
    name = unquote(call.params["emoji"])
    reactions: list[dict[str, Any]] = stored.data.setdefault("reactions", [])
    entry = next((r for r in reactions if r["emoji"]["name"] == name), None)
    event = {
        "user_id": str(fake.state.bot_user_id),
        "channel_id": str(channel.id),
        "message_id": str(stored.id),
        "emoji": {"id": None, "name": name},
        "burst": False,
        "type": 0,
    }
    if channel.guild_id is not None:
        event["guild_id"] = str(channel.guild_id)
    if call.method == "PUT":
        if channel.guild_id is not None:
            require(fake, channel, fake.state.bot_user_id, P.ADD_REACTIONS | P.READ_MESSAGE_HISTORY)
        if entry is None:
            entry = {
                "count": 0,
                "me": False,
                "emoji": {"id": None, "name": name},
                "burst_colors": [],
                "count_details": {"burst": 0, "normal": 0},
                "me_burst": False,
                "burst_me": False,
            }
            reactions.append(entry)
        if not entry["me"]:
            entry["me"] = True
            entry["count"] += 1
            fake.gateway.dispatch("MESSAGE_REACTION_ADD", event)
    elif entry is not None and entry["me"]:
        entry["me"] = False
        entry["count"] -= 1
        if entry["count"] == 0:
            reactions.remove(entry)
        fake.gateway.dispatch("MESSAGE_REACTION_REMOVE", event)
    return 204, None


def open_dm(fake: FakeDiscord, call: Call) -> Reply:
    state = fake.state
    recipient = int((call.json or {}).get("recipient_id", 0))
    if recipient not in state.users:
        raise E.unknown_user()
    for channel in state.channels.values():
        if channel.type == DM and channel.recipient_ids == [recipient]:
            return 200, payloads.channel(state, channel)
    channel = state.add_channel(None, "", type=DM)
    channel.recipient_ids = [recipient]
    return 200, payloads.channel(state, channel)


def register(router: Router) -> None:
    router.add("GET", "/channels/{channel_id}", get_channel)
    router.add("PATCH", "/channels/{channel_id}", patch_channel)
    router.add("DELETE", "/channels/{channel_id}", remove_channel)
    router.add("GET", "/channels/{channel_id}/messages", list_messages)
    router.add("POST", "/channels/{channel_id}/messages", post_message)
    router.add("GET", "/channels/{channel_id}/messages/{message_id}", read_message)
    router.add("PATCH", "/channels/{channel_id}/messages/{message_id}", patch_message)
    router.add("DELETE", "/channels/{channel_id}/messages/{message_id}", remove_message)
    router.add("POST", "/channels/{channel_id}/messages/{message_id}/threads", thread_from_message)
    router.add("POST", "/channels/{channel_id}/threads", thread_without_message)
    router.add("PUT", "/channels/{channel_id}/thread-members/{user_id}", join_thread)
    router.add("DELETE", "/channels/{channel_id}/thread-members/{user_id}", join_thread)
    router.add("GET", "/channels/{channel_id}/thread-members", list_thread_members)
    router.add("GET", "/channels/{channel_id}/threads/archived/public", archived_threads)
    router.add("POST", "/channels/{channel_id}/typing", typing)
    router.add("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", reaction)
    router.add("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", reaction)
    router.add("POST", "/users/@me/channels", open_dm)
