"""One writer per database: the lease in the file, taken, renewed, lapsed, taken over, released.

Clocks are injected: `wall` is the time written into the lease (what other processes compare
with), `steady` the holder's own clock for its deadline; moving them apart is how a pause of the
process looks from inside and outside. Processes are real where the test is about them (a dead
pid on this machine)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.service import Lease, LeaseHeldError
from bot.service.lease import EXPIRY_SECONDS, MARGIN_SECONDS, process_gone, process_identity
from bot.store import Claimant, LeaseBook
from tests.helpers import studybot

START = datetime(2024, 3, 4, 8, 0, 0, tzinfo=UTC)


class Clocks:
    """A wall clock and a steady clock that move together unless told otherwise."""

    def __init__(self):
        self.now = START
        self.seconds = 1000.0

    def wall(self) -> datetime:
        return self.now

    def steady(self) -> float:
        return self.seconds

    def pass_(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        self.seconds += seconds


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


@pytest.fixture
def lease_for(store, clocks):
    """`lease_for()`: a Lease on the store's file, as one more process would hold it."""
    books = []

    def make(**options) -> Lease:
        book = LeaseBook(store.path)
        books.append(book)
        return Lease(book, **{"wall": clocks.wall, "steady": clocks.steady, "sleep": clocks.pass_, **options})

    yield make
    for book in books:
        book.close()


def other_process(lease: Lease, pid: int, host: str = "elsewhere", process: str = "") -> Lease:
    """Make a Lease look like another process's (it runs in this one)."""
    lease.me = Claimant(token=lease.me.token, host=host, pid=pid, process=process)
    return lease


def test_a_second_run_is_refused_with_the_first_ones_host_pid_and_start(lease_for, clocks, store):
    first = other_process(lease_for(), pid=4242, host="box-a")
    first.take()
    clocks.pass_(12)
    with pytest.raises(LeaseHeldError) as refused:
        lease_for().take()
    sentence = str(refused.value)
    assert "pid 4242 on box-a, since 2024-03-04 08:00:00 UTC" in sentence
    assert store.path in sentence and "--standby" in sentence
    assert sentence.count(". ") == 0 and sentence.endswith(".")  # one sentence
    assert first.holds()


def test_renewing_keeps_the_lease_past_its_first_expiry(lease_for, clocks):
    first, second = lease_for(), lease_for()
    first.take()
    for _ in range(10):  # 100 s, renewed every 10
        clocks.pass_(first.renew_every)
        assert first.renew()
        with pytest.raises(LeaseHeldError):
            second.take()
    assert first.holds()


def test_the_holder_stops_posting_before_anyone_may_take_over(lease_for, clocks):
    first, second = lease_for(), lease_for()
    first.take()
    clocks.pass_(EXPIRY_SECONDS - MARGIN_SECONDS - 0.1)
    assert first.holds()
    clocks.pass_(0.2)
    assert not first.holds()  # by its own clock, before the others' view of the expiry
    with pytest.raises(LeaseHeldError):
        second.take()  # still held for the others, for MARGIN_SECONDS more
    clocks.pass_(MARGIN_SECONDS)
    second.take()


def test_a_holder_paused_past_its_lease_finds_it_taken_and_names_who_took_it(lease_for, clocks):
    first = lease_for()
    second = other_process(lease_for(), pid=777, host="box-b")
    first.take()
    first_valid = first.holds()
    clocks.pass_(EXPIRY_SECONDS + 1)  # the first is frozen: no renewal
    second.take()
    assert first_valid and not first.holds()
    assert first.renew() is False
    assert first.lost.is_set() and not first.holds()
    assert first.successor is not None and (first.successor.pid, first.successor.host) == (777, "box-b")
    assert "pid 777 on box-b" in str(first.lost_error())
    first.release()  # a lost lease is not released: the successor keeps it
    assert second.holds() and second.renew()


def test_a_holder_paused_past_its_lease_that_no_one_took_renews_and_holds_again(lease_for, clocks):
    first = lease_for()
    first.take()
    clocks.pass_(EXPIRY_SECONDS * 3)
    assert not first.holds()
    assert first.renew() and first.holds()


