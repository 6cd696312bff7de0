"""The fake's in-memory model of Discord: users, guilds, roles, members, channels, threads,
messages, application commands.

Objects are plain dataclasses; JSON shapes live in :mod:`payloads`, so this module only knows
relationships and rules (who may do what where). Messages are kept as Discord-shaped dicts
because that is what both the client and the tests want to look at.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import permissions as P

DISCORD_EPOCH_MS = 1420070400000

# Channel types we model.
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
THREAD_TYPES = (10, PUBLIC_THREAD, PRIVATE_THREAD)


class Snowflakes:
    """Monotonic ids shaped like Discord's (timestamp << 22), so ``created_at`` is sensible."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        if candidate <= self._last:
            candidate = self._last + 1
        self._last = candidate
        return candidate

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next id whose server belongs to shard `shard_id` of `shard_count` (Discord's
        formula, (id >> 22) % count): tests spread servers over the shards they want."""
        candidate = self.next()
        while (candidate >> 22) % shard_count != shard_id:
            candidate += 1 << 22
        self._last = candidate
        return candidate


def iso_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None
    dms_closed: bool = False  # POST to a DM with this user gives 403 50007


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False
    bot_id: int | None = None


@dataclass
class Member:
    user_id: int
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0


@dataclass
class Channel:
    id: int
    type: int
    name: str
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    last_message_id: int | None = None
    rate_limit_per_user: int = 0
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    invitable: bool = True
    archive_timestamp: str = field(default_factory=iso_now)
    create_timestamp: str = field(default_factory=iso_now)
    message_count: int = 0
    total_message_sent: int = 0
    member_ids: list[int] = field(default_factory=list)
    # DMs
    recipient_ids: list[int] = field(default_factory=list)

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    members: dict[int, Member] = field(default_factory=dict)
    role_ids: list[int] = field(default_factory=list)
    channel_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso_now)


@dataclass
class StoredMessage:
    """A message plus the bookkeeping Discord keeps but does not show."""

    data: dict[str, Any]
    channel_id: int
    author_id: int
    ephemeral: bool = False
    nonce: str | None = None
    created: float = field(default_factory=time.monotonic)
    deleted: bool = False

    @property
    def id(self) -> int:
        return int(self.data["id"])


class FakeState:
    """All objects, keyed by id, plus the rules that need more than one object."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.ids = Snowflakes()
        self.clock = clock
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.roles: dict[int, Role] = {}
        self.channels: dict[int, Channel] = {}
        self.deleted_channels: dict[int, Channel] = {}
        self.messages: dict[int, StoredMessage] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.attachments: dict[int, bytes] = {}
        # (application_id, guild_id or None) -> {command id: payload}
        self.commands: dict[tuple, dict[int, dict[str, Any]]] = {}
        self.bot_user_id: int = 0
        self.application_id: int = 0
        self._positions = itertools.count(1)

    # ----- builders -------------------------------------------------------------------------
    def add_user(self, username: str, *, bot: bool = False, user_id: int | None = None) -> User:
        user = User(id=user_id or self.ids.next(), username=username, bot=bot)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner_id: int, shard: tuple[int, int] | None = None) -> Guild:
        """`shard`: (id, count) the guild's id must fall on."""
        guild = Guild(id=self.ids.next_on_shard(*shard) if shard else self.ids.next(), name=name, owner_id=owner_id)
        self.guilds[guild.id] = guild
        everyone = Role(id=guild.id, guild_id=guild.id, name="@everyone", permissions=P.EVERYONE_DEFAULT)
        self.roles[everyone.id] = everyone
        guild.role_ids.append(everyone.id)
        return guild

    def add_role(
        self, guild_id: int, name: str, permissions: int, *, managed: bool = False, bot_id: int | None = None
    ) -> Role:
        guild = self.guilds[guild_id]
        role = Role(
            id=self.ids.next(),
            guild_id=guild_id,
            name=name,
            permissions=permissions,
            position=len(guild.role_ids),
            managed=managed,
            bot_id=bot_id,
        )
        self.roles[role.id] = role
        guild.role_ids.append(role.id)
        return role

    def add_member(self, guild_id: int, user_id: int, role_ids: tuple = ()) -> Member:
        member = Member(user_id=user_id, guild_id=guild_id, role_ids=list(role_ids))
        self.guilds[guild_id].members[user_id] = member
        return member

    def add_channel(
        self,
        guild_id: int | None,
        name: str,
        *,
        type: int = GUILD_TEXT,
        parent_id: int | None = None,
        channel_id: int | None = None,
        overwrites: tuple = (),
    ) -> Channel:
        channel = Channel(
            id=channel_id or self.ids.next(),
            type=type,
            name=name,
            guild_id=guild_id,
            parent_id=parent_id,
            position=next(self._positions),
            overwrites=list(overwrites),
        )
        self.channels[channel.id] = channel
        self.channel_messages.setdefault(channel.id, [])
        if guild_id is not None and not channel.is_thread:
            self.guilds[guild_id].channel_ids.append(channel.id)
        return channel

    # ----- lookups ----------------------------------------------------------------------------
    def guild_channels(self, guild_id: int) -> list[Channel]:
        return [self.channels[c] for c in self.guilds[guild_id].channel_ids if c in self.channels]

    def threads(self, guild_id: int | None = None) -> list[Channel]:
        return [c for c in self.channels.values() if c.is_thread and (guild_id is None or c.guild_id == guild_id)]

    def member(self, guild_id: int, user_id: int) -> Member | None:
        guild = self.guilds.get(guild_id)
        return guild.members.get(user_id) if guild else None

    def visible_messages(self, channel_id: int) -> list[StoredMessage]:
        return [
            self.messages[m]
            for m in self.channel_messages.get(channel_id, [])
            if not self.messages[m].deleted and not self.messages[m].ephemeral
        ]

    def find_by_nonce(self, author_id: int, nonce: str, window: float) -> StoredMessage | None:
        """Discord's ``enforce_nonce``: same author, same nonce, within the last few minutes."""
        now = self.clock()
        for stored in reversed(list(self.messages.values())):
            if stored.author_id == author_id and stored.nonce == nonce and now - stored.created <= window:
                return stored
        return None

    # ----- permissions ------------------------------------------------------------------------
    def guild_permissions(self, guild_id: int, user_id: int) -> int:
        guild = self.guilds[guild_id]
        member = guild.members.get(user_id)
        if member is None:
            return 0
        return P.base_permissions(
            is_owner=guild.owner_id == user_id,
            everyone=self.roles[guild.id].permissions,
            role_perms=[self.roles[r].permissions for r in member.role_ids if r in self.roles],
        )

    def channel_permissions(self, channel_id: int, user_id: int) -> int:
        """Resolved permissions of a member in a channel (threads inherit from their parent)."""
        channel = self.channels.get(channel_id) or self.deleted_channels.get(channel_id)
        if channel is None:
            return 0
        if channel.guild_id is None:  # DMs: everything a DM allows
            return P.VIEW_CHANNEL | P.SEND_MESSAGES | P.EMBED_LINKS | P.ATTACH_FILES | P.READ_MESSAGE_HISTORY
        if channel.is_thread and channel.parent_id is not None:
            return self.channel_permissions(channel.parent_id, user_id)
        base = self.guild_permissions(channel.guild_id, user_id)
        member = self.member(channel.guild_id, user_id)
        if member is None:
            return 0
        by_id = {o.id: o for o in channel.overwrites}
        everyone = by_id.get(channel.guild_id)
        mine = by_id.get(user_id)
        return P.apply_overwrites(
            base,
            everyone_ow=(everyone.allow, everyone.deny) if everyone else None,
            role_ows=[(by_id[r].allow, by_id[r].deny) for r in member.role_ids if r in by_id and by_id[r].type == 0],
            member_ow=(mine.allow, mine.deny) if mine and mine.type == 1 else None,
        )
