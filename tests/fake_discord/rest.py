"""The fake REST API: routing, the request pipeline, and the small routes (users, application,
gateway, guilds).

Every request goes through one pipeline so that each gets the same treatment: it is logged,
authenticated (``Authorization: Bot <token>``, except the token-authenticated interaction and
webhook routes), checked against injected faults and rate-limit windows, handled, and answered
with Discord-shaped JSON. Unknown routes are recorded and answered with Discord's 404 body, so
a test can see exactly which endpoint the fake is missing.
"""

from __future__ import annotations

import json
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import errors as E
from . import payloads
from .faults import bucket_hash, error_response, json_response, rate_limited

if TYPE_CHECKING:
    from .server import FakeDiscord

API_PREFIX = "/api/v10"
Reply = tuple[int, Any]
Handler = Callable[["FakeDiscord", "Call"], Reply]


@dataclass
class Call:
    """One parsed request as handlers see it."""

    method: str
    path: str
    route: str
    params: dict[str, str]
    json: Any
    query: dict[str, str]
    files: list[dict[str, Any]] = field(default_factory=list)

    def id(self, name: str) -> int:
        try:
            return int(self.params[name])
        except ValueError:
            raise E.ApiError(
                400,
                50035,
                "Invalid Form Body",
                errors={
                    name: {
                        "_errors": [
                            {"code": "NUMBER_TYPE_COERCE", "message": f'Value "{self.params[name]}" is not snowflake.'}
                        ]
                    }
                },
            ) from None


@dataclass
class RecordedRequest:
    method: str
    path: str
    route: str | None
    json: Any
    query: dict[str, str]
    time: float
    status: int | None = None
    fault: str | None = None


