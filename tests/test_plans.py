"""What organisers do to a plan: start, change, pause, resume, skip, jump, stop.

Each refusal is checked twice: the error says what to do, and the database is byte for byte as
it was (nothing half-written). Plans read the tiny library (tests/helpers.py).
"""

from datetime import time, timedelta

import pytest

from bot import texts
from bot.errors import InvalidSettingError, NotFoundError, PermissionDeniedError
from bot.reading import plans, posting
from bot.reading.schedule import ALL_WEEKDAYS
from tests.helpers import ORGANISER, SOIL, TINY_LIBRARY, TINY_PACE, at, start_plan

MONDAY_8AM = at(4, 8)
MEMBER = 8


def start(store, channel_id=10, *, text=SOIL, is_organiser=True, **options):
    return start_plan(
        store,
        channel_id=channel_id,
        text=text,
        user_id=ORGANISER if is_organiser else MEMBER,
        is_organiser=is_organiser,
        **options,
    )


def snapshot(store) -> dict:
    """Every row a plan verb could write."""
    return {
        table: [tuple(r) for r in store.query(f"SELECT * FROM {table} ORDER BY rowid")]
        for table in ("groups", "deliveries", "reads")
    }


# -- starting a plan ------------------------------------------------------------------------------


def test_an_organiser_starts_a_plan_with_what_was_typed(tiny_store):
    group = start(
        tiny_store, text="bread", time="6:30pm", zone="america/new york", weekdays="mon,wed,fri", pace=2, start_at=3
    )
    assert tiny_store.text_by_id(group.text_id).slug == "baker-bread"
    assert (group.post_time, group.timezone) == (time(18, 30), "America/New_York")
    assert group.weekdays == frozenset({0, 2, 4})
    assert (group.pace, group.next_ordinal, group.paused, group.created_by) == (2, 3, False, ORGANISER)
    assert tiny_store.group_for_channel(10) == group


def test_a_plan_defaults_to_daily_one_passage_from_the_start(tiny_store):
    group = start(tiny_store)
    assert (group.weekdays, group.pace, group.next_ordinal) == (ALL_WEEKDAYS, 1, 1)


def test_a_member_who_is_not_an_organiser_cannot_start_a_plan(tiny_store):
    before = snapshot(tiny_store)
    with pytest.raises(PermissionDeniedError, match="Only organisers"):
        start(tiny_store, is_organiser=False)
    assert snapshot(tiny_store) == before
    assert tiny_store.group_for_channel(10) is None


ORGANISER_VERBS = {
    "change settings": lambda tiny_store, g: plans.change_settings(tiny_store, g, is_organiser=False, time="10:00"),
    "pause": lambda tiny_store, g: plans.pause(tiny_store, g, is_organiser=False),
    "resume": lambda tiny_store, g: plans.resume(tiny_store, g, is_organiser=False),
    "skip": lambda tiny_store, g: plans.skip(tiny_store, g, 1, is_organiser=False),
    "jump": lambda tiny_store, g: plans.jump(tiny_store, g, 5, is_organiser=False),
    "stop": lambda tiny_store, g: plans.stop(tiny_store, g, MONDAY_8AM, is_organiser=False),
}


@pytest.mark.parametrize("verb", ORGANISER_VERBS, ids=list(ORGANISER_VERBS))
def test_only_organisers_can_change_a_running_plan_and_nothing_is_written(tiny_store, verb):
    group = start(tiny_store)
    if verb == "resume":
        group = plans.pause(tiny_store, group, is_organiser=True)
    before = snapshot(tiny_store)
    with pytest.raises(PermissionDeniedError) as raised:
        ORGANISER_VERBS[verb](tiny_store, group)
    assert str(raised.value) == plans.ORGANISER_ONLY
    assert snapshot(tiny_store) == before


def test_a_second_plan_in_the_same_channel_is_refused(tiny_store):
    first = start(tiny_store)
    before = snapshot(tiny_store)
    with pytest.raises(InvalidSettingError, match="already has a reading plan.*/study settings.*/study stop"):
        start(tiny_store, text="bread")
    assert snapshot(tiny_store) == before
    assert tiny_store.group_for_channel(10) == first
    # Another channel of the same server may run its own plan.
    assert start(tiny_store, channel_id=11, text="bread").channel_id == 11


