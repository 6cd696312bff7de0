"""What organisers do to a plan: start, change, pause, resume, skip, jump, stop.

Each refusal is checked twice: the error says what to do, and the database is byte for byte as
it was (nothing half-written).
"""

import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import texts
from bot.errors import InvalidSettingError, NotFoundError, PermissionDeniedError
from bot.reading import plans, posting
from bot.reading.schedule import ALL_WEEKDAYS
from bot.texts.files import CATALOG_NAME
from tests.conftest import CORPUS

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_8AM = datetime(2024, 3, 4, 8, 0, tzinfo=BERLIN)
ORGANISER, MEMBER = 7, 8
THERMIDOR = "trotsky-soviet-thermidor-1936"  # 15 passages
CLARK = "clark-open-letter-to-trotskyists-2004"


def start(
    store,
    channel_id=10,
    *,
    is_organiser=True,
    text="thermidor",
    time="09:00",
    zone="Europe/Berlin",
    weekdays=None,
    pace=None,
    start_at=None,
    now=MONDAY_8AM,
):
    return plans.start_plan(
        store,
        guild_id=1,
        channel_id=channel_id,
        user_id=ORGANISER if is_organiser else MEMBER,
        is_organiser=is_organiser,
        text=text,
        time=time,
        zone=zone,
        weekdays=weekdays,
        pace=pace,
        start_at=start_at,
        now=now,
    )


def snapshot(store) -> dict:
    """Every row a plan verb could write."""
    return {
        table: [tuple(r) for r in store.query(f"SELECT * FROM {table} ORDER BY rowid")]
        for table in ("groups", "deliveries", "reads")
    }


def passage_count(store, slug: str) -> int:
    return next(t for t in store.texts() if t.slug == slug).passage_count


# -- starting a plan ------------------------------------------------------------------------------


def test_an_organiser_starts_a_plan_with_what_was_typed(store):
    group = start(
        store, text="mandel", time="6:30pm", zone="america/new york", weekdays="mon,wed,fri", pace=2, start_at=3
    )
    assert store.text_by_id(group.text_id).slug == "mandel-liebman-and-leninism-1975"
    assert (group.post_time, group.timezone) == ("18:30", "America/New_York")
    assert group.weekdays == frozenset({0, 2, 4})
    assert (group.pace, group.next_ordinal, group.paused, group.created_by) == (2, 3, False, ORGANISER)
    assert store.group_for_channel(10) == group


def test_a_plan_defaults_to_daily_one_passage_from_the_start(store):
    group = start(store)
    assert (group.weekdays, group.pace, group.next_ordinal) == (ALL_WEEKDAYS, 1, 1)


def test_a_member_who_is_not_an_organiser_cannot_start_a_plan(store):
    before = snapshot(store)
    with pytest.raises(PermissionDeniedError, match="Only organisers"):
        start(store, is_organiser=False)
    assert snapshot(store) == before
    assert store.group_for_channel(10) is None


ORGANISER_VERBS = {
    "change settings": lambda store, g: plans.change_settings(store, g, is_organiser=False, time="10:00"),
    "pause": lambda store, g: plans.pause(store, g, is_organiser=False),
    "resume": lambda store, g: plans.resume(store, g, is_organiser=False),
    "skip": lambda store, g: plans.skip(store, g, 1, is_organiser=False),
    "jump": lambda store, g: plans.jump(store, g, 5, is_organiser=False),
    "stop": lambda store, g: plans.stop(store, g, MONDAY_8AM, is_organiser=False),
}


@pytest.mark.parametrize("verb", ORGANISER_VERBS, ids=list(ORGANISER_VERBS))
def test_only_organisers_can_change_a_running_plan_and_nothing_is_written(store, verb):
    group = start(store)
    if verb == "resume":
        group = plans.pause(store, group, is_organiser=True)
    before = snapshot(store)
    with pytest.raises(PermissionDeniedError) as raised:
        ORGANISER_VERBS[verb](store, group)
    assert str(raised.value) == plans.ORGANISER_ONLY
    assert snapshot(store) == before


def test_a_second_plan_in_the_same_channel_is_refused(store):
    first = start(store)
    before = snapshot(store)
    with pytest.raises(InvalidSettingError, match="already has a reading plan.*/study settings.*/study stop"):
        start(store, text="mandel")
    assert snapshot(store) == before
    assert store.group_for_channel(10) == first
    # Another channel of the same server may run its own plan.
    assert start(store, channel_id=11, text="mandel").channel_id == 11


