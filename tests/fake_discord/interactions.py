"""Building INTERACTION_CREATE payloads the way the Discord client would, and tracking what the
bot answers.

The Discord client only lets a user run commands that are registered and visible to them, with
options of the declared types, choices and ranges. :func:`build_command_options` applies the
same rules against the commands the bot synced to the fake, so a test that invokes a command
the bot never registered (or passes an option it does not declare) fails loudly instead of
testing a payload Discord would never send.

:class:`InteractionHandle` is what a test gets back: it records the callback, the original
response message and follow-ups, and has awaitable accessors for each.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import payloads
from . import permissions as P
from .state import THREAD_TYPES

if TYPE_CHECKING:
    from .server import FakeDiscord

APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5

OPTION_TYPES = {
    1: "SUB_COMMAND",
    2: "SUB_COMMAND_GROUP",
    3: "STRING",
    4: "INTEGER",
    5: "BOOLEAN",
    6: "USER",
    7: "CHANNEL",
    8: "ROLE",
    9: "MENTIONABLE",
    10: "NUMBER",
    11: "ATTACHMENT",
}


class InteractionHandle:
    """One user action and everything the bot did in answer to it."""

    def __init__(
        self,
        fake: FakeDiscord,
        *,
        id: int,
        token: str,
        type: int,
        payload: dict[str, Any],
        channel_id: int,
        user_id: int,
        message_id: int | None = None,
    ) -> None:
        self.fake = fake
        self.id = id
        self.token = token
        self.type = type
        self.payload = payload
        self.channel_id = channel_id
        self.user_id = user_id
        self.message_id = message_id  # the component's message, for type 3
        self.created = fake.state.clock()
        self.callback: dict[str, Any] | None = None  # body of POST .../callback
        self.callback_status: int | None = None
        self.original_id: int | None = None
        self.followup_ids: list[int] = []
        self.deleted_original = False
        self.expired = False  # the bot answered after the deadline

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.type} callback={self.response_type}>"

    # ----- plain accessors --------------------------------------------------------------------
    @property
    def acknowledged(self) -> bool:
        return self.callback is not None

    @property
    def response_type(self) -> int | None:
        return None if self.callback is None else self.callback.get("type")

    @property
    def response_data(self) -> dict[str, Any]:
        return (self.callback or {}).get("data") or {}

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.response_data.get("flags") or 0) & 64)

    @property
    def original(self) -> dict[str, Any] | None:
        """The current state of the original response message (after any edits)."""
        if self.original_id is None:
            return None
        stored = self.fake.state.messages.get(self.original_id)
        return None if stored is None or stored.deleted else copy.deepcopy(stored.data)

    @property
    def followups(self) -> list[dict[str, Any]]:
        return [copy.deepcopy(self.fake.state.messages[m].data) for m in self.followup_ids]

    @property
    def choices(self) -> list[dict[str, Any]] | None:
        return self.response_data.get("choices") if self.response_type == 8 else None

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.response_data if self.response_type == 9 else None

    # ----- awaitables -------------------------------------------------------------------------
    async def wait(
        self, predicate: Callable[[InteractionHandle], Any], timeout: float = 5.0, what: str = "condition"
    ) -> Any:
        return await self.fake.wait_for(
            lambda: predicate(self), timeout=timeout, description=f"{what} on interaction {self.id}"
        )

    async def response(self, timeout: float = 5.0) -> dict[str, Any]:
        """The callback body (``{"type": 4, "data": {...}}``) once the bot has answered."""
        await self.wait(lambda h: h.callback is not None, timeout, "callback")
        return self.callback  # type: ignore[return-value]

    async def followup(self, index: int = 0, timeout: float = 5.0) -> dict[str, Any]:
        """The ``index``-th follow-up message (a deferred reply's first follow-up is the
        original message itself, as on Discord; see :meth:`final_message`)."""
        await self.wait(lambda h: len(h.followup_ids) > index, timeout, f"follow-up #{index}")
        return self.followups[index]

    async def final_message(self, timeout: float = 5.0) -> dict[str, Any]:
        """The original response once it is no longer a loading ("thinking...") message."""

        def done(h: InteractionHandle) -> bool:
            o = h.original
            return o is not None and not int(o.get("flags") or 0) & 128

        await self.wait(done, timeout, "final original response")
        return self.original  # type: ignore[return-value]

    async def autocomplete_choices(self, timeout: float = 5.0) -> list[dict[str, Any]]:
        await self.wait(lambda h: h.response_type == 8, timeout, "autocomplete result")
        return self.choices or []


# ----- building payloads ----------------------------------------------------------------------
def find_command(fake: FakeDiscord, name: str, guild_id: int | None, type: int = 1) -> tuple[dict[str, Any], bool]:
    """The registered command a user would see: guild commands shadow global ones."""
    state = fake.state
    scopes = ([(state.application_id, guild_id)] if guild_id else []) + [(state.application_id, None)]
    for scope in scopes:
        for cmd in state.commands.get(scope, {}).values():
            if cmd["name"] == name and cmd.get("type", 1) == type:
                return cmd, scope[1] is not None
    known = sorted({c["name"] for s in scopes for c in state.commands.get(s, {}).values()})
    raise LookupError(
        f"no command /{name} registered for guild {guild_id} (registered: {known}); did the bot sync its command tree?"
    )


def build_command_options(
    fake: FakeDiscord,
    cmd: dict[str, Any],
    path: Sequence[str],
    values: dict[str, Any],
    *,
    guild_id: int | None,
    channel_id: int,
    user_id: int,
    focused: str | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Discord's nested ``data.options`` (groups -> subcommand -> options) plus ``resolved``."""
    schema = cmd.get("options") or []
    chain: list[dict[str, Any]] = []
    for name in path:
        opt = next((o for o in schema if o["name"] == name and o["type"] in (1, 2)), None)
        if opt is None:
            subs = [o["name"] for o in schema if o["type"] in (1, 2)]
            raise ValueError(f"/{cmd['name']} has no subcommand {name!r} here (has {subs})")
        chain.append(opt)
        schema = opt.get("options") or []
    if any(o["type"] in (1, 2) for o in schema):
        subs = [o["name"] for o in schema if o["type"] in (1, 2)]
        raise ValueError(f"/{cmd['name']} {' '.join(path)} needs a subcommand (one of {subs})")

    resolved: dict[str, dict[str, Any]] = {}
    leaf: list[dict[str, Any]] = []
    by_name = {o["name"]: o for o in schema}
    for name, value in values.items():
        opt = by_name.get(name)
        if opt is None:
            raise ValueError(f"/{cmd['name']} has no option {name!r} (has {sorted(by_name)})")
        if name == focused:
            if not opt.get("autocomplete"):
                raise ValueError(f"option {name!r} of /{cmd['name']} does not have autocomplete")
            leaf.append({"name": name, "type": opt["type"], "value": value, "focused": True})
            continue
        leaf.append(
            {
                "name": name,
                "type": opt["type"],
                "value": _convert(fake, opt, value, resolved, guild_id, channel_id, user_id),
            }
        )
    if focused is not None and focused not in values:
        raise ValueError(f"focused option {focused!r} needs a value in options")
    if focused is None:
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
        if missing:
            raise ValueError(f"/{cmd['name']} is missing required options {missing}")

    options = leaf
    for opt in reversed(chain):
        options = [{"name": opt["name"], "type": opt["type"], "options": options}]
    return options, resolved


