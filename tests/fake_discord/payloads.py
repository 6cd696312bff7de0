"""Discord JSON shapes built from the fake's model objects.

Every id is a string and every field discord.py reads with ``data['key']`` is present; the
shapes follow the Discord API docs for v10 (user, member, role, channel, thread, guild,
message). Keeping them in one place makes it easy to check one against the docs.
"""

from __future__ import annotations

import re
from typing import Any

from .state import Channel, FakeState, Member, Role, User, iso_now


def user(u: User) -> dict[str, Any]:
    return {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": None,
        "bot": u.bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }


def self_user(u: User) -> dict[str, Any]:
    """``GET /users/@me`` and READY's user: the private fields a bot sees about itself."""
    return {**user(u), "verified": True, "mfa_enabled": False, "email": None, "locale": "en-US", "premium_type": 0}


def role(r: Role) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(r.id),
        "name": r.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": False,
        "flags": 0,
    }
    if r.bot_id is not None:
        data["tags"] = {"bot_id": str(r.bot_id)}
    return data


def member(state: FakeState, m: Member, *, with_user: bool = True, permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "roles": [str(r) for r in m.role_ids],
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "joined_at": m.joined_at,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(state.users[m.user_id])
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def channel(state: FakeState, c: Channel) -> dict[str, Any]:
    if c.is_thread:
        return thread(state, c)
    if c.guild_id is None:
        return {
            "id": str(c.id),
            "type": c.type,
            "last_message_id": _opt_id(c.last_message_id),
            "recipients": [user(state.users[u]) for u in c.recipient_ids],
            "flags": 0,
        }
    return {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild_id),
        "name": c.name,
        "position": c.position,
        "permission_overwrites": [
            {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)} for o in c.overwrites
        ],
        "parent_id": _opt_id(c.parent_id),
        "topic": c.topic,
        "nsfw": False,
        "last_message_id": _opt_id(c.last_message_id),
        "rate_limit_per_user": c.rate_limit_per_user,
        "default_auto_archive_duration": 1440,
        "default_thread_rate_limit_per_user": 0,
        "flags": 0,
    }


def thread_member(c: Channel, user_id: int) -> dict[str, Any]:
    return {"id": str(c.id), "user_id": str(user_id), "join_timestamp": c.create_timestamp, "flags": 0}


def thread(state: FakeState, c: Channel, *, for_user: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(c.id),
        "type": c.type,
        "guild_id": str(c.guild_id),
        "parent_id": str(c.parent_id),
        "owner_id": str(c.owner_id),
        "name": c.name,
        "last_message_id": _opt_id(c.last_message_id),
        "rate_limit_per_user": c.rate_limit_per_user,
        "message_count": c.message_count,
        "member_count": len(c.member_ids),
        "total_message_sent": c.total_message_sent,
        "flags": 0,
        "thread_metadata": {
            "archived": c.archived,
            "auto_archive_duration": c.auto_archive_duration,
            "archive_timestamp": c.archive_timestamp,
            "locked": c.locked,
            "invitable": c.invitable,
            "create_timestamp": c.create_timestamp,
        },
    }
    if for_user is not None and for_user in c.member_ids:
        data["member"] = thread_member(c, for_user)
    return data