class Router:
    def __init__(self) -> None:
        self.routes: list[tuple[str, str, re.Pattern, Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self.routes.append((method, template, re.compile(f"^{regex}$"), handler))

    def match(self, method: str, path: str) -> tuple[Handler | None, str | None, dict[str, str], bool]:
        """(handler, template, params, path_known) - path_known distinguishes 405 from 404."""
        path_known = False
        for m, template, regex, handler in self.routes:
            found = regex.match(path)
            if found:
                path_known = True
                if m == method:
                    return handler, template, found.groupdict(), True
        return None, None, {}, path_known


TOKEN_ROUTES = ("/interactions/", "/webhooks/")


class RestApi:
    def __init__(self, fake: FakeDiscord) -> None:
        from . import rest_channels, rest_interactions

        self.fake = fake
        self.router = Router()
        register(self.router)
        rest_channels.register(self.router)
        rest_interactions.register(self.router)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        path = request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else request.path
        method = request.method
        handler, route, params, path_known = self.router.match(method, path)
        bad_json = False
        try:
            body, files = await _read_body(request)
        except ValueError:
            body, files, bad_json = None, [], True
        record = RecordedRequest(
            method=method, path=path, route=route, json=body, query=dict(request.query), time=time.monotonic()
        )
        fake.requests.append(record)
        try:
            if bad_json:
                response = error_response(E.ApiError(400, 50109, "The request body contains invalid JSON."))
            else:
                response = self._process(request, record, handler, params, files, path_known)
        except Exception:
            # A bug in the fake: answer with a 400 (a 5xx would make discord.py retry for ~25 s)
            # and keep the traceback for the fixture to report.
            fake.internal_errors.append(f"{method} {path}\n{traceback.format_exc()}")
            response = json_response(
                {"code": 0, "message": "fake_discord internal error (see fake.internal_errors)"}, status=400
            )
        finally:
            fake._notify()
        record.status = response.status
        return response

    def _process(
        self,
        request: web.Request,
        record: RecordedRequest,
        handler: Handler | None,
        params: dict[str, str],
        files: list[dict[str, Any]],
        path_known: bool,
    ) -> web.Response:
        fake = self.fake
        method, path = record.method, record.path
        if handler is None:
            fake.unknown_routes.append(f"{method} {path}")
            if path_known:
                return json_response({"message": "405: Method Not Allowed", "code": 0}, status=405)
            return json_response({"message": "404: Not Found", "code": 0}, status=404)
        if not path.startswith(TOKEN_ROUTES) and request.headers.get("Authorization") != f"Bot {fake.token}":
            return error_response(E.unauthorized())
        bucket = bucket_hash(f"{method} {record.route}")
        fault = fake.faults.take(method, path, after=False)
        if fault is not None:
            record.fault = f"{fault.status} before"
            return fault.response(bucket)
        if fake.global_limit is not None and not path.startswith(TOKEN_ROUTES):
            wait = fake.global_limit.check()
            if wait is not None:
                record.fault = "global rate limit"
                return rate_limited(wait, bucket=bucket, is_global=True, limit=fake.global_limit.limit)
        window, window_key = fake._window_for(method, record.route or "", params)
        if window is not None:
            wait = window.check(window_key)
            if wait is not None:
                record.fault = "rate limit window"
                return rate_limited(wait, bucket=bucket, limit=window.limit)
        call = Call(
            method=method,
            path=path,
            route=record.route or "",
            params=params,
            json=record.json,
            query=record.query,
            files=files,
        )
        try:
            status, data = handler(fake, call)
        except E.ApiError as exc:
            return error_response(exc)
        fault = fake.faults.take(method, path, after=True)
        if fault is not None:
            record.fault = f"{fault.status} after"
            return fault.response(bucket)
        headers = window.headers(window_key, bucket) if window is not None and window.advertise else {}
        if data is None and status == 204:
            return web.Response(status=204, headers=headers)
        return json_response(data, status=status, headers=headers)


async def _read_body(request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
    """JSON bodies, or discord.py's multipart form (``payload_json`` + ``files[n]``)."""
    if not request.body_exists:
        return None, []
    if request.content_type == "multipart/form-data":
        body: Any = None
        files: list[dict[str, Any]] = []
        reader = await request.multipart()
        async for part in reader:
            name = part.name or ""
            if name == "payload_json":
                body = json.loads(await part.text())
            elif name.startswith("files["):
                files.append(
                    {
                        "index": int(name[6:-1]),
                        "filename": part.filename or "file",
                        "data": bytes(await part.read()),
                        "content_type": part.headers.get("Content-Type"),
                    }
                )
        return body, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []


# ----- small routes -----------------------------------------------------------------------------
def get_user(fake: FakeDiscord, call: Call) -> Reply:
    state = fake.state
    if call.params["user_id"] == "@me":
        return 200, payloads.self_user(state.users[state.bot_user_id])
    user = state.users.get(call.id("user_id"))
    if user is None:
        raise E.unknown_user()
    return 200, payloads.user(user)


def get_application(fake: FakeDiscord, call: Call) -> Reply:
    state = fake.state
    bot = state.users[state.bot_user_id]
    owner = state.users[fake.world.organiser.id] if fake.world else bot
    return 200, {
        "id": str(state.application_id),
        "name": bot.username,
        "icon": None,
        "description": "studybot test application",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": fake.application_flags,
        "owner": payloads.user(owner),
        "team": None,
        "bot": payloads.user(bot),
        "rpc_origins": [],
        "tags": [],
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "approximate_guild_count": len(state.guilds),
        "integration_types_config": {"0": {}},
    }


def get_gateway(fake: FakeDiscord, call: Call) -> Reply:
    data: dict[str, Any] = {"url": fake.gateway_url.rstrip("/")}
    if call.path.endswith("/bot"):
        data.update(
            shards=fake.recommended_shards,
            session_start_limit={"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1},
        )
    return 200, data


def _guild(fake: FakeDiscord, call: Call):
    guild = fake.state.guilds.get(call.id("guild_id"))
    if guild is None:
        raise E.unknown_guild()
    if fake.state.bot_user_id not in guild.members:
        raise E.missing_access()
    return guild


def get_guild(fake: FakeDiscord, call: Call) -> Reply:
    guild = _guild(fake, call)
    data = payloads.guild_base(fake.state, guild.id)
    if call.query.get("with_counts") in ("true", "1", "True"):
        data.update(approximate_member_count=len(guild.members), approximate_presence_count=0)
    return 200, data


def get_guild_channels(fake: FakeDiscord, call: Call) -> Reply:
    guild = _guild(fake, call)
    return 200, [payloads.channel(fake.state, c) for c in fake.state.guild_channels(guild.id)]


def get_guild_roles(fake: FakeDiscord, call: Call) -> Reply:
    guild = _guild(fake, call)
    return 200, [payloads.role(fake.state.roles[r]) for r in guild.role_ids]


def get_guild_member(fake: FakeDiscord, call: Call) -> Reply:
    guild = _guild(fake, call)
    member = guild.members.get(call.id("user_id"))
    if member is None:
        raise E.unknown_member()
    return 200, payloads.member(fake.state, member)


def list_guild_members(fake: FakeDiscord, call: Call) -> Reply:
    guild = _guild(fake, call)
    after = int(call.query.get("after") or 0)
    limit = min(int(call.query.get("limit") or 1), 1000)
    members = sorted((m for m in guild.members.values() if m.user_id > after), key=lambda m: m.user_id)
    return 200, [payloads.member(fake.state, m) for m in members[:limit]]


def get_active_threads(fake: FakeDiscord, call: Call) -> Reply:
    guild = _guild(fake, call)
    state = fake.state
    threads = [t for t in state.threads(guild.id) if not t.archived]
    members = [payloads.thread_member(t, state.bot_user_id) for t in threads if state.bot_user_id in t.member_ids]
    return 200, {"threads": [payloads.thread(state, t) for t in threads], "members": members}


def register(router: Router) -> None:
    router.add("GET", "/users/{user_id}", get_user)
    router.add("GET", "/oauth2/applications/@me", get_application)
    router.add("GET", "/applications/@me", get_application)
    router.add("GET", "/gateway", get_gateway)
    router.add("GET", "/gateway/bot", get_gateway)
    router.add("GET", "/guilds/{guild_id}", get_guild)
    router.add("GET", "/guilds/{guild_id}/channels", get_guild_channels)
    router.add("GET", "/guilds/{guild_id}/roles", get_guild_roles)
    router.add("GET", "/guilds/{guild_id}/members", list_guild_members)
    router.add("GET", "/guilds/{guild_id}/members/{user_id}", get_guild_member)
    router.add("GET", "/guilds/{guild_id}/threads/active", get_active_threads)
