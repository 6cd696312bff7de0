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
    owner = state.add_user("owner")
    organiser = state.add_user("organiser")
    reader = state.add_user("reader")
    guild = state.add_guild("Reading Group", owner_id=owner.id)
    organiser_role = state.add_role(guild.id, "Organiser", P.MANAGE_GUILD)
    bot_role = state.add_role(guild.id, bot_name, P.BOT_ROLE_DEFAULT, managed=True, bot_id=bot.id)
    state.add_member(guild.id, bot.id, (bot_role.id,))
    state.add_member(guild.id, owner.id)
    state.add_member(guild.id, organiser.id, (organiser_role.id,))
    state.add_member(guild.id, reader.id)
    general = state.add_channel(guild.id, "general")
    reading_room = state.add_channel(guild.id, "reading-room")
    return World(
        bot=bot,
        guild=guild,
        owner=owner,
        organiser=organiser,
        reader=reader,
        everyone=state.roles[guild.id],
        organiser_role=organiser_role,
        bot_role=bot_role,
        general=general,
        reading_room=reading_room,
    )