def guild_create(state: FakeState, guild_id: int, *, for_user: int) -> dict[str, Any]:
    """The full GUILD_CREATE a bot receives after READY (members included, so no chunking)."""
    g = state.guilds[guild_id]
    members = [member(state, m) for m in g.members.values()]
    return {
        **guild_base(state, guild_id),
        "joined_at": g.joined_at,
        "large": False,
        "unavailable": False,
        "member_count": len(members),
        "members": members,
        "channels": [channel(state, c) for c in state.guild_channels(guild_id)],
        "threads": [thread(state, t, for_user=for_user) for t in state.threads(guild_id) if not t.archived],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def guild_base(state: FakeState, guild_id: int) -> dict[str, Any]:
    g = state.guilds[guild_id]
    return {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [role(state.roles[r]) for r in g.role_ids if r in state.roles],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
    }


def new_message(
    state: FakeState,
    *,
    channel: Channel,
    author_id: int,
    body: dict[str, Any],
    message_id: int | None = None,
    type: int = 0,
) -> dict[str, Any]:
    """A message as Discord stores it, from a create body (content/embeds/components/...)."""
    mid = message_id or state.ids.next()
    data: dict[str, Any] = {
        "id": str(mid),
        "type": type,
        "channel_id": str(channel.id),
        "author": user(state.users[author_id]),
        "content": body.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": _pings_everyone(body.get("content") or "", body.get("allowed_mentions")),
        "mentions": _mentions(state, body.get("content") or "", body.get("allowed_mentions")),
        "mention_roles": _role_mentions(body.get("content") or "", body.get("allowed_mentions")),
        "attachments": list(body.get("attachments") or []),
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "reactions": [],
        "pinned": False,
        "flags": int(body.get("flags") or 0),
    }
    if body.get("poll"):
        data["poll"] = new_poll(body["poll"])
    if body.get("nonce") is not None:
        data["nonce"] = body["nonce"]
    if body.get("message_reference"):
        ref = dict(body["message_reference"])
        ref.setdefault("channel_id", str(channel.id))
        if channel.guild_id is not None:
            ref.setdefault("guild_id", str(channel.guild_id))
        data["message_reference"] = ref
    if channel.guild_id is not None and channel.is_thread:
        data["position"] = channel.total_message_sent
    return data


def apply_edit(message: dict[str, Any], body: dict[str, Any]) -> None:
    """PATCH semantics: only keys present in the body change; ``null`` clears."""
    for key in ("content", "embeds", "components", "attachments"):
        if key in body:
            value = body[key]
            message[key] = (value or "") if key == "content" else list(value or [])
    if "flags" in body and body["flags"] is not None:
        # Only SUPPRESS_EMBEDS (1<<2) and IS_COMPONENTS_V2 (1<<15) may change on edit.
        mutable = (1 << 2) | (1 << 15)
        message["flags"] = (message["flags"] & ~mutable) | (int(body["flags"]) & mutable)
    message["edited_timestamp"] = iso_now()


def for_channel_event(state: FakeState, message: dict[str, Any], channel: Channel) -> dict[str, Any]:
    """MESSAGE_CREATE/UPDATE carry ``guild_id`` and the author's partial ``member`` in guilds."""
    data = dict(message)
    if channel.guild_id is not None:
        data["guild_id"] = str(channel.guild_id)
        m = state.member(channel.guild_id, int(message["author"]["id"]))
        if m is not None:
            data["member"] = member(state, m, with_user=False)
    return data


def _mentions(state: FakeState, content: str, allowed: dict[str, Any] | None = None) -> list:
    """Users pinged: mentioned as ``<@id>`` in the content and let through by ``allowed_mentions``
    (absent: every mention pings; ``{"parse": []}``: none does). What ``mentions`` lists."""
    ids = dict.fromkeys(int(m) for m in re.findall(r"<@!?(\d+)>", content))
    return [user(state.users[i]) for i in ids if i in state.users and _allowed(allowed, "users", i)]


def _role_mentions(content: str, allowed: dict[str, Any] | None) -> list:
    ids = dict.fromkeys(re.findall(r"<@&(\d+)>", content))
    return [i for i in ids if _allowed(allowed, "roles", int(i))]


def _pings_everyone(content: str, allowed: dict[str, Any] | None) -> bool:
    return bool(re.search(r"@(everyone|here)\b", content)) and _allowed(allowed, "everyone", None)


def _allowed(allowed: dict[str, Any] | None, kind: str, target: int | None) -> bool:
    if allowed is None:
        return True
    if kind in (allowed.get("parse") or []):
        return True
    return target is not None and str(target) in [str(t) for t in allowed.get(kind) or []]


def _opt_id(value: int | None) -> str | None:
    return None if value is None else str(value)


def new_poll(body: dict[str, Any]) -> dict[str, Any]:
    """A native poll as Discord stores it: answers numbered from 1, an expiry, no votes yet."""
    from datetime import UTC, datetime, timedelta

    hours = float(body.get("duration") or 24)
    expiry = datetime.now(UTC) + timedelta(hours=hours)
    return {
        "question": {"text": (body.get("question") or {}).get("text", "")},
        "answers": [
            {"answer_id": n, "poll_media": dict(answer.get("poll_media") or {})}
            for n, answer in enumerate(body.get("answers") or [], start=1)
        ],
        "expiry": expiry.isoformat(),
        "allow_multiselect": bool(body.get("allow_multiselect")),
        "layout_type": int(body.get("layout_type") or 1),
        "results": {"is_finalized": False, "answer_counts": []},
    }
