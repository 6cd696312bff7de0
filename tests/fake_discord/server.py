"""``FakeDiscord``: the loopback server (REST + gateway on one port) and the API tests use.

Tests act as Discord's users and operators: they invoke commands, click buttons, post
messages, break things (faults, lost permissions, deleted channels, dropped connections), and
observe what the bot did (messages, threads, commands, the request log). Everything happens
through the real protocol, so the bot under test runs unmodified discord.py code.
"""

from __future__ import annotations

import asyncio
import copy
import re
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import web

from . import messaging, payloads
from . import permissions as P
from .faults import Fault, FaultPlan, GlobalLimit, Window, json_response, path_pattern
from .gateway import RECONNECT, Gateway
from .interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    InteractionHandle,
    base_payload,
    build_command_options,
    check_command_visible,
    find_command,
)
from .rest import API_PREFIX, RecordedRequest, RestApi
from .state import DM, GUILD_TEXT, Channel, FakeState, Overwrite, Role, StoredMessage
from .validation import iter_components
from .world import Server, World, build_default_world, build_server

MessageRef = int | str | dict[str, Any]


class WaitTimeout(AssertionError):
    """A condition the test waited for did not happen in time."""


class FakeDiscord:
    """A loopback Discord. Use ``async with FakeDiscord() as fake:`` or the pytest fixtures."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        heartbeat_interval_ms: int = 41250,
        interaction_deadline: float = 3.0,
        privileged_intents: Sequence[str] = ("members", "presences", "message_content"),
        default_world: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.recommended_shards = 1
        """What GET /gateway/bot recommends: an auto-sharded client opens this many shards."""
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.interaction_deadline = interaction_deadline
        self.privileged_intents = set(privileged_intents)
        self.state = FakeState(clock)
        self.world: World | None = build_default_world(self.state) if default_world else None
        self.gateway = Gateway(self)
        self.rest = RestApi(self)
        self.faults = FaultPlan()
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[str] = []
        self.fail_on_unknown_routes = True  # checked by the pytest fixture at teardown
        self.internal_errors: list[str] = []  # tracebacks of bugs in the fake itself
        self.interactions: dict[int, InteractionHandle] = {}
        self.command_syncs: list[tuple[int | None, list[str]]] = []
        self._by_token: dict[str, InteractionHandle] = {}
        self._windows: list[tuple[str, re.Pattern, str, Window]] = []
        self.global_limit: GlobalLimit | None = None
        self._waiters: set = set()
        self._runner: web.AppRunner | None = None
        self.host = "127.0.0.1"
        self.port: int | None = None

    # ----- lifecycle ----------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/", self.gateway.handle)
        app.router.add_get("/resume", self.gateway.handle)
        app.router.add_get("/attachments/{id}/{filename}", self._attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self.rest.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.host = host
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.close_all()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: Any) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """What ``discord.http.Route.BASE`` must be set to."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """What ``DiscordWebSocket.DEFAULT_GATEWAY`` must be set to (first IDENTIFY goes here)."""
        return f"ws://{self.host}:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        """Sent in READY; a distinct path so tests can tell a RESUME used it."""
        return f"ws://{self.host}:{self.port}/resume"

    @property
    def application_flags(self) -> int:
        flags = 1 << 23  # APPLICATION_COMMAND_BADGE
        for name, bit in (("presences", 1 << 13), ("members", 1 << 15), ("message_content", 1 << 19)):
            if name in self.privileged_intents:
                flags |= bit
        return flags

    async def _attachment(self, request: web.Request) -> web.StreamResponse:
        data = self.state.attachments.get(int(request.match_info["id"]))
        if data is None:
            return json_response({"message": "404: Not Found", "code": 0}, status=404)
        return web.Response(body=data, content_type="application/octet-stream")

    # ----- waiting ------------------------------------------------------------------------------
    def _notify(self) -> None:
        """Wake every ``wait_for``: called after each request, gateway frame and state change."""
        waiters, self._waiters = self._waiters, set()
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, description: str | None = None) -> Any:
        """Return ``predicate()``'s first truthy value; raise :class:`WaitTimeout` after ``timeout``.

        Re-checked whenever the fake sees traffic, and at least every 20 ms for conditions on
        the bot's own state (which the fake cannot observe).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise WaitTimeout(self._timeout_report(description or repr(predicate), timeout))
            fut = loop.create_future()
            self._waiters.add(fut)
            try:
                await asyncio.wait({fut}, timeout=min(remaining, 0.02))
            finally:
                self._waiters.discard(fut)
                fut.cancel()

    def _timeout_report(self, what: str, timeout: float) -> str:
        recent = "\n".join(
            f"  {r.method} {r.path} -> {r.status}{' (' + r.fault + ')' if r.fault else ''}" for r in self.requests[-10:]
        )
        return (
            f"timed out after {timeout}s waiting for {what}\n"
            f"live gateway sessions: {len(self.gateway.live_sessions)}; unknown routes: {self.unknown_routes}\n"
            f"last requests:\n{recent or '  (none)'}"
        )

    async def wait_for_message(
        self, channel_id: int, predicate: Callable[[dict[str, Any]], Any] = lambda m: True, timeout: float = 5.0
    ) -> dict[str, Any]:
        """The first visible message in ``channel_id`` that satisfies ``predicate``."""

        def find() -> dict[str, Any] | None:
            return next((m for m in self.messages(channel_id) if predicate(m)), None)

        return await self.wait_for(find, timeout, f"a matching message in channel {channel_id}")

    async def wait_until_connected(self, timeout: float = 5.0) -> None:
        await self.wait_for(lambda: self.gateway.live_sessions, timeout, "a live gateway session")

    # ----- observation ----------------------------------------------------------------------------
    def messages(self, channel_id: int, *, include_ephemeral: bool = False) -> list[dict[str, Any]]:
        """Snapshots of a channel's messages, oldest first (deleted ones excluded)."""
        ids = self.state.channel_messages.get(int(channel_id), [])
        stored = [self.state.messages[i] for i in ids]
        return [copy.deepcopy(m.data) for m in stored if not m.deleted and (include_ephemeral or not m.ephemeral)]

    def dms_to(self, user_id: int) -> list[dict[str, Any]]:
        """The messages in the user's DM channel with the bot, oldest first (none if never opened)."""
        for channel in self.state.channels.values():
            if channel.type == DM and channel.recipient_ids == [user_id]:
                return self.messages(channel.id)
        return []

    def message(self, message_id: int) -> dict[str, Any]:
        """A snapshot of any message the fake knows (including ephemeral and deleted ones)."""
        return copy.deepcopy(self.state.messages[int(message_id)].data)

    @property
    def threads(self) -> list[dict[str, Any]]:
        """Every live thread, as Discord's thread channel payloads."""
        return [payloads.thread(self.state, t) for t in self.state.threads()]

    def threads_in(self, channel_id: int) -> list[dict[str, Any]]:
        return [t for t in self.threads if t["parent_id"] == str(channel_id)]

    def commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """Registered commands: global ones, or one guild's."""
        return list(self.state.commands.get((self.state.application_id, guild_id), {}).values())

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        """Logged requests matching ``METHOD /path/{with}/{wildcards}``."""
        regex = path_pattern(path)
        return [r for r in self.requests if r.method == method.upper() and regex.match(r.path)]

    @property
    def identify_count(self) -> int:
        return self.gateway.identifies

    @property
    def resume_count(self) -> int:
        return self.gateway.resumes

    # ----- building the world -------------------------------------------------------------------
    def add_text_channel(self, name: str, guild_id: int | None = None) -> Channel:
        gid = guild_id or self._default_guild()
        channel = self.state.add_channel(gid, name, type=GUILD_TEXT)
        self.gateway.dispatch("CHANNEL_CREATE", payloads.channel(self.state, channel))
        return channel

    def add_role(self, name: str, permissions: int, guild_id: int | None = None) -> Role:
        gid = guild_id or self._default_guild()
        role = self.state.add_role(gid, name, permissions)
        self.gateway.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(gid), "role": payloads.role(role)})
        return role

    def add_member(self, username: str, *, role_ids: Sequence[int] = (), guild_id: int | None = None) -> int:
        """A new human joins; returns the user id."""
        gid = guild_id or self._default_guild()
        user = self.state.add_user(username)
        member = self.state.add_member(gid, user.id, tuple(role_ids))
        self.gateway.dispatch("GUILD_MEMBER_ADD", {**payloads.member(self.state, member), "guild_id": str(gid)})
        return user.id

    def add_server(self, name: str, shard: tuple[int, int] | None = None) -> Server:
        """Another guild with the bot in it (GUILD_CREATE to a connected bot, on the guild's
        shard, as on an invite). `shard`: (id, count) its id falls on, to spread servers over
        a sharded bot's shards."""
        server = build_server(self.state, name, shard=shard)
        for session in self.gateway.live_sessions:
            if session.serves(server.guild_id):
                session.dispatch("GUILD_CREATE", self.gateway.guild_create(server.guild_id, session.intents))
        return server

    def attach(self, filename: str, data: bytes, content_type: str | None = None) -> dict[str, Any]:
        """A file a user attaches to a command's ATTACHMENT option: Discord has stored it on its
        CDN (this fake's /attachments route); pass the returned object as the option's value."""
        aid = self.state.ids.next()
        self.state.attachments[aid] = data
        url = f"{self.base_url}/attachments/{aid}/{filename}"
        return {
            "id": str(aid),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "ephemeral": True,
        }

    def add_user(self, username: str, *, bot: bool = False) -> int:
        """Someone on Discord who is not in any guild of the fake (yet); returns the user id."""
        return self.state.add_user(username, bot=bot).id

    def set_member_roles(self, user_id: int, role_ids: Sequence[int], guild_id: int | None = None) -> None:
        gid = guild_id or self._default_guild()
        member = self.state.guilds[gid].members[user_id]
        member.role_ids = list(role_ids)
        self.gateway.dispatch("GUILD_MEMBER_UPDATE", {**payloads.member(self.state, member), "guild_id": str(gid)})

    def _default_guild(self) -> int:
        if self.world is None:
            raise ValueError("no default world: pass guild_id")
        return self.world.guild.id

    # ----- breaking things ----------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        path: str,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
        after: bool = False,
        body: dict[str, Any] | None = None,
    ) -> Fault:
        """Make the next ``times`` requests to ``METHOD path`` fail with ``status``.

        ``path`` may use ``{name}`` wildcards (``/channels/{id}/messages``). With ``after=True``
        the request is carried out and only the response is an error (a lost response).
        """
        return self.faults.add(
            Fault(
                method=method,
                path=path,
                status=status,
                times=times,
                retry_after=retry_after,
                is_global=is_global,
                after=after,
                body=body,
            )
        )

    def limit_channel_messages(
        self, limit: int = 5, per: float = 5.0, *, enforce: bool = True, advertise: bool = True
    ) -> Window:
        """Discord's per-channel message limit. ``advertise`` sends X-RateLimit headers (so
        discord.py paces itself, as with Discord); without them the client meets 429s."""
        window = Window(limit=limit, per=per, enforce=enforce, advertise=advertise, clock=self.state.clock)
        self._windows.append(("POST", path_pattern("/channels/{channel_id}/messages"), "channel_id", window))
        return window

    def limit_globally(self, limit: int = 50, per: float = 1.0) -> GlobalLimit:
        """Discord's global limit on the bot's REST requests (interaction and webhook routes
        are not counted, as on Discord): over it, a global 429."""
        self.global_limit = GlobalLimit(limit=limit, per=per, clock=self.state.clock)
        return self.global_limit

    def _window_for(self, method: str, route: str, params: dict[str, str]) -> tuple[Window | None, str]:
        for m, regex, key, window in self._windows:
            if m == method and regex.match(route):
                return window, params.get(key, "")
        return None, ""

    def set_permission_overwrite(
        self, channel_id: int, target_id: int, *, allow: int = 0, deny: int = 0, is_role: bool = False
    ) -> None:
        """Replace the overwrite for a role or member on a channel, and tell the client."""
        channel = self.state.channels[channel_id]
        channel.overwrites = [o for o in channel.overwrites if o.id != target_id]
        if allow or deny:
            channel.overwrites.append(Overwrite(id=target_id, type=0 if is_role else 1, allow=allow, deny=deny))
        self.gateway.dispatch("CHANNEL_UPDATE", payloads.channel(self.state, channel))

    def set_bot_can_send(self, channel_id: int, allowed: bool) -> None:
        """Deny (or restore) the bot's Send Messages in a channel and its threads."""
        deny = 0 if allowed else P.SEND_MESSAGES | P.SEND_MESSAGES_IN_THREADS
        self.set_permission_overwrite(channel_id, self.state.bot_user_id, deny=deny)

    def delete_channel(self, channel_id: int) -> None:
        """Someone deletes the channel: later requests to it get 404 Unknown Channel."""
        messaging.delete_channel(self, self.state.channels[channel_id])

    def close_dms(self, user_id: int) -> None:
        self.state.users[user_id].dms_closed = True

    async def drop_gateway(self, code: int | None = 4000, shard: int | None = None) -> int:
        """Close the websocket(s) server-side (only shard `shard`'s, if given); the session stays
        resumable. ``code=None`` cuts the TCP connection without a close frame."""
        return await self.gateway.drop(code, shard)

    def request_reconnect(self) -> None:
        """Send op 7 RECONNECT, as Discord does before moving a session."""
        self.gateway.send_op(RECONNECT)

    def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION (the client re-IDENTIFYs after ~5 s if not resumable)."""
        self.gateway.invalidate(resumable=resumable)

    # ----- acting as users ----------------------------------------------------------------------
    async def invoke_slash(
        self,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        name: str,
        options: dict[str, Any] | None = None,
        subcommand: None | str | Sequence[str] = None,
        *,
        bypass_permissions: bool = False,
        via_shard: int | None = None,
    ) -> InteractionHandle:
        """A user runs ``/name [subcommand] options...`` in a channel.

        ``subcommand`` is ``"start"`` or ``"group sub"``; ``options`` maps option names to values
        (ids or objects with ``.id`` for users, channels and roles). Raises ``LookupError`` if
        the command is not registered, ``PermissionError`` if Discord would hide it from this
        user, ``ValueError`` for options Discord's client would not accept.
        """
        data = self._command_data(
            guild_id,
            channel_id,
            user_id,
            name,
            options or {},
            subcommand,
            focused=None,
            bypass_permissions=bypass_permissions,
        )
        return self._deliver(APPLICATION_COMMAND, data, channel_id, user_id, via_shard=via_shard)

    async def autocomplete(
        self,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        name: str,
        focused: str,
        options: dict[str, Any],
        subcommand: None | str | Sequence[str] = None,
    ) -> InteractionHandle:
        """A user types into option ``focused`` (its partial value is ``options[focused]``)."""
        data = self._command_data(
            guild_id, channel_id, user_id, name, options, subcommand, focused=focused, bypass_permissions=False
        )
        return self._deliver(AUTOCOMPLETE, data, channel_id, user_id)

    def _command_data(
        self,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        name: str,
        options: dict[str, Any],
        subcommand: None | str | Sequence[str],
        *,
        focused: str | None,
        bypass_permissions: bool,
    ) -> dict[str, Any]:
        """``data`` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction, checked as Discord's client would."""
        channel = self.state.channels.get(channel_id)
        if channel is None:
            raise ValueError(f"no channel {channel_id}")
        if guild_id is not None and channel.guild_id != guild_id:
            raise ValueError(f"channel {channel_id} is not in guild {guild_id}")
        cmd, is_guild_cmd = find_command(self, name, channel.guild_id)
        if not bypass_permissions:
            check_command_visible(self, cmd, channel_id, user_id)
        path = subcommand.split() if isinstance(subcommand, str) else list(subcommand or [])
        opts, resolved = build_command_options(
            self, cmd, path, options, guild_id=channel.guild_id, channel_id=channel_id, user_id=user_id, focused=focused
        )
        data: dict[str, Any] = {"id": cmd["id"], "name": name, "type": 1}
        if opts:
            data["options"] = opts
        if resolved:
            data["resolved"] = resolved
        if is_guild_cmd:
            data["guild_id"] = str(channel.guild_id)
        return data

    async def click(
        self, message: MessageRef, custom_id: str, user_id: int, values: Sequence[str] | None = None
    ) -> InteractionHandle:
        """A user clicks a button (or picks ``values`` in a select) on a message."""
        stored = self._stored(message)
        component = next(
            (c for c in iter_components(stored.data.get("components") or []) if c.get("custom_id") == custom_id), None
        )
        if component is None:
            ids = [
                c.get("custom_id") for c in iter_components(stored.data.get("components") or []) if c.get("custom_id")
            ]
            raise ValueError(f"message {stored.id} has no component {custom_id!r} (has {ids})")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if component["type"] in (3, 5, 6, 7, 8):
            chosen = list(values or [])
            if component["type"] == 3:
                allowed = [o["value"] for o in component.get("options") or []]
                bad = [v for v in chosen if v not in allowed]
                if bad:
                    raise ValueError(f"{bad} are not options of select {custom_id!r} ({allowed})")
            if not component.get("min_values", 1) <= len(chosen) <= component.get("max_values", 1):
                raise ValueError(
                    f"select {custom_id!r} needs between {component.get('min_values', 1)} and "
                    f"{component.get('max_values', 1)} values"
                )
            data["values"] = chosen
        elif values is not None:
            raise ValueError(f"component {custom_id!r} is a button; it takes no values")
        return self._deliver(MESSAGE_COMPONENT, data, stored.channel_id, user_id, message=stored)

    async def submit_modal(
        self, source: InteractionHandle, values: dict[str, str], user_id: int | None = None
    ) -> InteractionHandle:
        """Fill in and submit the modal the bot showed in answer to ``source``."""
        modal = source.modal
        if modal is None:
            raise ValueError(f"interaction {source.id} was not answered with a modal")
        components = [_fill_modal(c, values) for c in modal.get("components") or []]
        unknown = set(values) - {c.get("custom_id") for c in iter_components(modal.get("components") or [])}
        if unknown:
            raise ValueError(f"modal {modal['custom_id']!r} has no inputs {sorted(unknown)}")
        data = {"custom_id": modal["custom_id"], "components": components}
        message = self.state.messages.get(source.message_id) if source.message_id else None
        return self._deliver(MODAL_SUBMIT, data, source.channel_id, user_id or source.user_id, message=message)

    def _deliver(
        self,
        type: int,
        data: dict[str, Any],
        channel_id: int,
        user_id: int,
        message: StoredMessage | None = None,
        via_shard: int | None = None,
    ) -> InteractionHandle:
        """`via_shard`: send it to that shard's session instead of the guild's own (what Discord
        never does: tests of a bot refusing a misrouted interaction)."""
        iid = self.state.ids.next()
        token = "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
        payload = base_payload(
            self, interaction_id=iid, token=token, type=type, data=data, channel_id=channel_id, user_id=user_id
        )
        if message is not None:
            payload["message"] = copy.deepcopy(message.data)
        handle = InteractionHandle(
            self,
            id=iid,
            token=token,
            type=type,
            payload=payload,
            channel_id=channel_id,
            user_id=user_id,
            message_id=None if message is None else message.id,
        )
        self.interactions[iid] = handle
        self._by_token[token] = handle
        if via_shard is None:
            self.gateway.dispatch("INTERACTION_CREATE", payload)
        else:
            self.gateway.dispatch_via(via_shard, "INTERACTION_CREATE", payload)
        self._notify()
        return handle

    def vote(self, message: MessageRef, user_id: int, answer_id: int) -> None:
        """A member votes for an answer of a message's poll (one vote each; a new vote moves it)."""
        stored = self._stored(message)
        poll = stored.data.get("poll")
        if poll is None or not any(a["answer_id"] == answer_id for a in poll["answers"]):
            raise ValueError(f"message {stored.id} has no poll answer {answer_id}")
        voters = stored.__dict__.setdefault("poll_voters", {})
        voters[user_id] = answer_id
        counts: dict[int, int] = {}
        for chosen in voters.values():
            counts[chosen] = counts.get(chosen, 0) + 1
        poll["results"]["answer_counts"] = [{"id": a, "count": n, "me_voted": False} for a, n in sorted(counts.items())]
        self._notify()

    def interaction_by_token(self, token: str) -> InteractionHandle | None:
        return self._by_token.get(token)

    async def send_user_message(
        self, channel_id: int, user_id: int, content: str = "", **fields: Any
    ) -> dict[str, Any]:
        """A human posts in a channel (MESSAGE_CREATE; ``<@id>`` mentions are resolved)."""
        body = {"content": content, **fields}
        stored = messaging.create_message(self, channel_id, body, author_id=user_id)
        self._notify()
        return copy.deepcopy(stored.data)

    def _stored(self, message: MessageRef) -> StoredMessage:
        mid = int(message["id"]) if isinstance(message, dict) else int(message)
        stored = self.state.messages.get(mid)
        if stored is None or stored.deleted:
            raise ValueError(f"no message {mid}")
        return stored


def _fill_modal(component: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """Mirror a modal's layout (action rows or labels) with the values a user typed."""
    if component.get("type") == 1:
        return {"type": 1, "components": [_fill_modal(c, values) for c in component.get("components") or []]}
    if component.get("type") == 18:
        return {"type": 18, "id": component.get("id"), "component": _fill_modal(component["component"], values)}
    custom_id = component.get("custom_id")
    if component.get("type") == 4:
        value = values.get(custom_id, component.get("value") or "")
        if component.get("required", True) and not value:
            raise ValueError(f"text input {custom_id!r} is required")
        if len(value) > component.get("max_length", 4000) or len(value) < component.get("min_length", 0):
            raise ValueError(f"text input {custom_id!r}: length {len(value)} outside its limits")
        return {"type": 4, "id": component.get("id"), "custom_id": custom_id, "value": value}
    if component.get("type") in (3, 5, 6, 7, 8):
        return {
            "type": component["type"],
            "id": component.get("id"),
            "custom_id": custom_id,
            "values": list(values.get(custom_id) or []),
        }
    return {"type": component.get("type"), "id": component.get("id")}
