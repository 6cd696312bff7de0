"""The fake gateway: Discord's websocket protocol as discord.py speaks it.

HELLO -> (heartbeat / ACK) -> IDENTIFY -> READY + one GUILD_CREATE per guild, then DISPATCH
events with increasing sequence numbers. Each IDENTIFY opens a *session* that outlives its
websocket: events dispatched while the socket is down are buffered and replayed on RESUME, as
Discord does, so a test can drop the connection, inject an interaction, and see it delivered
after the client resumes.

Frames are written by one task per connection from a queue, which lets the rest of the fake
dispatch synchronously (in the order things happen) without awaiting socket writes.
``compress=zlib-stream`` in the URL is honoured (one zlib context per connection, each frame
ending in Z_SYNC_FLUSH); otherwise frames are plain text, which discord.py also accepts.
"""

from __future__ import annotations

import asyncio
import collections
import copy
import json
import logging
import secrets
import traceback
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

# opcodes
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE, RESUME, RECONNECT = 0, 1, 2, 3, 4, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11

# intents
GUILDS = 1 << 0
GUILD_MEMBERS = 1 << 1
GUILD_PRESENCES = 1 << 8
GUILD_MESSAGES = 1 << 9
GUILD_MESSAGE_REACTIONS = 1 << 10
GUILD_MESSAGE_TYPING = 1 << 11
DIRECT_MESSAGES = 1 << 12
DIRECT_MESSAGE_REACTIONS = 1 << 13
MESSAGE_CONTENT = 1 << 15
PRIVILEGED = {"members": GUILD_MEMBERS, "presences": GUILD_PRESENCES, "message_content": MESSAGE_CONTENT}

_GUILDS_EVENTS = {
    "GUILD_CREATE",
    "GUILD_UPDATE",
    "GUILD_DELETE",
    "GUILD_ROLE_CREATE",
    "GUILD_ROLE_UPDATE",
    "GUILD_ROLE_DELETE",
    "CHANNEL_CREATE",
    "CHANNEL_UPDATE",
    "CHANNEL_DELETE",
    "THREAD_CREATE",
    "THREAD_UPDATE",
    "THREAD_DELETE",
    "THREAD_LIST_SYNC",
    "THREAD_MEMBER_UPDATE",
}
_MEMBER_EVENTS = {"GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "THREAD_MEMBERS_UPDATE"}


def required_intent(event: str, data: dict[str, Any]) -> int:
    """The intent bit a session needs to receive ``event`` (0 = always delivered)."""
    if event in _GUILDS_EVENTS:
        return GUILDS
    if event in _MEMBER_EVENTS:
        return GUILD_MEMBERS
    if event.startswith("MESSAGE_REACTION"):
        return GUILD_MESSAGE_REACTIONS if data.get("guild_id") else DIRECT_MESSAGE_REACTIONS
    if event.startswith("MESSAGE_"):
        return GUILD_MESSAGES if data.get("guild_id") else DIRECT_MESSAGES
    if event == "TYPING_START":
        return GUILD_MESSAGE_TYPING
    return 0


def event_guild(event: str, data: dict[str, Any]) -> int | None:
    """The guild an event belongs to (None: a DM or a user's own event)."""
    if event in ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE"):
        return int(data["id"])
    raw = data.get("guild_id")
    return int(raw) if raw else None


def strip_content(message: dict[str, Any], viewer_id: int, *, in_guild: bool) -> dict[str, Any]:
    """What an app without the MESSAGE_CONTENT intent sees of someone else's guild message
    (DMs, its own messages and messages mentioning it keep their content)."""
    if not in_guild or "author" not in message or int(message["author"]["id"]) == viewer_id:
        return message
    if any(int(u["id"]) == viewer_id for u in message.get("mentions", [])):
        return message
    stripped = dict(message)
    stripped.update(content="", embeds=[], attachments=[], components=[])
    stripped.pop("poll", None)
    return stripped


class Connection:
    """One websocket: an outgoing queue drained by a writer task."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, *, compress: bool) -> None:
        self.ws = ws
        self.request = request
        self.path = request.path
        self.session: Session | None = None
        self.dropped = False
        self._queue: asyncio.Queue = asyncio.Queue()
        self._zlib = zlib.compressobj() if compress else None
        self.writer = asyncio.ensure_future(self._write())

    def send(self, frame: dict[str, Any]) -> None:
        self._queue.put_nowait(frame)

    async def _write(self) -> None:
        while True:
            frame = await self._queue.get()
            if frame is None or self.ws.closed:
                return
            text = json.dumps(frame)
            try:
                if self._zlib is not None:
                    data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):
                return

    async def close(self, code: int | None) -> None:
        """Server-side close: with a close code, or ``None`` to cut the TCP connection."""
        self.dropped = True
        self._queue.put_nowait(None)
        if code is None:
            if self.request.transport is not None:
                self.request.transport.close()
            return
        try:
            await asyncio.wait_for(self.ws.close(code=code, message=b"fake gateway drop"), timeout=2)
        except (TimeoutError, ConnectionError, RuntimeError):
            if self.request.transport is not None:
                self.request.transport.close()

    async def stop_writer(self) -> None:
        self._queue.put_nowait(None)
        await asyncio.gather(self.writer, return_exceptions=True)


@dataclass
class Session:
    """A gateway session: survives its connection until invalidated."""

    id: str
    user_id: int
    intents: int
    shard: list[int] | None = None
    seq: int = 0
    buffer: collections.deque[dict[str, Any]] = field(default_factory=lambda: collections.deque(maxlen=5000))
    connection: Connection | None = None
    resumable: bool = True

    def serves(self, guild_id: int | None) -> bool:
        """Whether this session receives a guild's events (a DM's, with None): Discord sends a
        guild's to shard (guild_id >> 22) % shard_count and DMs to shard 0."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return (0 if guild_id is None else (guild_id >> 22) % count) == shard_id

    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        self.seq += 1
        frame = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        self.buffer.append(frame)
        if self.connection is not None:
            self.connection.send(frame)


