"""The daily post, exactly once, at the core: claims, crashes, failures, restarts and catch-up.

The scheduler is played by calling posting.claim_due_posts with `now` values (or a ManualClock), and
"sending" is completing the claim, the way the Discord adapter does after its message is out.
"""

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import render
from bot.clock import ManualClock
from bot.reading import plans, posting
from bot.store import Store

BERLIN = ZoneInfo("Europe/Berlin")
ORGANISER = 7


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A moment in Berlin in March 2024; the 4th is a Monday (CET, before DST)."""
    return datetime(2024, month, day, hour, minute, tzinfo=BERLIN)


def start(store, channel_id=10, *, text="thermidor", time="09:00", weekdays=None, pace=None, start_at=None):
    return plans.start_plan(
        store,
        guild_id=1,
        channel_id=channel_id,
        user_id=ORGANISER,
        is_organiser=True,
        text=text,
        time=time,
        zone="Europe/Berlin",
        weekdays=weekdays,
        pace=pace,
        start_at=start_at,
        now=at(4, 8),
    )


def send(store, due: posting.DuePost, now: datetime, message_id: int | None = None) -> None:
    """What the adapter does with a claim once its message is out."""
    posting.complete(store, due.delivery, message_id or 1000 + due.delivery.id, None, now)


def rows(store, group_id: int) -> list[tuple]:
    return [
        tuple(r)
        for r in store.query(
            "SELECT local_date, first_ordinal, last_ordinal, status FROM deliveries WHERE group_id = ? "
            "ORDER BY local_date",
            (group_id,),
        )
    ]


def run_day(store, clock: ManualClock, hours: int = 24, every_minutes: int = 30) -> list[posting.DuePost]:
    """Scheduler ticks from the clock's time on, sending everything handed out."""
    made = []
    for _ in range(hours * 60 // every_minutes):
        for due in posting.claim_due_posts(store, clock.now()):
            send(store, due, clock.now())
            made.append(due)
        clock.advance(minutes=every_minutes)
    return made


# -- claimed once ---------------------------------------------------------------------------------


def test_nothing_is_due_before_the_post_time(store):
    start(store)
    assert posting.claim_due_posts(store, at(4, 8, 59)) == []


def test_two_scheduler_ticks_claim_the_days_post_once(store):
    group = start(store)
    [first] = posting.claim_due_posts(store, at(4, 9, 0))
    # The next tick comes while the first claim is still being sent: the same claim, not a new one.
    [again] = posting.claim_due_posts(store, at(4, 9, 1))
    assert again.delivery.id == first.delivery.id
    assert rows(store, group.id) == [("2024-03-04", 1, 1, "pending")]
    send(store, first, at(4, 9, 1))
    for minute in range(2, 60 * 15, 7):
        assert posting.claim_due_posts(store, at(4, 9) + timedelta(minutes=minute)) == []
    assert rows(store, group.id) == [("2024-03-04", 1, 1, "posted")]


def test_post_is_not_repeated_after_restart(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    send(store, due, at(4, 9))
    store.close()
    restarted = Store(store.path)
    try:
        assert posting.claim_due_posts(restarted, at(4, 9, 5)) == []
        assert posting.claim_due_posts(restarted, at(4, 23, 59)) == []
        [tomorrow] = posting.claim_due_posts(restarted, at(5, 9))
        assert (tomorrow.delivery.local_date, tomorrow.delivery.first_ordinal) == (date(2024, 3, 5), 2)
        assert len(rows(restarted, group.id)) == 2
    finally:
        restarted.close()


def test_a_claim_left_pending_by_a_crash_is_handed_out_again_with_its_delivery_id(store):
    """Crash between sending and recording: the message went out (its id was noted) but the post
    was never completed. After the restart the same claim comes back, with what the adapter needs
    to find that message instead of sending another."""
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    store.start_attempt(due.delivery.id)
    store.record_message(due.delivery.id, 555)
    store.close()  # the crash

    restarted = Store(store.path)
    try:
        [again] = posting.claim_due_posts(restarted, at(4, 9, 30))
        assert again.delivery.id == due.delivery.id
        assert (again.delivery.attempts, again.delivery.message_id, again.delivery.status) == (1, 555, "pending")
        assert restarted.group_by_id(group.id).next_ordinal == 1  # not advanced by the lost send
        send(restarted, again, at(4, 9, 31), message_id=555)
        assert rows(restarted, group.id) == [("2024-03-04", 1, 1, "posted")]
        assert restarted.group_by_id(group.id).next_ordinal == 2  # advanced once, not twice
        assert posting.claim_due_posts(restarted, at(4, 10)) == []
    finally:
        restarted.close()


def test_a_claim_left_pending_past_midnight_is_carried_over_not_sent_again(store):
    """The bot sent Monday's post, crashed before recording it, and came back on Tuesday: the
    same claim (same id, same message) comes back, so the passage is not posted twice."""
    group = start(store)
    [monday] = posting.claim_due_posts(store, at(4, 9))
    store.start_attempt(monday.delivery.id)
    store.record_message(monday.delivery.id, 555)
    [tuesday] = posting.claim_due_posts(store, at(5, 9))
    assert tuesday.delivery.id == monday.delivery.id and tuesday.delivery.message_id == 555
    assert len(rows(store, group.id)) == 1


def test_a_jump_made_while_a_post_is_being_sent_is_kept(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    plans.jump(store, store.group_by_id(group.id), 7, is_organiser=True)
    send(store, due, at(4, 9, 1))
    assert store.group_by_id(group.id).next_ordinal == 7


def test_completing_a_post_twice_changes_nothing_the_second_time(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    send(store, due, at(4, 9, 1))
    send(store, due, at(4, 9, 2))
    assert store.group_by_id(group.id).next_ordinal == 2
    assert store.delivery_by_id(due.delivery.id).posted_at == at(4, 9, 1)


# -- advancing only on completion -----------------------------------------------------------------


def test_the_plan_advances_only_when_the_post_is_completed(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    assert store.group_by_id(group.id).next_ordinal == 1
    posting.fail(store, due.delivery, "Discord answered 503: try later", permanent=False)
    assert store.group_by_id(group.id).next_ordinal == 1
    [retry] = posting.claim_due_posts(store, at(4, 9, 1))
    assert retry.delivery.id == due.delivery.id and retry.delivery.error == "Discord answered 503: try later"
    send(store, retry, at(4, 9, 2))
    assert store.group_by_id(group.id).next_ordinal == 2
    assert store.delivery_by_id(due.delivery.id).error is None


def test_a_post_made_without_a_thread_records_the_problem_for_the_organiser(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    problem = "Posted without a discussion thread: the bot lacks Create Public Threads."
    posting.complete(store, due.delivery, 77, None, at(4, 9), problem)
    running = store.group_by_id(group.id)
    assert (running.next_ordinal, running.paused, running.last_error) == (2, False, problem)
    assert ("Last problem", problem) in render.settings_card(plans.plan_overview(store, running, at(4, 10))).fields


# -- permanent failure ----------------------------------------------------------------------------


def test_a_permanent_failure_pauses_the_group_and_says_why(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    reason = "The bot cannot see the channel."
    posting.fail(store, due.delivery, reason, permanent=True)

    paused = store.group_by_id(group.id)
    assert paused.paused and paused.pause_reason == reason and paused.next_ordinal == 1
    settings = dict(render.settings_card(plans.plan_overview(store, paused, at(4, 10))).fields)
    assert settings["State"] == f"paused: {reason}" and settings["Last problem"] == reason
    assert settings["Next post"] == "—"
    status = dict(render.status_card(plans.plan_overview(store, paused, at(4, 10))).fields)
    assert status["Last post"] == f"Failed 2024-03-04: {reason}"
    assert reason in status["Next seven posts"] and "paused" in status["Next seven posts"]
    for hour in (10, 15, 23):
        assert posting.claim_due_posts(store, at(4, hour)) == []
    assert posting.claim_due_posts(store, at(5, 10)) == []


def test_resume_after_a_failure_whose_message_went_out_finishes_that_post_not_a_new_one(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    store.start_attempt(due.delivery.id)
    store.record_message(due.delivery.id, 4242)
    posting.fail(store, due.delivery, "The bot cannot read the channel's history.", permanent=True)
    plans.resume(store, store.group_by_id(group.id), is_organiser=True)
    [again] = posting.claim_due_posts(store, at(4, 10))
    assert again.delivery.id == due.delivery.id and again.delivery.message_id == 4242
    assert len(rows(store, group.id)) == 1


def test_resume_after_a_permanent_failure_retries_the_same_day(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    posting.fail(store, due.delivery, "The bot lacks permission to post.", permanent=True)
    plans.resume(store, store.group_by_id(group.id), is_organiser=True)
    [retry] = posting.claim_due_posts(store, at(4, 11))
    assert (retry.delivery.local_date, retry.delivery.first_ordinal, retry.delivery.status) == (
        date(2024, 3, 4),
        1,
        "pending",
    )
    send(store, retry, at(4, 11))
    assert rows(store, group.id) == [("2024-03-04", 1, 1, "posted")]
    assert posting.claim_due_posts(store, at(4, 12)) == []


# -- downtime -------------------------------------------------------------------------------------


def test_a_bot_down_at_post_time_posts_once_when_back_later_that_day(store):
    start(store)
    clock = ManualClock(at(4, 17, 45))  # down from before 09:00 until a quarter to six
    made = run_day(store, clock, hours=6, every_minutes=1)
    assert [(d.delivery.local_date, d.delivery.first_ordinal) for d in made] == [(date(2024, 3, 4), 1)]
    assert store.delivery_by_id(made[0].delivery.id).posted_at == at(4, 17, 45)


def test_a_day_missed_entirely_is_not_backfilled(store):
    group = start(store)
    [monday] = posting.claim_due_posts(store, at(4, 9))
    send(store, monday, at(4, 9))
    # Down all Tuesday; back on Wednesday morning.
    [wednesday] = posting.claim_due_posts(store, at(6, 10))
    assert (wednesday.delivery.local_date, wednesday.delivery.first_ordinal) == (date(2024, 3, 6), 2)
    send(store, wednesday, at(6, 10))
    assert [r[0] for r in rows(store, group.id)] == ["2024-03-04", "2024-03-06"]


def test_posts_are_made_on_post_weekdays_only_a_week_at_a_time(store):
    group = start(store, weekdays="mon,wed,fri")
    made = run_day(store, ManualClock(at(4, 0)), hours=24 * 7)
    assert [d.delivery.local_date for d in made] == [date(2024, 3, 4), date(2024, 3, 6), date(2024, 3, 8)]
    assert [d.delivery.first_ordinal for d in made] == [1, 2, 3]
    assert store.group_by_id(group.id).next_ordinal == 4


# -- paused, stopped, finished --------------------------------------------------------------------


def test_paused_and_stopped_groups_are_never_due(store):
    paused = start(store, channel_id=10)
    stopped = start(store, channel_id=11)
    plans.pause(store, paused, is_organiser=True)
    plans.stop(store, stopped, at(4, 8), is_organiser=True)
    clock = ManualClock(at(4, 0))
    assert run_day(store, clock, hours=24 * 3) == []
    assert rows(store, paused.id) == rows(store, stopped.id) == []


def test_a_pending_claim_of_a_paused_group_waits_for_resume(store):
    group = start(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    plans.pause(store, group, is_organiser=True)
    assert posting.claim_due_posts(store, at(4, 10)) == []
    plans.resume(store, store.group_by_id(group.id), is_organiser=True)
    [again] = posting.claim_due_posts(store, at(4, 11))
    assert again.delivery.id == due.delivery.id


def test_pace_two_covers_two_passages(store):
    group = start(store, pace=2)
    [due] = posting.claim_due_posts(store, at(4, 9))
    assert (due.delivery.first_ordinal, due.delivery.last_ordinal) == (1, 2)
    post = posting.post_for_delivery(store, due.delivery)
    assert [p.ordinal for p in post.passages] == [1, 2] and post.posted_count == 2
    assert len(render.post_messages(post)) == 2  # the second passage follows in the thread
    send(store, due, at(4, 9))
    assert store.group_by_id(group.id).next_ordinal == 3
    [tuesday] = posting.claim_due_posts(store, at(5, 9))
    assert (tuesday.delivery.first_ordinal, tuesday.delivery.last_ordinal) == (3, 4)


def test_the_plan_stops_being_due_after_the_last_passage(store):
    group = start(store, pace=2, start_at=14)  # 15 passages: 14-15, then nothing
    made = run_day(store, ManualClock(at(4, 0)), hours=24 * 4)
    assert [(d.delivery.first_ordinal, d.delivery.last_ordinal) for d in made] == [(14, 15)]
    assert posting.preview_next(store, store.group_by_id(group.id)) is None


def test_an_odd_last_post_at_pace_two_carries_the_single_passage_left(store):
    start(store, pace=2, start_at=15)
    [due] = posting.claim_due_posts(store, at(4, 9))
    assert (due.delivery.first_ordinal, due.delivery.last_ordinal) == (15, 15)
    assert len(posting.post_for_delivery(store, due.delivery).passages) == 1


# -- many groups at once --------------------------------------------------------------------------


def test_200_groups_due_in_the_same_minute_each_get_exactly_one_claim(store):
    groups = [
        start(store, channel_id=1000 + n, text=["thermidor", "mandel", "clark", "hart"][n % 4]) for n in range(200)
    ]
    # A second connection ticks at the same moment: two workers, or a restart overlapping the old
    # process. The store, not luck, keeps them from both claiming.
    second = Store(store.path)
    handed_out: list[list[posting.DuePost]] = [[], []]
    barrier = threading.Barrier(2)

    def tick(index: int, connection: Store) -> None:
        barrier.wait()
        handed_out[index] = posting.claim_due_posts(connection, at(4, 9))

    try:
        workers = [threading.Thread(target=tick, args=(i, s)) for i, s in enumerate((store, second))]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        second.close()
    per_group = store.query("SELECT group_id, count(*) AS n FROM deliveries GROUP BY group_id")
    assert len(per_group) == 200 and {r["n"] for r in per_group} == {1}
    claims = {r["group_id"]: r["id"] for r in store.query("SELECT group_id, id FROM deliveries")}
    # Whatever each tick handed out is one of those claims, never a second one for a group.
    for batch in handed_out:
        assert all(claims[d.group.id] == d.delivery.id for d in batch)
    assert {d.group.id for batch in handed_out for d in batch} == {g.id for g in groups}

    for due in posting.claim_due_posts(store, at(4, 9, 1)):
        send(store, due, at(4, 9, 1))
    assert posting.claim_due_posts(store, at(4, 9, 2)) == []
    assert {store.group_by_id(g.id).next_ordinal for g in groups} == {2}


# -- what a post shows ----------------------------------------------------------------------------


def test_a_post_knows_its_day_its_passages_and_how_far_the_plan_is(store):
    group = start(store, start_at=3)
    for day in (4, 5):
        [due] = posting.claim_due_posts(store, at(day, 9))
        send(store, due, at(day, 9))
    latest = posting.latest_post(store, store.group_by_id(group.id))
    assert latest.local_date == date(2024, 3, 5)
    assert [p.ordinal for p in latest.passages] == [4]
    assert latest.posted_count == 2 and latest.questions
    preview = posting.preview_next(store, store.group_by_id(group.id))
    assert [p.ordinal for p in preview.passages] == [5] and preview.local_date is None
    assert preview.posted_count == 2  # a dry run does not count itself as posted


def test_there_is_no_latest_post_before_the_first(store):
    group = start(store)
    assert posting.latest_post(store, group) is None
    posting.claim_due_posts(store, at(4, 9))  # claimed, not yet sent
    assert posting.latest_post(store, group) is None