@pytest.mark.parametrize(
    "typed, error, says",
    [
        ({"text": "kautsky"}, NotFoundError, "the texts are"),
        ({"text": "gardener"}, NotFoundError, "be more specific"),
        ({"time": "25:00"}, InvalidSettingError, "HH:MM"),
        ({"time": "soon"}, InvalidSettingError, "HH:MM"),
        ({"zone": "Mars/Olympus_Mons"}, InvalidSettingError, "Europe/London"),
        ({"zone": "America/Argentina"}, InvalidSettingError, "Europe/London"),
        ({"weekdays": "funday"}, InvalidSettingError, "mon-fri"),
        ({"pace": 0}, InvalidSettingError, "from 1 to 3"),
        ({"pace": 4}, InvalidSettingError, "from 1 to 3"),
        ({"start_at": 0}, InvalidSettingError, "passages 1 to 10"),
        ({"start_at": -2}, InvalidSettingError, "passages 1 to 10"),
        ({"start_at": 11}, InvalidSettingError, "passages 1 to 10"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_invalid_settings_are_refused_in_one_sentence_and_nothing_is_written(tiny_store, typed, error, says):
    before = snapshot(tiny_store)
    with pytest.raises(error) as raised:
        start(tiny_store, **typed)
    message = str(raised.value)
    assert says in message
    assert "\n" not in message and message.endswith(".") and len(message) < 300
    assert snapshot(tiny_store) == before


def test_the_last_passage_is_a_valid_place_to_start(tiny_store):
    assert start(tiny_store, start_at=10).next_ordinal == 10


# -- changing a plan ------------------------------------------------------------------------------


def test_an_organiser_changes_time_zone_weekdays_and_pace(tiny_store):
    group = start(tiny_store)
    changed = plans.change_settings(
        tiny_store, group, is_organiser=True, time="7pm", zone="America/New_York", weekdays="weekends", pace=3
    )
    assert (changed.post_time, changed.timezone, changed.weekdays, changed.pace) == (
        time(19),
        "America/New_York",
        frozenset({5, 6}),
        3,
    )
    assert tiny_store.group_by_id(group.id) == changed
    assert changed.next_ordinal == group.next_ordinal


def test_settings_left_out_are_kept(tiny_store):
    group = start(tiny_store, weekdays="mon-fri", pace=2)
    changed = plans.change_settings(tiny_store, group, is_organiser=True, time="10:15")
    assert (changed.post_time, changed.timezone, changed.weekdays, changed.pace) == (
        time(10, 15),
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
def test_a_change_with_one_bad_setting_changes_nothing(tiny_store, typed):
    group = start(tiny_store)
    before = snapshot(tiny_store)
    with pytest.raises(InvalidSettingError):
        plans.change_settings(tiny_store, group, is_organiser=True, **typed)
    assert snapshot(tiny_store) == before


def test_pause_and_resume(tiny_store):
    group = start(tiny_store)
    paused = plans.pause(tiny_store, group, is_organiser=True)
    assert paused.paused and paused.pause_reason == "Paused by an organiser."
    resumed = plans.resume(tiny_store, paused, is_organiser=True)
    assert not resumed.paused and resumed.pause_reason is None


# -- skip and jump --------------------------------------------------------------------------------


def test_skip_moves_the_next_post_past_the_skipped_passages(tiny_store):
    group = start(tiny_store)
    assert plans.skip(tiny_store, group, is_organiser=True).next_ordinal == 2
    assert plans.skip(tiny_store, tiny_store.group_by_id(group.id), 3, is_organiser=True).next_ordinal == 5


@pytest.mark.parametrize("count", [0, -1])
def test_skip_needs_at_least_one_passage(tiny_store, count):
    group = start(tiny_store)
    before = snapshot(tiny_store)
    with pytest.raises(InvalidSettingError, match="at least one"):
        plans.skip(tiny_store, group, count, is_organiser=True)
    assert snapshot(tiny_store) == before


def test_skipping_past_the_end_finishes_the_plan_and_no_further(tiny_store):
    group = start(tiny_store, start_at=9)
    finished = plans.skip(tiny_store, group, 10, is_organiser=True)
    assert finished.next_ordinal == 11  # one past the last of 10: nothing left to post
    assert posting.preview_next(tiny_store, finished) is None
    with pytest.raises(InvalidSettingError, match="nothing left to skip"):
        plans.skip(tiny_store, finished, 1, is_organiser=True)


def test_jump_sets_the_next_passage_forwards_or_back(tiny_store):
    group = start(tiny_store)
    assert plans.jump(tiny_store, group, 7, is_organiser=True).next_ordinal == 7
    assert plans.jump(tiny_store, tiny_store.group_by_id(group.id), 1, is_organiser=True).next_ordinal == 1
    assert plans.jump(tiny_store, tiny_store.group_by_id(group.id), 10, is_organiser=True).next_ordinal == 10


@pytest.mark.parametrize("ordinal", [0, -3, 11, 10_000])
def test_jump_stays_within_the_text(tiny_store, ordinal):
    group = start(tiny_store)
    before = snapshot(tiny_store)
    with pytest.raises(InvalidSettingError, match="passages 1 to 10"):
        plans.jump(tiny_store, group, ordinal, is_organiser=True)
    assert snapshot(tiny_store) == before


# -- stop -----------------------------------------------------------------------------------------


def test_stop_ends_the_plan_and_frees_the_channel_for_a_new_one(tiny_store):
    group = start(tiny_store)
    plans.stop(tiny_store, group, MONDAY_8AM, is_organiser=True)
    assert tiny_store.group_for_channel(10) is None
    with pytest.raises(NotFoundError, match="/study start"):
        plans.require_group(tiny_store, 10)
    again = start(tiny_store, text="bread")
    assert again.id != group.id and tiny_store.group_for_channel(10) == again
    # The old plan's record is kept (its posts and reads still mean something), just not active.
    assert tiny_store.group_by_id(group.id) is not None


def test_a_stopped_plan_is_never_due(tiny_store):
    group = start(tiny_store)
    plans.stop(tiny_store, group, MONDAY_8AM, is_organiser=True)
    for day in range(3):
        assert posting.claim_due_posts(tiny_store, MONDAY_8AM + timedelta(days=day, hours=4)) == []


# -- a text changed while a group reads it --------------------------------------------------------


def changed_copy(tmp_path, old: str, new: str):
    """The tiny library's ten-passage text with one sentence changed, same file name; called again,
    it changes the copy further."""
    path = tmp_path / "changed" / f"{SOIL}.md"
    path.parent.mkdir(exist_ok=True)
    source = path.read_text(encoding="utf-8") if path.exists() else TINY_LIBRARY[f"{SOIL}.md"]
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def first_words(store, text_id: int) -> str:
    return store.passage(text_id, 1).body[:60]


def test_a_group_keeps_its_version_of_a_text_changed_while_it_reads_it(tiny_store, tmp_path):
    group = start(tiny_store)
    old = tiny_store.get_text(group.text_id)
    old_passages = [(p.ordinal, p.body) for p in tiny_store.passages_of(old.id)]
    # The group is under way: a post made and read.
    [due] = posting.claim_due_posts(tiny_store, MONDAY_8AM + timedelta(hours=1))
    posting.complete(tiny_store, due.delivery, 1, None, MONDAY_8AM + timedelta(hours=1))
    tiny_store.mark_read(group.id, MEMBER, group.text_id, 1, 1, MONDAY_8AM + timedelta(hours=1, minutes=5))
    first_sentence = old_passages[0][1].split(".")[0]
    path = changed_copy(tmp_path, first_sentence, "A NEW OPENING SENTENCE REPLACES THE OLD ONE")

    [outcome] = texts.ingest(tiny_store, [path], TINY_PACE, replace=True)

    assert outcome.status == "updated"
    current = texts.resolve_text(tiny_store, SOIL)
    assert current.id != old.id and first_words(tiny_store, current.id).startswith("A NEW OPENING")
    # The group still reads the version it started: same passages, same numbers, same bodies.
    kept = tiny_store.get_group(group.id)
    assert kept.text_id == old.id
    assert [(p.ordinal, p.body) for p in tiny_store.passages_of(old.id)] == old_passages
    assert tiny_store.read_ordinals(group.id, MEMBER) == {1}
    assert posting.post_for_delivery(tiny_store, due.delivery).passages[0].body == old_passages[0][1]
    [tomorrow] = posting.claim_due_posts(tiny_store, MONDAY_8AM + timedelta(days=1, hours=1))
    post = posting.post_for_delivery(tiny_store, tomorrow.delivery)
    assert post.text.id == old.id and post.passages[0].body == old_passages[1][1]
    # A new plan elsewhere reads the new version.
    assert start(tiny_store, channel_id=11).text_id == current.id


def test_a_version_nobody_reads_is_dropped_but_a_stopped_plans_version_stays(tiny_store, tmp_path):
    group = start(tiny_store)
    plans.stop(tiny_store, group, MONDAY_8AM, is_organiser=True)
    texts.ingest(tiny_store, [changed_copy(tmp_path, "Compost returns", "Second version")], TINY_PACE, replace=True)
    texts.ingest(tiny_store, [changed_copy(tmp_path, "Second version", "Third version")], TINY_PACE, replace=True)
    versions = tiny_store.query("SELECT id FROM texts WHERE slug = ? ORDER BY id", (SOIL,))
    # The original (the stopped plan's history points at it) and the current one; not the second.
    assert [r["id"] for r in versions] == [group.text_id, texts.resolve_text(tiny_store, SOIL).id]
    assert [t.slug for t in tiny_store.texts()].count(SOIL) == 1