def _convert(
    fake: FakeDiscord,
    opt: dict[str, Any],
    value: Any,
    resolved: dict[str, dict[str, Any]],
    guild_id: int | None,
    channel_id: int,
    user_id: int,
) -> Any:
    t, name = opt["type"], opt["name"]
    if t == 3:
        if not isinstance(value, str):
            raise ValueError(f"option {name!r} is a STRING, got {value!r}")
        if "min_length" in opt and len(value) < opt["min_length"]:
            raise ValueError(f"option {name!r} shorter than min_length {opt['min_length']}")
        if "max_length" in opt and len(value) > opt["max_length"]:
            raise ValueError(f"option {name!r} longer than max_length {opt['max_length']}")
    elif t in (4, 10):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (t == 4 and not isinstance(value, int)):
            raise ValueError(f"option {name!r} is {OPTION_TYPES[t]}, got {value!r}")
        if opt.get("min_value") is not None and value < opt["min_value"]:
            raise ValueError(f"option {name!r} below min_value {opt['min_value']}")
        if opt.get("max_value") is not None and value > opt["max_value"]:
            raise ValueError(f"option {name!r} above max_value {opt['max_value']}")
    elif t == 5:
        if not isinstance(value, bool):
            raise ValueError(f"option {name!r} is a BOOLEAN, got {value!r}")
    elif t in (6, 7, 8, 9):
        sid = int(getattr(value, "id", value))
        _resolve(fake, t, sid, resolved, guild_id, channel_id, name, opt)
        return str(sid)
    elif t == 11:
        if not isinstance(value, dict) or int(value.get("id", 0)) not in fake.state.attachments:
            raise ValueError(f"option {name!r} is an ATTACHMENT: pass what fake.attach(...) returned, got {value!r}")
        resolved.setdefault("attachments", {})[str(value["id"])] = dict(value)
        return str(value["id"])
    else:
        raise ValueError(f"option type {OPTION_TYPES.get(t, t)} is not supported by the fake")
    choices = opt.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise ValueError(f"{value!r} is not one of the choices of {name!r}: {[c['value'] for c in choices]}")
    return value


