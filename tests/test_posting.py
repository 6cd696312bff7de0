"""The daily post, exactly once, at the core: claims, crashes, failures, restarts and catch-up.

The scheduler is played by calling posting.claim_due_posts with `now` values (or a ManualClock), and
"sending" is completing the claim, the way the Discord adapter does after its message is out.
Groups read the tiny library (tests/helpers.py): the ten-passage text unless a test says otherwise.
"""

import threading
from datetime import date, datetime, timedelta

import pytest

from bot import render
from bot.clock import ManualClock
from bot.questions import generate
from bot.reading import plans, posting
from bot.store import Store
from tests.helpers import SOIL, at, delivery_rows, start_plan


def start(store, *, text=SOIL, **options):
    return start_plan(store, text=text, **options)


def send(store, due: posting.DuePost, now: datetime, message_id: int | None = None) -> None:
    """What the adapter does with a claim once its message is out."""
    posting.complete(store, due.delivery, message_id or 1000 + due.delivery.id, None, now)


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


def test_nothing_is_due_before_the_post_time(tiny_store):
    start(tiny_store)
    assert posting.claim_due_posts(tiny_store, at(4, 8, 59)) == []


def test_two_scheduler_ticks_claim_the_days_post_once(tiny_store):
    group = start(tiny_store)
    [first] = posting.claim_due_posts(tiny_store, at(4, 9, 0))
    # The next tick comes while the first claim is still being sent: the same claim, not a new one.
    [again] = posting.claim_due_posts(tiny_store, at(4, 9, 1))
    assert again.delivery.id == first.delivery.id
    assert delivery_rows(tiny_store, group.id) == [("2024-03-04", 1, 1, "pending")]
    send(tiny_store, first, at(4, 9, 1))
    for minute in range(2, 60 * 15, 7):
        assert posting.claim_due_posts(tiny_store, at(4, 9) + timedelta(minutes=minute)) == []
    assert delivery_rows(tiny_store, group.id) == [("2024-03-04", 1, 1, "posted")]


