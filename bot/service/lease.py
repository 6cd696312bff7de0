"""One writer per database: the `studybot run` that posts holds a lease in the file, renewed
every RENEW_SECONDS and lapsing EXPIRY_SECONDS after the last renewal. A second `run` on the
file refuses to start, naming the first, or (`--standby`) waits and takes over once the first
is gone: at once when the first process is seen to be dead on this machine, else when its
lease lapses.

Why a lease and not a lock file: it lives in the database, so it moves with the file (a copy, a
restore, a container's volume), and a holder that froze (SIGSTOP, a suspended VM) loses it by
time alone. The holder stops posting MARGIN_SECONDS before anyone may take over, measured on
its own steady clock, so a process that wakes after a long pause does not post before it has
renewed (and it cannot: the lease is someone else's by then). A post checked just before the
margin runs out still waits its turn in the request budget (under a second for the posts under
way at once), well inside the margin. What remains is a pause of the process between that check
and the send itself; a post's nonce makes Discord drop a repeat within minutes.

Times written into the lease are wall-clock UTC: processes compare them with their own clocks,
which agree on one machine (and SQLite files are not shared across machines).
"""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.errors import StoreError, StudyError
from bot.store import Claimant, Holder, LeaseBook

log = logging.getLogger(__name__)

RENEW_SECONDS = 10.0
EXPIRY_SECONDS = 30.0
MARGIN_SECONDS = 5.0
"""The holder stops posting this long before its lease lapses for the others (timestamps are
stored to the second, and a renewal may wait on SQLite's lock)."""
STANDBY_POLL_SECONDS = 5.0
"""How often a standby looks at the lease: it takes over at most this long after it may."""


class LeaseHeldError(StudyError):
    """Another `studybot run` holds the database."""


class LeaseLostError(StudyError):
    """This process's lease lapsed and another took it over."""


def held_sentence(path: str, holder: Holder) -> str:
    return (
        f"Another studybot is already running on {path} ({describe(holder)}); stop it first, "
        "or start this one with --standby to take over when it stops."
    )


def describe(holder: Holder) -> str:
    return f"pid {holder.pid} on {holder.host}, since {holder.since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def lease_state(holder: Holder | None, now: datetime) -> str:
    """The lease in a few words, for `studybot doctor`."""
    if holder is None:
        return "free: no studybot run holds the database"
    if replaceable(holder, now):
        return f"free: the last holder ({describe(holder)}) stopped without giving it up"
    renewed = max(0, int((now - holder.renewed_at).total_seconds()))
    return f"held by {describe(holder)}; renewed {renewed} s ago"


def steady_seconds() -> float:
    """A clock for the holder's own deadline: it does not jump with the wall clock, and on Linux
    it counts time asleep (CLOCK_BOOTTIME), so a suspended machine wakes up past its lease."""
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    return time.clock_gettime(boottime) if boottime is not None else time.monotonic()


def utc_now() -> datetime:
    return datetime.now(UTC)