@dataclass
class ConnectionRecord:
    """What a test can assert about one websocket: where it connected and how it ended."""

    path: str
    query: dict[str, str]
    opcodes: list[int] = field(default_factory=list)
    close_code: int | None = None


class Gateway:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, Session] = {}
        self.connections: list[Connection] = []
        self.records: list[ConnectionRecord] = []
        self.identifies = 0
        self.resumes = 0
        self.heartbeats = 0
        self.invalid_sessions = 0
        self.presence_updates: list[dict[str, Any]] = []
        self.refusing = False
        """While set, new websocket connections are refused (HTTP 503), as in a Discord outage."""
        self.stalled_shards: set[int] = set()
        """Shards whose IDENTIFY goes unanswered (no READY, no close: the connection stays, its
        heartbeats acked), as when Discord's identify queue stalls: they never connect while the
        others do, until `answer_stalled()`."""
        self.stalled: list[tuple[Connection, dict[str, Any]]] = []

    # ----- fan-out ----------------------------------------------------------------------------
    def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send an event to every live (or resumable) session that has the needed intent."""
        need = required_intent(event, data)
        guild_id = event_guild(event, data)
        for session in list(self.sessions.values()):
            if not session.resumable or (need and not session.intents & need) or not session.serves(guild_id):
                continue
            body = copy.deepcopy(data)
            if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE") and not session.intents & MESSAGE_CONTENT:
                body = strip_content(body, session.user_id, in_guild="guild_id" in body)
            session.dispatch(event, body)

    def dispatch_via(self, shard_id: int, event: str, data: dict[str, Any]) -> None:
        """Send an event to the sessions of shard `shard_id`, whichever guild it is of."""
        for session in list(self.sessions.values()):
            if session.resumable and session.shard is not None and session.shard[0] == shard_id:
                session.dispatch(event, copy.deepcopy(data))

    @property
    def live_sessions(self) -> list[Session]:
        return [s for s in self.sessions.values() if s.resumable and s.connection is not None]

    # ----- control from tests -----------------------------------------------------------------
    async def drop(self, code: int | None = 4000, shard: int | None = None) -> int:
        """Close every open websocket, or shard `shard`'s (sessions stay resumable). Returns how
        many were closed."""
        conns = [
            c
            for c in self.connections
            if not c.ws.closed
            and not c.dropped
            and (
                shard is None or (c.session is not None and c.session.shard is not None and c.session.shard[0] == shard)
            )
        ]
        for conn in conns:
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
        await asyncio.gather(*(c.close(code) for c in conns))
        self.fake._notify()
        return len(conns)

    async def answer_stalled(self) -> int:
        """Stop stalling: answer every IDENTIFY left unanswered (READY, as usual). Returns how many."""
        self.stalled_shards = set()
        stalled, self.stalled = self.stalled, []
        for conn, d in stalled:
            if not conn.ws.closed:
                await self._identify(conn, d)
        self.fake._notify()
        return len(stalled)

    def send_op(self, op: int, d: Any = None) -> None:
        for session in self.live_sessions:
            session.connection.send({"op": op, "d": d, "s": None, "t": None})

    def invalidate(self, *, resumable: bool = False) -> None:
        """Send INVALID_SESSION; when not resumable the session is forgotten, as on Discord."""
        for session in self.live_sessions:
            session.connection.send({"op": INVALID_SESSION, "d": resumable, "s": None, "t": None})
            if not resumable:
                session.resumable = False

    async def close_all(self) -> None:
        for conn in list(self.connections):
            if not conn.ws.closed:
                await conn.close(1001)
            await conn.stop_writer()

    # ----- the websocket handler --------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.refusing:
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        query = dict(request.query)
        record = ConnectionRecord(path=request.path, query=query)
        self.records.append(record)
        conn = Connection(ws, request, compress=query.get("compress") == "zlib-stream")
        self.connections.append(conn)
        if query.get("encoding", "json") != "json":
            await ws.close(code=4002, message=b"Error while decoding payload.")
            return ws
        conn.send(
            {
                "op": HELLO,
                "d": {"heartbeat_interval": self.fake.heartbeat_interval_ms, "_trace": ["fake-discord"]},
                "s": None,
                "t": None,
            }
        )
        self.fake._notify()
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002, message=b"Error while decoding payload.")
                    break
                record.opcodes.append(frame.get("op"))
                try:
                    await self._on_frame(conn, frame)
                except Exception:
                    self.fake.internal_errors.append(f"gateway op {frame.get('op')}\n{traceback.format_exc()}")
                self.fake._notify()
        finally:
            record.close_code = ws.close_code
            session = conn.session
            if session is not None and session.connection is conn:
                session.connection = None
                # A client that closes with 1000/1001 ends its session for good.
                if not conn.dropped and ws.close_code in (1000, 1001):
                    session.resumable = False
            await conn.stop_writer()
            self.fake._notify()
        return ws

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op, d = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(conn, d or {})
        elif op == RESUME:
            await self._resume(conn, d or {})
        elif conn.session is None:
            await conn.ws.close(code=4003, message=b"Not authenticated.")
        elif op == PRESENCE:
            self.presence_updates.append(d)
        elif op == REQUEST_MEMBERS:
            self._request_members(conn.session, d or {})
        elif op == VOICE_STATE:
            pass
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: Connection, d: dict[str, Any]) -> None:
        fake = self.fake
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if d.get("token") != fake.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(d.get("intents", 0))
        for name, bit in PRIVILEGED.items():
            if intents & bit and name not in fake.privileged_intents:
                await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
                return
        shard = d.get("shard")
        if shard is not None and not (
            isinstance(shard, list) and len(shard) == 2 and 0 <= int(shard[0]) < int(shard[1])
        ):
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        if shard is not None and int(shard[0]) in self.stalled_shards:
            self.stalled.append((conn, d))
            return
        self.identifies += 1
        session = Session(id=secrets.token_hex(16), user_id=fake.state.bot_user_id, intents=intents, shard=shard)
        self.sessions[session.id] = session
        session.connection = conn
        conn.session = session
        state = fake.state
        bot_guilds = [g for g in state.guilds.values() if state.bot_user_id in g.members and session.serves(g.id)]
        ready = {
            "v": 10,
            "user": payloads.self_user(state.users[state.bot_user_id]),
            "guilds": [{"id": str(g.id), "unavailable": True} for g in bot_guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": fake.resume_gateway_url,
            "application": {"id": str(state.application_id), "flags": fake.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        if session.shard is not None:
            ready["shard"] = session.shard
        session.dispatch("READY", ready)
        if intents & GUILDS:
            for g in bot_guilds:
                session.dispatch("GUILD_CREATE", self.guild_create(g.id, intents))

    def guild_create(self, guild_id: int, intents: int) -> dict[str, Any]:
        state = self.fake.state
        data = payloads.guild_create(state, guild_id, for_user=state.bot_user_id)
        if not intents & GUILD_PRESENCES:
            # Without presences Discord only sends the bot's own member; the rest come by chunking.
            data["members"] = [m for m in data["members"] if int(m["user"]["id"]) == state.bot_user_id]
        return data

    async def _resume(self, conn: Connection, d: dict[str, Any]) -> None:
        session = self.sessions.get(d.get("session_id") or "")
        seq = d.get("seq") or 0
        oldest = session.buffer[0]["s"] if session and session.buffer else 1
        if session is None or not session.resumable or d.get("token") != self.fake.token or seq < oldest - 1:
            self.invalid_sessions += 1
            conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        old = session.connection
        if old is not None and old is not conn:
            session.connection = None
            await old.close(4000)
        session.connection = conn
        conn.session = session
        for frame in list(session.buffer):
            if frame["s"] > seq:
                conn.send(frame)
        self.resumes += 1
        session.dispatch("RESUMED", {"_trace": ["fake-discord"]})

    def _request_members(self, session: Session, d: dict[str, Any]) -> None:
        state = self.fake.state
        guild_ids = d.get("guild_id")
        for gid in guild_ids if isinstance(guild_ids, list) else [guild_ids]:
            guild = state.guilds.get(int(gid))
            if guild is None:
                continue
            members = list(guild.members.values())
            not_found: list[str] = []
            if d.get("user_ids"):
                wanted = [int(u) for u in d["user_ids"]]
                not_found = [str(u) for u in wanted if u not in guild.members]
                members = [m for m in members if m.user_id in wanted]
            elif d.get("query"):
                q = d["query"].lower()
                members = [m for m in members if state.users[m.user_id].username.lower().startswith(q)]
            limit = int(d.get("limit") or 0)
            if limit:
                members = members[:limit]
            chunk = {
                "guild_id": str(guild.id),
                "members": [payloads.member(state, m) for m in members],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": not_found,
            }
            if d.get("nonce"):
                chunk["nonce"] = d["nonce"]
            session.dispatch("GUILD_MEMBERS_CHUNK", chunk)