def test_post_is_not_repeated_after_restart(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    send(tiny_store, due, at(4, 9))
    tiny_store.close()
    restarted = Store(tiny_store.path)
    try:
        assert posting.claim_due_posts(restarted, at(4, 9, 5)) == []
        assert posting.claim_due_posts(restarted, at(4, 23, 59)) == []
        [tomorrow] = posting.claim_due_posts(restarted, at(5, 9))
        assert (tomorrow.delivery.local_date, tomorrow.delivery.first_ordinal) == (date(2024, 3, 5), 2)
        assert len(delivery_rows(restarted, group.id)) == 2
    finally:
        restarted.close()


def test_a_claim_left_pending_by_a_crash_is_handed_out_again_with_its_delivery_id(tiny_store):
    """Crash between sending and recording: the message went out (its id was noted) but the post
    was never completed. After the restart the same claim comes back, with what the adapter needs
    to find that message instead of sending another."""
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    tiny_store.start_attempt(due.delivery.id)
    tiny_store.record_message(due.delivery.id, 555)
    tiny_store.close()  # the crash

    restarted = Store(tiny_store.path)
    try:
        [again] = posting.claim_due_posts(restarted, at(4, 9, 30))
        assert again.delivery.id == due.delivery.id
        assert (again.delivery.attempts, again.delivery.message_id, again.delivery.status) == (1, 555, "pending")
        assert restarted.group_by_id(group.id).next_ordinal == 1  # not advanced by the lost send
        send(restarted, again, at(4, 9, 31), message_id=555)
        assert delivery_rows(restarted, group.id) == [("2024-03-04", 1, 1, "posted")]
        assert restarted.group_by_id(group.id).next_ordinal == 2  # advanced once, not twice
        assert posting.claim_due_posts(restarted, at(4, 10)) == []
    finally:
        restarted.close()


def test_a_claim_left_pending_past_midnight_is_carried_over_not_sent_again(tiny_store):
    """The bot sent Monday's post, crashed before recording it, and came back on Tuesday: the
    same claim (same id, same message) comes back, so the passage is not posted twice."""
    group = start(tiny_store)
    [monday] = posting.claim_due_posts(tiny_store, at(4, 9))
    tiny_store.start_attempt(monday.delivery.id)
    tiny_store.record_message(monday.delivery.id, 555)
    [tuesday] = posting.claim_due_posts(tiny_store, at(5, 9))
    assert tuesday.delivery.id == monday.delivery.id and tuesday.delivery.message_id == 555
    assert len(delivery_rows(tiny_store, group.id)) == 1


def test_a_jump_made_while_a_post_is_being_sent_is_kept(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    plans.jump(tiny_store, tiny_store.group_by_id(group.id), 7, is_organiser=True)
    send(tiny_store, due, at(4, 9, 1))
    assert tiny_store.group_by_id(group.id).next_ordinal == 7


def test_completing_a_post_twice_changes_nothing_the_second_time(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    send(tiny_store, due, at(4, 9, 1))
    send(tiny_store, due, at(4, 9, 2))
    assert tiny_store.group_by_id(group.id).next_ordinal == 2
    assert tiny_store.delivery_by_id(due.delivery.id).posted_at == at(4, 9, 1)


# -- advancing only on completion -----------------------------------------------------------------


def test_the_plan_advances_only_when_the_post_is_completed(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    assert tiny_store.group_by_id(group.id).next_ordinal == 1
    posting.fail(tiny_store, due.delivery, "Discord answered 503: try later", permanent=False)
    assert tiny_store.group_by_id(group.id).next_ordinal == 1
    [retry] = posting.claim_due_posts(tiny_store, at(4, 9, 1))
    assert retry.delivery.id == due.delivery.id and retry.delivery.error == "Discord answered 503: try later"
    send(tiny_store, retry, at(4, 9, 2))
    assert tiny_store.group_by_id(group.id).next_ordinal == 2
    assert tiny_store.delivery_by_id(due.delivery.id).error is None


def test_a_post_made_without_a_thread_records_the_problem_for_the_organiser(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    problem = "Posted without a discussion thread: the bot lacks Create Public Threads."
    posting.complete(tiny_store, due.delivery, 77, None, at(4, 9), problem)
    running = tiny_store.group_by_id(group.id)
    assert (running.next_ordinal, running.paused, running.last_error) == (2, False, problem)
    assert ("Last problem", problem) in render.settings_card(plans.plan_overview(tiny_store, running, at(4, 10))).fields


# -- permanent failure ----------------------------------------------------------------------------


def test_a_permanent_failure_pauses_the_group_and_says_why(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    reason = "The bot cannot see the channel."
    posting.fail(tiny_store, due.delivery, reason, permanent=True)

    paused = tiny_store.group_by_id(group.id)
    assert paused.paused and paused.pause_reason == reason and paused.next_ordinal == 1
    settings = dict(render.settings_card(plans.plan_overview(tiny_store, paused, at(4, 10))).fields)
    assert settings["State"] == f"paused: {reason}" and settings["Last problem"] == reason
    assert settings["Next post"] == "—"
    status = dict(render.status_card(plans.plan_overview(tiny_store, paused, at(4, 10))).fields)
    assert status["Last post"] == f"Failed 2024-03-04: {reason}"
    assert reason in status["Next seven posts"] and "paused" in status["Next seven posts"]
    for hour in (10, 15, 23):
        assert posting.claim_due_posts(tiny_store, at(4, hour)) == []
    assert posting.claim_due_posts(tiny_store, at(5, 10)) == []


def test_resume_after_a_failure_whose_message_went_out_finishes_that_post_not_a_new_one(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    tiny_store.start_attempt(due.delivery.id)
    tiny_store.record_message(due.delivery.id, 4242)
    posting.fail(tiny_store, due.delivery, "The bot cannot read the channel's history.", permanent=True)
    plans.resume(tiny_store, tiny_store.group_by_id(group.id), is_organiser=True)
    [again] = posting.claim_due_posts(tiny_store, at(4, 10))
    assert again.delivery.id == due.delivery.id and again.delivery.message_id == 4242
    assert len(delivery_rows(tiny_store, group.id)) == 1


def test_resume_after_a_permanent_failure_retries_the_same_day(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    posting.fail(tiny_store, due.delivery, "The bot lacks permission to post.", permanent=True)
    plans.resume(tiny_store, tiny_store.group_by_id(group.id), is_organiser=True)
    [retry] = posting.claim_due_posts(tiny_store, at(4, 11))
    assert (retry.delivery.local_date, retry.delivery.first_ordinal, retry.delivery.status) == (
        date(2024, 3, 4),
        1,
        "pending",
    )
    send(tiny_store, retry, at(4, 11))
    assert delivery_rows(tiny_store, group.id) == [("2024-03-04", 1, 1, "posted")]
    assert posting.claim_due_posts(tiny_store, at(4, 12)) == []


# -- downtime -------------------------------------------------------------------------------------


def test_a_bot_down_at_post_time_posts_once_when_back_later_that_day(tiny_store):
    start(tiny_store)
    clock = ManualClock(at(4, 17, 45))  # down from before 09:00 until a quarter to six
    made = run_day(tiny_store, clock, hours=6, every_minutes=1)
    assert [(d.delivery.local_date, d.delivery.first_ordinal) for d in made] == [(date(2024, 3, 4), 1)]
    assert tiny_store.delivery_by_id(made[0].delivery.id).posted_at == at(4, 17, 45)


def test_a_day_missed_entirely_is_not_backfilled(tiny_store):
    group = start(tiny_store)
    [monday] = posting.claim_due_posts(tiny_store, at(4, 9))
    send(tiny_store, monday, at(4, 9))
    # Down all Tuesday; back on Wednesday morning.
    [wednesday] = posting.claim_due_posts(tiny_store, at(6, 10))
    assert (wednesday.delivery.local_date, wednesday.delivery.first_ordinal) == (date(2024, 3, 6), 2)
    send(tiny_store, wednesday, at(6, 10))
    assert [r[0] for r in delivery_rows(tiny_store, group.id)] == ["2024-03-04", "2024-03-06"]


def test_posts_are_made_on_post_weekdays_only_a_week_at_a_time(tiny_store):
    group = start(tiny_store, weekdays="mon,wed,fri")
    made = run_day(tiny_store, ManualClock(at(4, 0)), hours=24 * 7)
    assert [d.delivery.local_date for d in made] == [date(2024, 3, 4), date(2024, 3, 6), date(2024, 3, 8)]
    assert [d.delivery.first_ordinal for d in made] == [1, 2, 3]
    assert tiny_store.group_by_id(group.id).next_ordinal == 4


# -- paused, stopped, finished --------------------------------------------------------------------


def test_paused_and_stopped_groups_are_never_due(tiny_store):
    paused = start(tiny_store, channel_id=10)
    stopped = start(tiny_store, channel_id=11)
    plans.pause(tiny_store, paused, is_organiser=True)
    plans.stop(tiny_store, stopped, at(4, 8), is_organiser=True)
    clock = ManualClock(at(4, 0))
    assert run_day(tiny_store, clock, hours=24 * 3) == []
    assert delivery_rows(tiny_store, paused.id) == delivery_rows(tiny_store, stopped.id) == []


def test_a_pending_claim_of_a_paused_group_waits_for_resume(tiny_store):
    group = start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    plans.pause(tiny_store, group, is_organiser=True)
    assert posting.claim_due_posts(tiny_store, at(4, 10)) == []
    plans.resume(tiny_store, tiny_store.group_by_id(group.id), is_organiser=True)
    [again] = posting.claim_due_posts(tiny_store, at(4, 11))
    assert again.delivery.id == due.delivery.id


def test_pace_two_covers_two_passages(tiny_store):
    group = start(tiny_store, pace=2)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    assert (due.delivery.first_ordinal, due.delivery.last_ordinal) == (1, 2)
    post = posting.post_for_delivery(tiny_store, due.delivery)
    assert [p.ordinal for p in post.passages] == [1, 2] and post.posted_count == 2
    assert len(render.post_messages(post)) == 2  # the second passage follows in the thread
    send(tiny_store, due, at(4, 9))
    assert tiny_store.group_by_id(group.id).next_ordinal == 3
    [tuesday] = posting.claim_due_posts(tiny_store, at(5, 9))
    assert (tuesday.delivery.first_ordinal, tuesday.delivery.last_ordinal) == (3, 4)


def test_the_plan_stops_being_due_after_the_last_passage(tiny_store):
    group = start(tiny_store, pace=2, start_at=9)  # 10 passages: 9-10, then nothing
    made = run_day(tiny_store, ManualClock(at(4, 0)), hours=24 * 4)
    assert [(d.delivery.first_ordinal, d.delivery.last_ordinal) for d in made] == [(9, 10)]
    assert posting.preview_next(tiny_store, tiny_store.group_by_id(group.id)) is None


def test_an_odd_last_post_at_pace_two_carries_the_single_passage_left(tiny_store):
    start(tiny_store, pace=2, start_at=10)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))
    assert (due.delivery.first_ordinal, due.delivery.last_ordinal) == (10, 10)
    assert len(posting.post_for_delivery(tiny_store, due.delivery).passages) == 1


# -- many groups at once --------------------------------------------------------------------------


def test_200_groups_due_in_the_same_minute_each_get_exactly_one_claim(tiny_store):
    groups = [start(tiny_store, channel_id=1000 + n, text=["soil", "seeds", "bread"][n % 3]) for n in range(200)]
    # A second connection ticks at the same moment: two workers, or a restart overlapping the old
    # process. The tiny_store, not luck, keeps them from both claiming.
    second = Store(tiny_store.path)
    handed_out: list[list[posting.DuePost]] = [[], []]
    barrier = threading.Barrier(2)

    def tick(index: int, connection: Store) -> None:
        barrier.wait()
        handed_out[index] = posting.claim_due_posts(connection, at(4, 9))

    try:
        workers = [threading.Thread(target=tick, args=(i, s)) for i, s in enumerate((tiny_store, second))]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        second.close()
    per_group = tiny_store.query("SELECT group_id, count(*) AS n FROM deliveries GROUP BY group_id")
    assert len(per_group) == 200 and {r["n"] for r in per_group} == {1}
    claims = {r["group_id"]: r["id"] for r in tiny_store.query("SELECT group_id, id FROM deliveries")}
    # Whatever each tick handed out is one of those claims, never a second one for a group.
    for batch in handed_out:
        assert all(claims[d.group.id] == d.delivery.id for d in batch)
    assert {d.group.id for batch in handed_out for d in batch} == {g.id for g in groups}

    for due in posting.claim_due_posts(tiny_store, at(4, 9, 1)):
        send(tiny_store, due, at(4, 9, 1))
    assert posting.claim_due_posts(tiny_store, at(4, 9, 2)) == []
    assert {tiny_store.group_by_id(g.id).next_ordinal for g in groups} == {2}


# -- what a post shows ----------------------------------------------------------------------------


def test_a_post_knows_its_day_its_passages_and_how_far_the_plan_is(tiny_store):
    group = start(tiny_store, start_at=3)
    for day in (4, 5):
        [due] = posting.claim_due_posts(tiny_store, at(day, 9))
        send(tiny_store, due, at(day, 9))
    latest = posting.latest_post(tiny_store, tiny_store.group_by_id(group.id))
    assert latest.local_date == date(2024, 3, 5)
    assert [p.ordinal for p in latest.passages] == [4]
    assert latest.posted_count == 2 and latest.questions
    preview = posting.preview_next(tiny_store, tiny_store.group_by_id(group.id))
    assert [p.ordinal for p in preview.passages] == [5] and preview.local_date is None
    assert preview.posted_count == 2  # a dry run does not count itself as posted


def test_there_is_no_latest_post_before_the_first(tiny_store):
    group = start(tiny_store)
    assert posting.latest_post(tiny_store, group) is None
    posting.claim_due_posts(tiny_store, at(4, 9))  # claimed, not yet sent
    assert posting.latest_post(tiny_store, group) is None


# -- the question templates broken ----------------------------------------------------------------


@pytest.mark.parametrize(
    "templates",
    ["[[term]\nname = 'x", "[[opinion]]\nname = 'x'\ntext = 'What do you think?'\n", None],
    ids=["not TOML", "unknown kind", "missing"],
)
def test_a_broken_template_file_still_posts_with_the_fallback_questions(
    tiny_store, tmp_path, monkeypatch, caplog, templates
):
    """prompts/questions.toml broken by an edit must not stop the day's post: the plain questions of
    prompts/simple_questions.txt stand in, filled for the passage, and the log says what to fix."""
    path = tmp_path / "questions.toml"
    if templates is not None:
        path.write_text(templates, encoding="utf-8")
    read_templates = generate.load_templates
    monkeypatch.setattr(generate, "load_templates", lambda: read_templates(path))
    start(tiny_store)
    [due] = posting.claim_due_posts(tiny_store, at(4, 9))

    post = posting.post_for_delivery(tiny_store, due.delivery)

    lines = posting.FALLBACK_FILE.read_text(encoding="utf-8").splitlines()
    fallback = [line for line in lines if line.strip() and not line.startswith("#")]
    facts = {"section": "What soil is", "title": "Notes on Soil", "author": "Ada Gardener"}
    assert list(post.questions) == [line.format(**facts) for line in fallback][:3]
    assert post.questions[0] == 'What is the main claim Ada Gardener makes in this part of "What soil is"?'
    assert any("posting fallback questions" in r.message and str(path) in r.message for r in caplog.records)
    send(tiny_store, due, at(4, 9))
    assert tiny_store.get_group(due.group.id).next_ordinal == 2


INDEXED_BOOK = """ON OPINION

CHAPTER I

The first chapter argues that every government rests on opinion, and that the many obey the few
only because they believe they must, which is a belief the chapter sets out to examine at length.

CHAPTER II

The second chapter turns to property and asks by what right a man fences the common land and
calls it his own, and what the others who used the land before him are owed for the loss.

INDEX

Agriculture, 3, 4; Army, 7; Church, 9, 12; Commons, 14; Government, 1, 2, 5; Property, 14, 15.
"""


def test_a_plan_never_posts_the_books_index_and_ends_before_it(tmp_path):
    (tmp_path / "opinion.txt").write_text(INDEXED_BOOK)
    store = Store(tmp_path / "plans.db")
    try:
        from bot import texts

        texts.ingest(store, [tmp_path / "opinion.txt"], texts.Pace(min_words=10, max_words=40))
        [text] = store.texts()
        assert [p.section for p in store.passages_of(text.id)] == ["CHAPTER I", "CHAPTER II", "INDEX"]
        group = start(store, text="opinion", now=at(1, 8))
        for day in (1, 2, 3, 4):
            for due in posting.claim_due_posts(store, at(day, 9)):
                send(store, due, at(day, 9))
        assert [(first, last) for _, first, last, _ in delivery_rows(store, group.id)] == [(1, 1), (2, 2)]
        assert store.group_by_id(group.id).next_ordinal == 4, "the plan has moved past the index: finished"
        assert posting.claim_due_posts(store, at(5, 9)) == []
    finally:
        store.close()


def test_a_pending_post_keeps_its_passages_whatever_follows(tmp_path):
    (tmp_path / "opinion.txt").write_text(INDEXED_BOOK)
    store = Store(tmp_path / "plans.db")
    try:
        from bot import texts

        texts.ingest(store, [tmp_path / "opinion.txt"], texts.Pace(min_words=10, max_words=40))
        group = start(store, text="opinion", now=at(1, 8), start_at=2)
        [due] = [d for d in posting.claim_due_posts(store, at(1, 9)) if d.group.id == group.id]
        assert store.skip_to(group.id, 2, 4) is False, "a claimed post is pending: its passages are fixed"
        assert store.group_by_id(group.id).next_ordinal == 2
    finally:
        store.close()