@pytest.mark.parametrize(
    "typed, error, says",
    [
        ({"text": "kautsky"}, NotFoundError, "the texts are"),
        ({"text": "trotsky"}, NotFoundError, "be more specific"),
        ({"time": "25:00"}, InvalidSettingError, "HH:MM"),
        ({"time": "soon"}, InvalidSettingError, "HH:MM"),
        ({"zone": "Mars/Olympus_Mons"}, InvalidSettingError, "Europe/London"),
        ({"zone": "America/Argentina"}, InvalidSettingError, "Europe/London"),
        ({"weekdays": "funday"}, InvalidSettingError, "mon-fri"),
        ({"pace": 0}, InvalidSettingError, "from 1 to 3"),
        ({"pace": 4}, InvalidSettingError, "from 1 to 3"),
        ({"start_at": 0}, InvalidSettingError, "passages 1 to 15"),
        ({"start_at": -2}, InvalidSettingError, "passages 1 to 15"),
        ({"start_at": 16}, InvalidSettingError, "passages 1 to 15"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_invalid_settings_are_refused_in_one_sentence_and_nothing_is_written(store, typed, error, says):
    before = snapshot(store)
    with pytest.raises(error) as raised:
        start(store, **typed)
    message = str(raised.value)
    assert says in message
    assert "\n" not in message and message.endswith(".") and len(message) < 300
    assert snapshot(store) == before


def test_the_last_passage_is_a_valid_place_to_start(store):
    assert start(store, start_at=15).next_ordinal == 15


# -- changing a plan ------------------------------------------------------------------------------


def test_an_organiser_changes_time_zone_weekdays_and_pace(store):
    group = start(store)
    changed = plans.change_settings(
        store, group, is_organiser=True, time="7pm", zone="America/New_York", weekdays="weekends", pace=3
    )
    assert (changed.post_time, changed.timezone, changed.weekdays, changed.pace) == (
        "19:00",
        "America/New_York",
        frozenset({5, 6}),
        3,
    )
    assert store.group_by_id(group.id) == changed
    assert changed.next_ordinal == group.next_ordinal


def test_settings_left_out_are_kept(store):
    group = start(store, weekdays="mon-fri", pace=2)
    changed = plans.change_settings(store, group, is_organiser=True, time="10:15")
    assert (changed.post_time, changed.timezone, changed.weekdays, changed.pace) == (
        "10:15",
        "Europe/Berlin",
        frozenset(range(5)),
        2,
    )


@pytest.mark.parametrize(
    "typed",
    [
        {"time": "10:00", "zone": "Nowhere/Land"},
        {"weekdays": "mon", "pace": 9},
        {"time": "9:75"},
        {"weekdays": "someday"},
    ],
    ids=["bad zone with good time", "bad pace with good weekdays", "bad time", "bad weekdays"],
)
def test_a_change_with_one_bad_setting_changes_nothing(store, typed):
    group = start(store)
    before = snapshot(store)
    with pytest.raises(InvalidSettingError):
        plans.change_settings(store, group, is_organiser=True, **typed)
    assert snapshot(store) == before


def test_pause_and_resume(store):
    group = start(store)
    paused = plans.pause(store, group, is_organiser=True)
    assert paused.paused and paused.pause_reason == "Paused by an organiser."
    resumed = plans.resume(store, paused, is_organiser=True)
    assert not resumed.paused and resumed.pause_reason is None


# -- skip and jump --------------------------------------------------------------------------------


def test_skip_moves_the_next_post_past_the_skipped_passages(store):
    group = start(store)
    assert plans.skip(store, group, is_organiser=True).next_ordinal == 2
    assert plans.skip(store, store.group_by_id(group.id), 3, is_organiser=True).next_ordinal == 5


@pytest.mark.parametrize("count", [0, -1])
def test_skip_needs_at_least_one_passage(store, count):
    group = start(store)
    before = snapshot(store)
    with pytest.raises(InvalidSettingError, match="at least one"):
        plans.skip(store, group, count, is_organiser=True)
    assert snapshot(store) == before


def test_skipping_past_the_end_finishes_the_plan_and_no_further(store):
    group = start(store, start_at=14)
    finished = plans.skip(store, group, 10, is_organiser=True)
    assert finished.next_ordinal == 16  # one past the last of 15: nothing left to post
    assert posting.preview_next(store, finished) is None
    with pytest.raises(InvalidSettingError, match="nothing left to skip"):
        plans.skip(store, finished, 1, is_organiser=True)


def test_jump_sets_the_next_passage_forwards_or_back(store):
    group = start(store)
    assert plans.jump(store, group, 12, is_organiser=True).next_ordinal == 12
    assert plans.jump(store, store.group_by_id(group.id), 1, is_organiser=True).next_ordinal == 1
    assert plans.jump(store, store.group_by_id(group.id), 15, is_organiser=True).next_ordinal == 15


@pytest.mark.parametrize("ordinal", [0, -3, 16, 10_000])
def test_jump_stays_within_the_text(store, ordinal):
    group = start(store)
    before = snapshot(store)
    with pytest.raises(InvalidSettingError, match="passages 1 to 15"):
        plans.jump(store, group, ordinal, is_organiser=True)
    assert snapshot(store) == before


# -- stop -----------------------------------------------------------------------------------------


def test_stop_ends_the_plan_and_frees_the_channel_for_a_new_one(store):
    group = start(store)
    plans.stop(store, group, MONDAY_8AM, is_organiser=True)
    assert store.group_for_channel(10) is None
    with pytest.raises(NotFoundError, match="/study start"):
        plans.require_group(store, 10)
    again = start(store, text="mandel")
    assert again.id != group.id and store.group_for_channel(10) == again
    # The old plan's record is kept (its posts and reads still mean something), just not active.
    assert store.group_by_id(group.id) is not None


def test_a_stopped_plan_is_never_due(store):
    group = start(store)
    plans.stop(store, group, MONDAY_8AM, is_organiser=True)
    for day in range(3):
        assert posting.claim_due_posts(store, MONDAY_8AM + timedelta(days=day, hours=4)) == []


# -- a text changed while a group reads it --------------------------------------------------------


def changed_copy(tmp_path, slug: str, old: str, new: str):
    """A copy of a bundled text (with its catalog entry), one sentence changed, same file name;
    called again, it changes the copy further."""
    folder = tmp_path / "changed"
    folder.mkdir(exist_ok=True)
    shutil.copy(CORPUS / CATALOG_NAME, folder / CATALOG_NAME)
    path = folder / f"{slug}.txt"
    source = (path if path.exists() else CORPUS / f"{slug}.txt").read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def first_words(store, text_id: int) -> str:
    return store.passage(text_id, 1).body[:60]


def test_a_group_keeps_its_version_of_a_text_changed_while_it_reads_it(store, tmp_path):
    group = start(store, text=CLARK)
    old = store.text_by_id(group.text_id)
    old_passages = [(p.ordinal, p.body) for p in store.passages_of(old.id)]
    # The group is under way: a post made and read.
    [due] = posting.claim_due_posts(store, MONDAY_8AM + timedelta(hours=1))
    posting.complete(store, due.delivery, 1, None, MONDAY_8AM + timedelta(hours=1))
    store.mark_read(group.id, MEMBER, group.text_id, 1, 1, "2024-03-04T09:05:00+01:00")
    first_sentence = old_passages[0][1].split(".")[0]
    path = changed_copy(tmp_path, CLARK, first_sentence, "A NEW OPENING SENTENCE REPLACES THE OLD ONE")

    [outcome] = texts.ingest(store, [path], replace=True)

    assert outcome.status == "updated"
    current = texts.resolve_text(store, CLARK)
    assert current.id != old.id and first_words(store, current.id).startswith("A NEW OPENING")
    # The group still reads the version it started: same passages, same numbers, same bodies.
    kept = store.group_by_id(group.id)
    assert kept.text_id == old.id
    assert [(p.ordinal, p.body) for p in store.passages_of(old.id)] == old_passages
    assert store.read_ordinals(group.id, MEMBER) == {1}
    assert posting.post_for_delivery(store, due.delivery).passages[0].body == old_passages[0][1]
    [tomorrow] = posting.claim_due_posts(store, MONDAY_8AM + timedelta(days=1, hours=1))
    post = posting.post_for_delivery(store, tomorrow.delivery)
    assert post.text.id == old.id and post.passages[0].body == old_passages[1][1]
    # A new plan elsewhere reads the new version.
    assert start(store, channel_id=11, text=CLARK).text_id == current.id


def test_a_version_nobody_reads_is_dropped_but_a_stopped_plans_version_stays(store, tmp_path):
    group = start(store, text=CLARK)
    plans.stop(store, group, MONDAY_8AM, is_organiser=True)
    source = (CORPUS / f"{CLARK}.txt").read_text(encoding="utf-8")
    sentence = source.split("\n")[2].split(".")[0]
    texts.ingest(store, [changed_copy(tmp_path, CLARK, sentence, "Second version")], replace=True)
    texts.ingest(store, [changed_copy(tmp_path, CLARK, "Second version", "Third version")], replace=True)
    versions = store.query("SELECT id FROM texts WHERE slug = ? ORDER BY id", (CLARK,))
    # The original (the stopped plan's history points at it) and the current one; not the second.
    assert [r["id"] for r in versions] == [group.text_id, texts.resolve_text(store, CLARK).id]
    assert [t.slug for t in store.texts()].count(CLARK) == 1
