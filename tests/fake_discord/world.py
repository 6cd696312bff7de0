"""A ready-made server for tests: one guild, two text channels, a bot with a managed role, and
three humans with different permissions.

* ``owner`` owns the guild (implicitly has every permission);
* ``organiser`` has the "Organiser" role with Manage Server (0x20), the permission studybot
  uses to gate plan-changing commands;
* ``reader`` only has @everyone's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import permissions as P
from .state import Channel, FakeState, Guild, Role, User


@dataclass
class World:
    bot: User
    guild: Guild
    owner: User
    organiser: User
    reader: User
    everyone: Role
    organiser_role: Role
    bot_role: Role
    general: Channel
    reading_room: Channel

    @property
    def guild_id(self) -> int:
        return self.guild.id


def build_default_world(state: FakeState, *, bot_name: str = "studybot") -> World:
    bot = state.add_user(bot_name, bot=True)
    state.bot_user_id = bot.id
    state.application_id = bot.id  # as for every app created since 2020
    server = build_server(state, "Reading Group", people=("owner", "organiser", "reader"), rooms=("general",))
    general, reading_room = server.rooms
    return World(
        bot=bot,
        guild=server.guild,
        owner=server.owner,
        organiser=server.organiser,
        reader=server.reader,
        everyone=state.roles[server.guild_id],
        organiser_role=server.organiser_role,
        bot_role=server.bot_role,
        general=general,
        reading_room=reading_room,
    )


@dataclass
class Server:
    """A guild the bot is in: an owner, an organiser (Manage Server), a reader, and channels
    ending with a #reading-room. The default world is one; tests of what one server may see of
    another's add more (FakeDiscord.add_server)."""

    guild: Guild
    owner: User
    organiser: User
    reader: User
    organiser_role: Role
    bot_role: Role
    rooms: tuple[Channel, ...]

    @property
    def guild_id(self) -> int:
        return self.guild.id

    @property
    def room(self) -> Channel:
        return self.rooms[-1]


def build_server(
    state: FakeState,
    name: str,
    *,
    people: tuple[str, str, str] | None = None,
    rooms: tuple[str, ...] = (),
    shard: tuple[int, int] | None = None,
) -> Server:
    """A guild with the bot a member (as if invited) and `rooms` then #reading-room."""
    owner, organiser, reader = (
        state.add_user(n) for n in people or (f"{name}-{r}" for r in ("owner", "organiser", "reader"))
    )
    guild = state.add_guild(name, owner_id=owner.id, shard=shard)
    organiser_role = state.add_role(guild.id, "Organiser", P.MANAGE_GUILD)
    bot = state.users[state.bot_user_id]
    bot_role = state.add_role(guild.id, bot.username, P.BOT_ROLE_DEFAULT, managed=True, bot_id=bot.id)
    state.add_member(guild.id, bot.id, (bot_role.id,))
    state.add_member(guild.id, owner.id)
    state.add_member(guild.id, organiser.id, (organiser_role.id,))
    state.add_member(guild.id, reader.id)
    channels = tuple(state.add_channel(guild.id, room) for room in (*rooms, "reading-room"))
    return Server(guild, owner, organiser, reader, organiser_role, bot_role, channels)
