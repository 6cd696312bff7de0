"""Operations on messages, channels and threads that several entry points share (REST routes,
interaction responses, webhook follow-ups, and users acting through the test API).

Each operation changes the model and dispatches the gateway events Discord would send for it,
so whoever triggers a change, the client sees the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors as E
from . import payloads
from . import permissions as P
from .state import GUILD_TEXT, PRIVATE_THREAD, PUBLIC_THREAD, Channel, StoredMessage, iso_now

if TYPE_CHECKING:
    from .server import FakeDiscord

#: Discord's ``enforce_nonce`` window ("the past few minutes").
NONCE_WINDOW = 300.0
ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)

MSG_THREAD_CREATED = 18
MSG_REPLY = 19
MSG_CHAT_INPUT_COMMAND = 20


def live_channel(fake: FakeDiscord, channel_id: int) -> Channel:
    channel = fake.state.channels.get(int(channel_id))
    if channel is None:
        raise E.unknown_channel()
    return channel


def require(fake: FakeDiscord, channel: Channel, user_id: int, needed: int) -> None:
    """403 like Discord: 50001 if the channel is invisible, 50013 if a permission is missing."""
    perms = fake.state.channel_permissions(channel.id, user_id)
    if not perms & P.VIEW_CHANNEL:
        raise E.missing_access()
    if perms & needed != needed:
        raise E.missing_permissions()


def send_permission(channel: Channel) -> int:
    return P.SEND_MESSAGES_IN_THREADS if channel.is_thread else P.SEND_MESSAGES


def store_message(
    fake: FakeDiscord,
    channel: Channel,
    data: dict[str, Any],
    *,
    author_id: int,
    ephemeral: bool = False,
    nonce: str | None = None,
    dispatch: bool = True,
) -> StoredMessage:
    """Keep a message and, unless ephemeral, show it in the channel and dispatch MESSAGE_CREATE."""
    state = fake.state
    stored = StoredMessage(
        data=data, channel_id=channel.id, author_id=author_id, ephemeral=ephemeral, nonce=nonce, created=state.clock()
    )
    state.messages[stored.id] = stored
    state.channel_messages.setdefault(channel.id, []).append(stored.id)
    if not ephemeral:
        channel.last_message_id = stored.id
        if channel.is_thread:
            channel.message_count += 1
            channel.total_message_sent += 1
        if dispatch:
            fake.gateway.dispatch("MESSAGE_CREATE", payloads.for_channel_event(state, data, channel))
    return stored


def create_message(
    fake: FakeDiscord, channel_id: int, body: dict[str, Any], *, author_id: int, check_permissions: bool = True
) -> StoredMessage:
    """``POST /channels/{id}/messages`` semantics, including ``enforce_nonce`` deduplication."""
    from .validation import check_message

    state = fake.state
    channel = live_channel(fake, channel_id)
    if check_permissions:
        if channel.guild_id is None:
            other = [u for u in channel.recipient_ids if u != author_id]
            if any(state.users[u].dms_closed for u in other):
                raise E.ApiError(403, 50007, "Cannot send messages to this user")
        else:
            require(fake, channel, author_id, send_permission(channel))
    check_message(body)
    nonce = body.get("nonce")
    nonce = None if nonce is None else str(nonce)
    if nonce is not None and body.get("enforce_nonce"):
        existing = state.find_by_nonce(author_id, nonce, NONCE_WINDOW)
        if existing is not None:
            return existing
    reference = body.get("message_reference")
    if reference and reference.get("message_id"):
        ref = state.messages.get(int(reference["message_id"]))
        if (ref is None or ref.deleted) and reference.get("fail_if_not_exists", True):
            raise E.ApiError(
                400,
                50035,
                "Invalid Form Body",
                errors={
                    "message_reference": {
                        "_errors": [{"code": "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "message": "Unknown message"}]
                    }
                },
            )
    if channel.is_thread and channel.archived:
        if channel.locked:
            raise E.ApiError(400, 50083, "Thread is archived")
        update_thread(fake, channel, {"archived": False})
    data = payloads.new_message(
        state, channel=channel, author_id=author_id, body=body, type=MSG_REPLY if reference else 0
    )
    return store_message(fake, channel, data, author_id=author_id, nonce=nonce)


def get_message(fake: FakeDiscord, channel_id: int, message_id: int) -> StoredMessage:
    live_channel(fake, channel_id)
    stored = fake.state.messages.get(int(message_id))
    if stored is None or stored.deleted or stored.ephemeral or stored.channel_id != int(channel_id):
        raise E.unknown_message()
    return stored


def edit_message(fake: FakeDiscord, stored: StoredMessage, body: dict[str, Any]) -> StoredMessage:
    from .validation import check_message

    check_message(body, creating=False)
    payloads.apply_edit(stored.data, body)
    if not stored.ephemeral:
        channel = fake.state.channels.get(stored.channel_id)
        if channel is not None:
            fake.gateway.dispatch("MESSAGE_UPDATE", payloads.for_channel_event(fake.state, stored.data, channel))
    return stored


def delete_message(fake: FakeDiscord, stored: StoredMessage) -> None:
    stored.deleted = True
    if stored.ephemeral:
        return
    channel = fake.state.channels.get(stored.channel_id)
    event = {"id": str(stored.id), "channel_id": str(stored.channel_id)}
    if channel is not None and channel.guild_id is not None:
        event["guild_id"] = str(channel.guild_id)
    fake.gateway.dispatch("MESSAGE_DELETE", event)


def create_thread(
    fake: FakeDiscord, parent_id: int, body: dict[str, Any], *, owner_id: int, message_id: int | None = None
) -> Channel:
    """Start a thread from a message (thread id == message id) or on its own."""
    state = fake.state
    parent = live_channel(fake, parent_id)
    if parent.type != GUILD_TEXT:
        raise E.ApiError(400, 50024, "Cannot execute action on this channel type")
    thread_type = PUBLIC_THREAD if message_id is not None else int(body.get("type") or PRIVATE_THREAD)
    needed = P.CREATE_PUBLIC_THREADS if thread_type == PUBLIC_THREAD else P.CREATE_PRIVATE_THREADS
    require(fake, parent, owner_id, needed)
    starter = None
    if message_id is not None:
        starter = get_message(fake, parent_id, message_id)
        if int(starter.id) in state.channels or state.deleted_channels.get(starter.id):
            raise E.ApiError(400, 160004, "A thread has already been created for this message")
    from .validation import FormErrors

    errs = FormErrors()
    errs.max_len(("name",), body.get("name") or "", 100, 1)
    duration = body.get("auto_archive_duration") or 1440
    if duration not in ARCHIVE_DURATIONS:
        errs.add(("auto_archive_duration",), "BASE_TYPE_CHOICES", f"Value must be one of {ARCHIVE_DURATIONS}.")
    errs.raise_if_any()

    thread = state.add_channel(
        parent.guild_id, body["name"], type=thread_type, parent_id=parent.id, channel_id=message_id
    )
    thread.owner_id = owner_id
    thread.auto_archive_duration = duration
    thread.rate_limit_per_user = body.get("rate_limit_per_user") or 0
    thread.invitable = body.get("invitable", True) if thread_type == PRIVATE_THREAD else True
    thread.member_ids.append(owner_id)
    if starter is not None:
        starter.data["thread"] = payloads.thread(state, thread)
    event = {**payloads.thread(state, thread, for_user=state.bot_user_id), "newly_created": True}
    fake.gateway.dispatch("THREAD_CREATE", event)
    if starter is None and thread_type == PUBLIC_THREAD:
        notice = payloads.new_message(
            state, channel=parent, author_id=owner_id, body={"content": thread.name}, type=MSG_THREAD_CREATED
        )
        notice["message_reference"] = {"channel_id": str(thread.id), "guild_id": str(parent.guild_id)}
        store_message(fake, parent, notice, author_id=owner_id)
    return thread


def update_thread(fake: FakeDiscord, thread: Channel, body: dict[str, Any]) -> Channel:
    for key in ("name", "archived", "locked", "auto_archive_duration", "rate_limit_per_user", "invitable"):
        if key in body and body[key] is not None:
            setattr(thread, key, body[key])
    if "archived" in body:
        thread.archive_timestamp = iso_now()
    fake.gateway.dispatch("THREAD_UPDATE", payloads.thread(fake.state, thread))
    return thread


def update_channel(fake: FakeDiscord, channel: Channel, body: dict[str, Any]) -> Channel:
    for key in ("name", "topic", "position", "rate_limit_per_user"):
        if key in body:
            setattr(channel, key, body[key])
    fake.gateway.dispatch("CHANNEL_UPDATE", payloads.channel(fake.state, channel))
    return channel


def delete_channel(fake: FakeDiscord, channel: Channel) -> dict[str, Any]:
    state = fake.state
    data = payloads.channel(state, channel)
    state.channels.pop(channel.id, None)
    state.deleted_channels[channel.id] = channel
    if channel.guild_id is not None and channel.id in state.guilds[channel.guild_id].channel_ids:
        state.guilds[channel.guild_id].channel_ids.remove(channel.id)
    fake.gateway.dispatch(
        "THREAD_DELETE" if channel.is_thread else "CHANNEL_DELETE",
        {k: data[k] for k in ("id", "guild_id", "parent_id", "type")} if channel.is_thread else data,
    )
    if not channel.is_thread:
        for thread in [t for t in state.threads() if t.parent_id == channel.id]:
            state.channels.pop(thread.id, None)
            state.deleted_channels[thread.id] = thread
    return data


def attachments_from_upload(fake: FakeDiscord, body: dict[str, Any], files: list[dict[str, Any]]) -> None:
    """Turn multipart ``files[n]`` + ``attachments[{id: n}]`` into stored attachment objects."""
    if not files:
        return
    by_index = {f["index"]: f for f in files}
    result = []
    for meta in body.get("attachments") or [{"id": i} for i in sorted(by_index)]:
        upload = by_index.get(int(meta["id"])) if str(meta.get("id", "")).isdigit() else None
        if upload is None:
            result.append(meta)  # keeping an existing attachment on edit
            continue
        aid = fake.state.ids.next()
        fake.state.attachments[aid] = upload["data"]
        url = f"{fake.base_url}/attachments/{aid}/{upload['filename']}"
        result.append(
            {
                "id": str(aid),
                "filename": upload["filename"],
                "size": len(upload["data"]),
                "url": url,
                "proxy_url": url,
                "content_type": upload.get("content_type"),
                "description": meta.get("description"),
                "ephemeral": False,
            }
        )
    body["attachments"] = result