def _resolve(
    fake: FakeDiscord,
    t: int,
    sid: int,
    resolved: dict[str, dict[str, Any]],
    guild_id: int | None,
    channel_id: int,
    name: str,
    opt: dict[str, Any],
) -> None:
    state = fake.state
    if t in (6, 9) and sid in state.users:
        resolved.setdefault("users", {})[str(sid)] = payloads.user(state.users[sid])
        member = state.member(guild_id, sid) if guild_id else None
        if member is not None:
            resolved.setdefault("members", {})[str(sid)] = payloads.member(
                state, member, with_user=False, permissions=state.channel_permissions(channel_id, sid)
            )
        return
    if t in (8, 9) and sid in state.roles:
        resolved.setdefault("roles", {})[str(sid)] = payloads.role(state.roles[sid])
        return
    if t == 7 and sid in state.channels:
        ch = state.channels[sid]
        if opt.get("channel_types") and ch.type not in opt["channel_types"]:
            raise ValueError(f"channel {sid} has type {ch.type}, option {name!r} allows {opt['channel_types']}")
        data = {
            "id": str(sid),
            "name": ch.name,
            "type": ch.type,
            "permissions": str(state.channel_permissions(sid, fake.state.bot_user_id)),
        }
        if ch.type in THREAD_TYPES:
            full = payloads.thread(state, ch)
            data.update(parent_id=full["parent_id"], thread_metadata=full["thread_metadata"])
        else:
            data["parent_id"] = None if ch.parent_id is None else str(ch.parent_id)
        resolved.setdefault("channels", {})[str(sid)] = data
        return
    raise ValueError(f"option {name!r}: no {OPTION_TYPES[t]} with id {sid} in the fake")


def base_payload(
    fake: FakeDiscord,
    *,
    interaction_id: int,
    token: str,
    type: int,
    data: dict[str, Any],
    channel_id: int,
    user_id: int,
) -> dict[str, Any]:
    """The envelope common to all interaction types (member, permissions, channel, ...)."""
    state = fake.state
    channel = state.channels[channel_id]
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(state.application_id),
        "type": type,
        "data": data,
        "channel_id": str(channel_id),
        "channel": payloads.channel(state, channel),
        "token": token,
        "version": 1,
        "locale": "en-US",
        "app_permissions": str(state.channel_permissions(channel_id, state.bot_user_id)),
        "entitlements": [],
        "attachment_size_limit": 26214400,
    }
    if channel.guild_id is not None:
        member = state.member(channel.guild_id, user_id)
        if member is None:
            raise ValueError(f"user {user_id} is not a member of guild {channel.guild_id}")
        perms = state.channel_permissions(channel_id, user_id)
        if not perms & P.VIEW_CHANNEL:
            raise ValueError(f"user {user_id} cannot see channel {channel_id}")
        payload.update(
            guild_id=str(channel.guild_id),
            guild={"id": str(channel.guild_id), "locale": "en-US", "features": []},
            guild_locale="en-US",
            member=payloads.member(state, member, permissions=perms),
            context=0,
            authorizing_integration_owners={"0": str(channel.guild_id)},
        )
    else:
        payload.update(
            user=payloads.user(state.users[user_id]),
            context=1,
            authorizing_integration_owners={"0": str(channel.guild_id or 0)},
        )
    return payload


def check_command_visible(fake: FakeDiscord, cmd: dict[str, Any], channel_id: int, user_id: int) -> None:
    """Discord hides a command whose ``default_member_permissions`` the user lacks."""
    state = fake.state
    channel = state.channels[channel_id]
    if channel.guild_id is None:
        return
    perms = state.channel_permissions(channel_id, user_id)
    if not perms & P.USE_APPLICATION_COMMANDS:
        raise PermissionError(f"user {user_id} lacks Use Application Commands in channel {channel_id}")
    required = cmd.get("default_member_permissions")
    if required is not None and not perms & P.ADMINISTRATOR and (int(required) == 0 or int(required) & ~perms):
        raise PermissionError(
            f"/{cmd['name']} needs permissions {required} that user {user_id} lacks "
            "(Discord would not show it; pass bypass_permissions=True to model an admin override)"
        )