class Lease:
    """This process's claim on one database file. `take` or `wait_to_take`, then `start` the
    renewing thread; `holds()` says whether posting is allowed right now; `release` at a clean stop."""

    def __init__(
        self,
        book: LeaseBook,
        *,
        expiry: float = EXPIRY_SECONDS,
        renew_every: float = RENEW_SECONDS,
        margin: float = MARGIN_SECONDS,
        wall: Callable[[], datetime] = utc_now,
        steady: Callable[[], float] = steady_seconds,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.book = book
        self.expiry, self.renew_every, self.margin = timedelta(seconds=expiry), renew_every, margin
        self.wall, self.steady, self.sleep = wall, steady, sleep
        self.me = Claimant(
            token=uuid.uuid4().hex, host=socket.gethostname(), pid=os.getpid(), process=process_identity(os.getpid())
        )
        self.lost = threading.Event()
        """Set when another process was found holding the lease this one held."""
        self.successor: Holder | None = None
        self._valid_until = float("-inf")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- taking it ----------------------------------------------------------------------------

    def take(self) -> None:
        """Take the lease now, or raise LeaseHeldError naming who holds it."""
        try:
            holder = self._try()
        except sqlite3.OperationalError as error:
            raise StoreError(
                f"The database {self.book.path} is busy ({error}): another process holds it for writing; "
                "try again in a minute."
            ) from error
        if holder is not None:
            raise LeaseHeldError(held_sentence(self.book.path, holder))

    def wait_to_take(self, announce: Callable[[Holder], None], poll: float = STANDBY_POLL_SECONDS) -> Holder | None:
        """Take the lease, waiting as long as another holds it (`announce` is told who, once).
        Returns the holder waited for, or None if the lease was free."""
        first: Holder | None = None
        while True:
            try:
                holder = self._try()
            except sqlite3.OperationalError as error:  # busy past SQLite's timeout: a holder paused mid-write
                log.info("the database is busy (%s); looking again in %.0f s", error, poll)
                self.sleep(poll)
                continue
            if holder is None:
                break
            if first is None:
                first = holder
                announce(holder)
            self.sleep(poll)
        if first is not None:
            log.warning("took over the database from %s", describe(first))
        return first

    def _try(self) -> Holder | None:
        began = self.steady()
        holder = self.book.take(self.me, self.wall(), self.expiry, replaceable)
        if holder is None:
            self._valid_until = began + self.expiry.total_seconds() - self.margin
            self.lost.clear()
        return holder

    # -- keeping it -----------------------------------------------------------------------------

    def holds(self) -> bool:
        """Whether this process may post now: the lease is ours and, by our own clock, others
        cannot have taken it yet."""
        return not self.lost.is_set() and self.steady() < self._valid_until

    def renew(self) -> bool:
        """Renew once. False when the lease turned out to be another's (then `lost` is set); a
        renewal that could not be written (the file busy) is tried again at the next one."""
        began = self.steady()
        try:
            ours = self.book.renew(self.me.token, self.wall(), self.expiry)
        except (StoreError, sqlite3.Error) as error:  # the file busy or locked, a disk error
            log.warning("could not renew the database lease (%s); trying again in %.0f s", error, self.renew_every)
            return True
        if ours:
            self._valid_until = began + self.expiry.total_seconds() - self.margin
            return True
        self.successor = self.book.holder()
        self.lost.set()
        who = describe(self.successor) if self.successor else "no one"
        log.warning("this process's lease on the database lapsed and is now held by %s: posting stopped", who)
        return False

    def start(self, on_lost: Callable[[], None] | None = None) -> None:
        """Renew every `renew_every` seconds on a thread of its own (from before ingest to the
        bot's end, whatever the event loop is doing); call `on_lost` once if the lease is lost."""

        def keep() -> None:
            while not self._stop.wait(self.renew_every):
                if not self.renew():
                    if on_lost is not None:
                        on_lost()
                    return

        self._thread = threading.Thread(target=keep, name="studybot-lease", daemon=True)
        self._thread.start()

    def release(self) -> None:
        """Stop renewing and give the lease up, unless it is another's by now."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        if not self.lost.is_set():
            try:
                self.book.release(self.me.token)
            except Exception:  # a clean stop on a broken disk: the lease lapses by itself
                log.warning("could not release the database lease; it lapses in %s", self.expiry, exc_info=True)
        self._valid_until = float("-inf")

    def lost_error(self) -> LeaseLostError:
        who = describe(self.successor) if self.successor else "another studybot"
        return LeaseLostError(
            f"This studybot stopped because its lease on {self.book.path} lapsed (was the process paused?) and "
            f"{who} took over; only one may post from a database."
        )


# -- is the holder still there? ---------------------------------------------------------------------


def replaceable(holder: Holder, now: datetime) -> bool:
    """A lease may be taken over when it lapsed, or at once when its process is seen to be gone:
    same machine, same pid namespace, and no process with that pid and start time."""
    return holder.expires_at <= now or process_gone(holder.process)


def process_identity(pid: int) -> str:
    """'machine/pid/start': the boot and pid namespace (so a pid is compared only where it means
    the same process), the pid, and its start time (so a reused pid is not taken for it).
    '' where /proc cannot tell (not Linux)."""
    machine, started = this_machine(), start_ticks(pid)
    return f"{machine}/{pid}/{started}" if machine and started is not None else ""


def process_gone(identity: str) -> bool:
    if not identity:
        return False
    machine, pid, started = identity.rsplit("/", 2)
    if machine != this_machine():
        return False  # another machine, container or boot: only the lease's expiry can tell
    return start_ticks(int(pid)) != int(started)


def this_machine() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            boot = f.read().strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""
    return f"{boot}:{namespace}"


def start_ticks(pid: int) -> int | None:
    """When the process started, in clock ticks since boot (/proc/PID/stat, field 22), or None
    when it is not running."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # the name, in parentheses, may hold spaces
    if fields[0] in ("Z", "X"):
        return None  # dead, not yet reaped by its parent
    return int(fields[19])
