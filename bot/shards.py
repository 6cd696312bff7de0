"""Shards and clusters: which server a process answers and posts for.

Discord splits a bot's servers into shards by one formula (`shard_of`); a cluster is one process
that owns some of the shards, with a database holding only their servers. A process started
without --shards owns them all (`EVERY_SHARD`). Plain values, no discord: the CLI, the daily
loop, the adapter and `studybot reshard` all ask the same `owns`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.errors import StudyError

MAX_SHARD_COUNT = 65536
"""Far above any real bot (Discord: at most 2,500 servers a shard); bounds the ranges parsed."""


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a server's events and commands come through: Discord's own formula."""
    return (guild_id >> 22) % shard_count


class ShardError(StudyError):
    """A --shards / --shard-count the operator gave that cannot be a cluster."""


class WrongClusterError(StudyError):
    """The database belongs to another cluster than the one asked for."""


@dataclass(frozen=True)
class Cluster:
    """The shards one process owns; `shard_ids` None: every shard, however many Discord
    recommends (one process, auto-sharded)."""

    shard_ids: tuple[int, ...] | None = None
    shard_count: int | None = None

    @property
    def everything(self) -> bool:
        return self.shard_ids is None

    def owns(self, guild_id: int) -> bool:
        if self.shard_ids is None or self.shard_count is None:
            return True
        return shard_of(guild_id, self.shard_count) in self.shard_ids

    def __str__(self) -> str:
        if self.shard_ids is None:
            return "every shard (one process)"
        return f"shards {ranges(self.shard_ids)} of {self.shard_count}"

    def to_json(self) -> str:
        return json.dumps(
            {"shards": None if self.shard_ids is None else list(self.shard_ids), "count": self.shard_count}
        )

    @classmethod
    def from_json(cls, raw: str) -> Cluster:
        data = json.loads(raw)
        shards = data.get("shards")
        return cls(None if shards is None else tuple(shards), data.get("count"))


EVERY_SHARD = Cluster()


def ranges(ids: tuple[int, ...]) -> str:
    """(0, 1, 2, 5) -> "0-2,5": how the operator writes them for --shards."""
    parts: list[str] = []
    start = prev = ids[0]
    for n in (*ids[1:], None):
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(parts)


RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")

MAX_SHARDS_SPEC = 4096
"""Bounds --shards' length (a cluster is a few ranges; every shard listed one by one is not a
reasonable spec): parsing is linear in it, and no number is longer than MAX_SHARD_COUNT's."""


def parse_cluster(spec: str | None, shard_count: int | None) -> Cluster:
    """The cluster of `--shards 0-7,12 --shard-count 32`; neither given: every shard."""
    if spec is None and shard_count is None:
        return EVERY_SHARD
    if spec is None or shard_count is None:
        raise ShardError("Give --shards and --shard-count together (e.g. --shards 0-7 --shard-count 32), or neither.")
    if not 0 < shard_count <= MAX_SHARD_COUNT:
        raise ShardError(f"--shard-count must be between 1 and {MAX_SHARD_COUNT}.")
    if len(spec) > MAX_SHARDS_SPEC:
        raise ShardError(f"--shards is {len(spec)} characters long; write the shards as ranges, like 0-7 or 0,2,4-5.")
    digits = len(str(MAX_SHARD_COUNT))
    ids: set[int] = set()
    for part in spec.split(","):
        found = RANGE.match(part)
        if not found:
            raise ShardError(f"--shards {spec!r} is not a list of shards; write it like 0-7 or 0,2,4-5.")
        if any(len(n) > digits for n in found.groups() if n):
            raise ShardError(
                f"--shards names a shard outside 0-{shard_count - 1} (shards are numbered from 0 to --shard-count - 1)."
            )
        low = int(found.group(1))
        high = int(found.group(2) or low)
        if low > high or high >= shard_count:
            raise ShardError(
                f"--shards {spec!r} names shards outside 0-{shard_count - 1} (shards are numbered from 0 to --shard-count - 1)."
            )
        ids.update(range(low, high + 1))
    return Cluster(tuple(sorted(ids)), shard_count)


def check_cluster(path: str, recorded: Cluster, wanted: Cluster) -> None:
    """Refuse to run `wanted` on a database kept by another cluster: its servers are elsewhere."""
    if recorded == wanted or (recorded.everything and wanted.everything):
        return
    run_as = "without --shards" if recorded.everything else f"with {run_options(recorded)}"
    raise WrongClusterError(
        f"The database {path} holds the servers of {recorded}, not {wanted}: run it {run_as}, or move its "
        "servers to the new layout first with `studybot reshard` (see the README's runbook)."
    )


def run_options(cluster: Cluster) -> str:
    """How `studybot run` is told to be this cluster."""
    return f"--shards {ranges(cluster.shard_ids or ())} --shard-count {cluster.shard_count}"


def stray_sentence(guild_id: int, cluster: Cluster) -> str:
    """What a member is told when a command reaches a process that does not serve their server."""
    count = cluster.shard_count or 1
    return (
        f"This server is served by another studybot process (shard {shard_of(guild_id, count)} of {count}; "
        f"this one runs {ranges(cluster.shard_ids or ())}), so nothing was done; please try again in a minute."
    )