def test_a_standby_waits_announcing_the_holder_once_and_takes_over_when_the_lease_lapses(lease_for, clocks):
    first = other_process(lease_for(), pid=4242, host="box-a")
    first.take()
    taken_at = clocks.now
    announced = []
    waited_for = lease_for().wait_to_take(announced.append, poll=5)
    assert [(h.pid, h.host) for h in announced] == [(4242, "box-a")]
    assert waited_for is not None and waited_for.pid == 4242
    assert timedelta(seconds=EXPIRY_SECONDS) <= clocks.now - taken_at <= timedelta(seconds=EXPIRY_SECONDS + 5)


def test_a_released_lease_is_taken_at_once(lease_for, clocks):
    first, second = lease_for(), lease_for()
    first.take()
    first.release()
    assert not first.holds()
    assert second.wait_to_take(lambda holder: pytest.fail(f"waited for {holder}")) is None
    assert second.holds()


def test_the_lease_of_a_process_dead_on_this_machine_is_taken_over_at_once(lease_for, clocks):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    identity = process_identity(child.pid)
    child.wait()
    assert identity and process_gone(identity)
    other_process(lease_for(), pid=child.pid, host="this-host", process=identity).take()
    lease_for().take()  # no wait for the expiry


def test_a_live_process_is_not_taken_for_dead_and_a_reused_pid_is_not_taken_for_it():
    mine = process_identity(os.getpid())
    assert mine and not process_gone(mine)
    machine, pid, started = mine.rsplit("/", 2)
    assert process_gone(f"{machine}/{pid}/{int(started) - 1}")  # same pid, another start: another process
    assert not process_gone(f"another-machine/{pid}/1")  # cannot tell from here: wait for the expiry
    assert not process_gone("")


def test_five_claimants_at_the_same_moment_get_one_lease(lease_for, clocks):
    leases = [lease_for() for _ in range(5)]
    start = threading.Barrier(len(leases))

    def claim(lease: Lease) -> str:
        start.wait()
        try:
            lease.take()
            return "took"
        except LeaseHeldError:
            return "refused"

    with ThreadPoolExecutor(len(leases)) as pool:
        outcomes = list(pool.map(claim, leases))
    assert sorted(outcomes) == ["refused"] * 4 + ["took"]
    assert sum(lease.holds() for lease in leases) == 1


def test_doctor_names_the_holder_and_refuses_a_repair_under_it(lease_for, store, tmp_path):
    lease = lease_for(wall=lambda: datetime.now(UTC))
    lease.me = Claimant(token=lease.me.token, host="box-a", pid=4242, process="")
    lease.take()
    result = studybot("doctor", folder=tmp_path, db=Path(store.path))
    assert result.exit_code == 0, result.output
    assert "ok       writer: held by pid 4242 on box-a, since " in result.output and "renewed 0 s ago" in result.output

    before = store.query("SELECT count(*) FROM paragraphs_fts_docsize")[0][0]
    result = studybot("doctor", "--repair", folder=tmp_path, db=Path(store.path))
    assert result.exit_code == 1
    assert str(result.exception).startswith(f"A studybot run is using {store.path} (pid 4242 on box-a, since ")
    assert store.query("SELECT count(*) FROM paragraphs_fts_docsize")[0][0] == before


def test_doctor_says_a_lease_left_behind_has_lapsed(lease_for, store, tmp_path):
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    lease = lease_for(wall=lambda: long_ago)
    lease.me = Claimant(token=lease.me.token, host="box-a", pid=4242, process="")
    lease.take()
    result = studybot("doctor", folder=tmp_path, db=Path(store.path))
    assert "writer: free: the last holder (pid 4242 on box-a, since " in result.output
    assert "stopped without giving it up" in result.output


def test_doctor_on_a_database_no_run_has_held(store, tmp_path):
    result = studybot("doctor", folder=tmp_path, db=Path(store.path))
    assert "ok       schema: version " in result.output
    assert "ok       writer: free: no studybot run holds the database" in result.output
