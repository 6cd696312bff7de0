"""The command handlers both front ends run, called as Discord would call them.

Every reply is checked against Discord's limits: a reply over a limit is not cut by Discord but
refused, so the member would see nothing at all.
"""

import dataclasses
import re
import shutil

import pytest

from bot import commands, render, search, texts
from bot.commands import Invocation
from bot.errors import NotFoundError, PermissionDeniedError, StudyError
from bot.reading import posting
from bot.texts.files import CATALOG_NAME
from tests.conftest import CORPUS, CORPUS_SLUGS
from tests.helpers import CHANNEL, GUILD, ORGANISER, SOIL, assert_fits, at, post_on

OTHER_CHANNEL = 11
ANNA, BEN = 21, 22


def inv(store, now=None, *, user=ANNA, organiser=False, channel=CHANNEL, names=None) -> Invocation:
    return Invocation(
        store=store,
        guild_id=GUILD,
        channel_id=channel,
        user_id=user,
        is_organiser=organiser,
        now=now or at(4, 8),
        user_name=f"user{user}",
        member_names=names or {},
    )


def organiser(store, now=None, channel=CHANNEL) -> Invocation:
    return inv(store, now, user=ORGANISER, organiser=True, channel=channel)


def begin(store, text="thermidor", pace=None, weekdays=None, start_at=None, channel=CHANNEL):
    commands.study_start(organiser(store, channel=channel), text, "09:00", "Europe/Berlin", weekdays, pace, start_at)
    return store.group_for_channel(channel)


def field_numbers(card) -> list[int]:
    return [int(name.split(".")[0]) for name, _ in card.fields]


# -- every handler fits ---------------------------------------------------------------------------


@pytest.mark.parametrize("slug", CORPUS_SLUGS)
@pytest.mark.parametrize("pace", [1, 3])
def test_every_handler_replies_within_discord_limits(store, slug, pace):
    replies = [commands.study_start(organiser(store), slug, "09:00", "Europe/Berlin", "daily", pace, None)]
    replies.append(commands.today(inv(store)))
    replies.append(commands.study_status(organiser(store)))
    made = post_on(store, 4, 5, 6)
    now = at(6, 12)
    replies += [
        commands.today(inv(store, now)),
        commands.mark_read(inv(store, now), made[0].id),
        commands.mark_read(inv(store, now), made[0].id),
        commands.show_progress(inv(store, now)),
        commands.show_progress(inv(store, now), member_id=BEN),
        commands.catchup(inv(store, now)),
        commands.catchup(inv(store, now, user=BEN)),
        commands.texts(inv(store, now)),
        commands.study_settings(inv(store, now)),
        commands.study_settings(organiser(store, now), time="7pm", weekdays="mon-fri"),
        commands.study_status(organiser(store, now)),
        commands.study_pause(organiser(store, now)),
        commands.study_status(organiser(store, now)),
        commands.study_resume(organiser(store, now)),
        commands.study_jump(organiser(store, now), 2),
        commands.study_skip(organiser(store, now), 1),
    ]
    count = texts.resolve_text(store, slug).passage_count
    replies += [commands.passage(inv(store, now), n) for n in range(1, count + 1)]
    for query in ["revolution", "Stalin", "the", "xylophone", '"socialism in one country"', "a" * 300]:
        first = commands.search(inv(store, now), query)
        replies.append(first)
        replies += [commands.search(inv(store, now), query, page=p) for p in range(2, len(first.buttons) and 6)]
    replies.append(commands.study_stop(organiser(store, now)))
    for reply in replies:
        assert_fits(reply)


def test_catching_up_on_many_weeks_still_fits(store):
    begin(store, text="selections")  # 30 passages, daily
    post_on(store, *range(4, 32))
    reply = commands.catchup(inv(store, at(31, 12)))
    assert_fits(reply)
    assert "earlier posts" in reply.cards[0].description
    reply = commands.show_progress(inv(store, at(31, 12)))
    assert_fits(reply)


# -- who sees a reply -----------------------------------------------------------------------------


def test_replies_about_one_person_are_ephemeral_and_plan_changes_are_public(store):
    start = commands.study_start(organiser(store), "thermidor", "09:00", "Europe/Berlin")
    [made] = post_on(store, 4)
    now = at(4, 12)
    private = {
        "/today": commands.today(inv(store, now)),
        "/passage": commands.passage(inv(store, now), 1),
        "/texts": commands.texts(inv(store, now)),
        "/progress": commands.show_progress(inv(store, now)),
        "/progress member": commands.show_progress(inv(store, now), member_id=BEN),
        "/catchup": commands.catchup(inv(store, now)),
        "Mark as read": commands.mark_read(inv(store, now), made.id),
        "/study settings (looking)": commands.study_settings(inv(store, now)),
        "/study status": commands.study_status(organiser(store, now)),
    }
    public = {
        "/study start": start,
        "/search": commands.search(inv(store, now), "Stalin"),
        "/study settings (changing)": commands.study_settings(organiser(store, now), time="10:00"),
        "/study pause": commands.study_pause(organiser(store, now)),
        "/study resume": commands.study_resume(organiser(store, now)),
        "/study skip": commands.study_skip(organiser(store, now)),
        "/study jump": commands.study_jump(organiser(store, now), 3),
        "/study stop": commands.study_stop(organiser(store, now)),
    }
    assert [name for name, reply in private.items() if not reply.ephemeral] == []
    assert [name for name, reply in public.items() if reply.ephemeral] == []


@pytest.mark.parametrize(
    "call",
    [
        lambda i: commands.study_pause(i),
        lambda i: commands.study_resume(i),
        lambda i: commands.study_skip(i),
        lambda i: commands.study_jump(i, 3),
        lambda i: commands.study_stop(i),
        lambda i: commands.study_status(i),
        lambda i: commands.study_settings(i, pace=2),
        lambda i: commands.study_start(i, "mandel", "09:00", "UTC"),
    ],
    ids=["pause", "resume", "skip", "jump", "stop", "status", "settings", "start"],
)
def test_members_cannot_use_organiser_commands(store, call):
    begin(store)
    before = store.query("SELECT * FROM groups")
    with pytest.raises(PermissionDeniedError):
        call(inv(store))
    assert store.query("SELECT * FROM groups") == before


def test_a_channel_without_a_plan_says_how_to_start_one(store):
    for call in (commands.today, commands.show_progress, commands.catchup, commands.study_settings):
        with pytest.raises(NotFoundError, match="/study start"):
            call(inv(store))
    with pytest.raises(StudyError, match="name the text"):
        commands.passage(inv(store), 3)
    assert commands.passage(inv(store), 3, "thermidor").cards[0].footer.endswith("words")


# -- /today ---------------------------------------------------------------------------------------


def test_today_before_the_first_post_says_when_it_comes(store):
    begin(store, weekdays="mon,wed,fri")
    reply = commands.today(inv(store, at(4, 8)))
    assert reply.text == "Nothing has been posted yet; the first passage comes Mon 04 Mar 09:00 Europe/Berlin."
    tuesday = commands.today(inv(store, at(5, 8)))
    assert "Wed 06 Mar 09:00 Europe/Berlin" in tuesday.text
    assert reply.cards == () and reply.ephemeral


def test_today_before_the_first_post_of_a_paused_plan_says_it_waits_for_resume(store):
    begin(store)
    commands.study_pause(organiser(store))
    reply = commands.today(inv(store, at(4, 8)))
    assert "resume" in reply.text and "09:00" not in reply.text


def test_today_when_the_first_post_is_due_but_not_out_yet_does_not_name_a_past_time(store):
    begin(store)
    posting.claim_due_posts(store, at(4, 9))  # claimed; being sent
    reply = commands.today(inv(store, at(4, 9, 1)))
    assert "any minute" in reply.text and "09:00" not in reply.text


def test_today_shows_the_latest_post(tiny_store):
    begin(tiny_store, text=SOIL)
    post_on(tiny_store, 4, 5)
    reply = commands.today(inv(tiny_store, at(5, 12)))
    [passage, questions] = reply.cards
    assert passage.footer.startswith("Ada Gardener · passage 2 of 10") and "Tue 05 Mar 2024" in passage.footer
    assert questions.title == "For discussion" and questions.description.startswith("1. ")
    assert tiny_store.passage(tiny_store.group_for_channel(CHANNEL).text_id, 2).body in passage.description


@pytest.mark.parametrize("slug", CORPUS_SLUGS)
def test_today_at_pace_three_fits_one_message_and_points_to_the_rest(store, slug):
    begin(store, text=slug, pace=3)
    post_on(store, 4)
    reply = commands.today(inv(store, at(4, 12)))
    assert_fits(reply)
    shown = " ".join(c.footer for c in reply.cards)
    missing = [n for n in (1, 2, 3) if f"passage {n} of" not in shown]
    assert "passage 1 of" in shown
    for n in missing:
        assert f"/passage {n}" in reply.text


# -- /passage -------------------------------------------------------------------------------------


def test_a_passage_the_group_has_not_reached_is_marked_ahead(store):
    begin(store)
    post_on(store, 4, 5)
    assert "ahead of the group" in commands.passage(inv(store, at(5, 12)), 3).text
    assert commands.passage(inv(store, at(5, 12)), 2).text == ""
    assert commands.passage(inv(store, at(5, 12)), 3, "mandel").text == ""  # not the group's text


def test_a_passage_out_of_range_names_the_range(tiny_store):
    begin(tiny_store, text=SOIL)
    with pytest.raises(NotFoundError, match="passages 1 to 10"):
        commands.passage(inv(tiny_store), 11)


# -- /search --------------------------------------------------------------------------------------


def test_search_pages_through_hits_with_buttons(store):
    begin(store)
    first = commands.search(inv(store), "the")
    labels = [(b.label, b.action, b.disabled) for b in first.buttons if b.action.startswith("search:")]
    assert labels == [("Previous", "search:0", True), ("1 / 5", "search:page", True), ("Next", "search:2", False)]
    assert field_numbers(first.cards[0]) == [1, 2, 3, 4, 5]
    second = commands.search(inv(store), "the", page=2)
    assert field_numbers(second.cards[0]) == [6, 7, 8, 9, 10]
    assert [(b.action, b.disabled) for b in second.buttons[:3]] == [
        ("search:1", False),
        ("search:page", True),
        ("search:3", False),
    ]
    last = commands.search(inv(store), "the", page=5)
    assert last.buttons[1].label == "5 / 5" and last.buttons[2].disabled
    assert field_numbers(last.cards[0]) == [21, 22, 23, 24, 25]
    # A page past the end (an old button) shows the last page rather than nothing.
    assert field_numbers(commands.search(inv(store), "the", page=99).cards[0]) == [21, 22, 23, 24, 25]


def test_search_with_one_page_has_no_page_buttons_but_context_for_each_hit(store):
    reply = commands.search(inv(store), "Kronstadt", text="thermidor")
    assert 1 <= len(reply.cards[0].fields) <= 5
    assert [b.label for b in reply.buttons] == [f"Context {n}" for n in range(1, len(reply.cards[0].fields) + 1)]


def test_context_button_shows_the_paragraphs_around_the_hit_privately(store):
    reply = commands.search(inv(store), "Kronstadt", text="thermidor")
    paragraph_id = int(reply.buttons[0].action.split(":")[1])
    shown = commands.search_context(inv(store), paragraph_id)
    assert shown.ephemeral and "**" in shown.cards[0].description and "Kronstadt" in shown.cards[0].description
    assert render.card_size(shown.cards[0]) <= 6000


def test_hits_ahead_of_the_group_get_no_context_button(store):
    begin(store)
    reply = commands.search(inv(store), "Kronstadt", text="thermidor")
    assert "||" in reply.cards[0].fields[0][1] and reply.buttons == ()


def test_search_without_hits_says_what_to_try(store):
    reply = commands.search(inv(store), "xylophone")
    assert reply.cards[0].fields == () and "No text mentions xylophone. Try" in reply.cards[0].description


def spoilered(value: str) -> bool:
    return value.startswith("Ahead of the group (spoiler): ||") and value.count("||") == 2


def test_search_hits_the_group_has_not_reached_are_under_a_spoiler(store):
    group = begin(store)
    commands.study_jump(organiser(store), 8)
    hits = search.search(store, "Stalin", limit=commands.SEARCH_MAX_HITS).hits
    assert {h.passage.text_id == group.text_id for h in hits} == {True, False}  # both kinds on show
    values = []
    for page in range(1, -(-len(hits) // commands.SEARCH_PAGE_SIZE) + 1):
        values += [v for _, v in commands.search(inv(store), "Stalin", page=page).cards[0].fields]
    assert len(values) == len(hits)
    for hit, value in zip(hits, values):
        ahead = hit.passage.text_id == group.text_id and hit.passage.ordinal >= 8
        assert spoilered(value) == ahead, (hit.passage.text_slug, hit.passage.ordinal)
    assert any(spoilered(v) for v in values) and not all(spoilered(v) for v in values)


def test_search_outside_a_reading_group_hides_nothing(store):
    begin(store)
    reply = commands.search(inv(store, channel=OTHER_CHANNEL), "Stalin", text="thermidor")
    assert reply.cards[0].fields and not any(spoilered(v) for _, v in reply.cards[0].fields)


def test_search_hides_passages_ahead_even_in_a_newer_version_of_the_groups_text(store, tmp_path):
    """The group reads the version it started; search shows the current one. A hit there is no
    less a spoiler."""
    group = begin(store, text="thermidor")
    shutil.copy(CORPUS / CATALOG_NAME, tmp_path / CATALOG_NAME)
    path = tmp_path / "trotsky-soviet-thermidor-1936.txt"
    path.write_text((CORPUS / path.name).read_text(encoding="utf-8").replace("Stalin", "STALIN", 1), encoding="utf-8")
    assert texts.ingest(store, [path], replace=True)[0].status == "updated"
    assert store.group_for_channel(CHANNEL).text_id == group.text_id != texts.resolve_text(store, "thermidor").id
    reply = commands.search(inv(store), "Stalin", text="thermidor")
    assert reply.cards[0].fields and all(spoilered(v) for _, v in reply.cards[0].fields)


# -- reading and progress -------------------------------------------------------------------------


def test_mark_read_says_what_was_marked_and_is_idempotent(store):
    begin(store, pace=2)
    monday, tuesday = post_on(store, 4, 5)
    first = commands.mark_read(inv(store, at(5, 12)), tuesday.id)
    assert first.text.startswith("Marked as read: passages 3-4.") and "streak: 1 day." in first.text
    assert "1 earlier post to catch up on: /catchup." in first.text
    again = commands.mark_read(inv(store, at(5, 12)), tuesday.id)
    assert again.text.startswith("Already marked as read: passages 3-4.")
    assert store.readers(store.group_for_channel(CHANNEL).id) == {ANNA: 2}


def test_mark_read_on_a_post_that_is_gone_says_so(store):
    begin(store)
    reply = commands.mark_read(inv(store), 424242)
    assert reply.ephemeral and "no longer part of a reading plan" in reply.text


def test_mark_read_counts_only_a_post_of_this_channel_and_server(tiny_store):
    group = begin(tiny_store, text=SOIL)
    [monday] = post_on(tiny_store, 4)
    elsewhere = [
        inv(tiny_store, at(4, 12), channel=OTHER_CHANNEL),
        dataclasses.replace(inv(tiny_store, at(4, 12)), guild_id=2),
    ]
    for where in elsewhere:
        reply = commands.mark_read(where, monday.id)
        assert (
            reply.ephemeral and reply.text == "This button belongs to a post in another channel; mark it as read there."
        )
    assert tiny_store.readers(group.id) == {}


def test_mark_read_pressed_on_another_posts_message_is_refused(tiny_store):
    """After a reshard an old button may name another post of its channel: the message pressed
    must be the post's own (when known; a private catch-up page's is not)."""
    group = begin(tiny_store, text=SOIL)
    monday, tuesday = post_on(tiny_store, 4, 5)
    refused = commands.mark_read(inv(tiny_store, at(5, 12)), tuesday.id, monday.message_id)
    assert refused.ephemeral and refused.text == posting.OLD_BUTTON
    assert tiny_store.readers(group.id) == {}
    on_its_post = commands.mark_read(inv(tiny_store, at(5, 12)), tuesday.id, tuesday.message_id)
    on_a_private_page = commands.mark_read(inv(tiny_store, at(5, 12)), monday.id, None)
    assert on_its_post.text.startswith("Marked as read") and on_a_private_page.text.startswith("Marked as read")


@pytest.mark.parametrize("forged", [0, -1, 2**63, 10**20])
def test_mark_read_with_an_id_no_post_can_have_says_so(tiny_store, forged):
    begin(tiny_store, text=SOIL)
    post_on(tiny_store, 4)
    reply = commands.mark_read(inv(tiny_store), forged)
    assert "no longer part of a reading plan" in reply.text


def test_progress_of_someone_outside_the_server_is_one_sentence(tiny_store):
    begin(tiny_store, text=SOIL)
    with pytest.raises(NotFoundError, match=r"^visitor is not a member of this server\.$"):
        commands.show_progress(inv(tiny_store, names={99: "visitor"}), 99, in_server=False)


def test_progress_of_another_member_is_named_and_private(tiny_store):
    begin(tiny_store, text=SOIL)
    [monday] = post_on(tiny_store, 4)
    commands.mark_read(inv(tiny_store, at(4, 12), user=BEN), monday.id)
    reply = commands.show_progress(inv(tiny_store, at(4, 12), names={BEN: "Ben"}), member_id=BEN)
    card = reply.cards[0]
    assert reply.ephemeral and ("For Ben", "Read 1 of 1 posted passages; streak 1 day. Missed: nothing.") in card.fields
    assert card.description.startswith("1 of 10 passages posted (10%), up to passage 1.")
    mine = commands.show_progress(inv(tiny_store, at(4, 12)))
    assert "For you" in dict(mine.cards[0].fields)


def test_catchup_links_each_missed_post(store):
    begin(store)
    monday, tuesday, wednesday = post_on(store, 4, 5, 6)
    commands.mark_read(inv(store, at(6, 12)), tuesday.id)
    card = commands.catchup(inv(store, at(6, 12))).cards[0]
    links = re.findall(r"\((https://discord\.com/channels/\d+/\d+/\d+)\)", card.description)
    assert links == [render.message_link(GUILD, CHANNEL, d.message_id) for d in (monday, wednesday)]
    commands.mark_read(inv(store, at(6, 12)), monday.id)
    commands.mark_read(inv(store, at(6, 12)), wednesday.id)
    assert commands.catchup(inv(store, at(6, 12))).cards[0].title == "All caught up"


# -- organisers -----------------------------------------------------------------------------------


def test_study_start_shows_the_plan_it_made(tiny_store):
    reply = commands.study_start(organiser(tiny_store), "bread", "6pm", "europe/berlin", "mon-fri", 2, 3)
    fields = dict(reply.cards[0].fields)
    assert fields["Schedule"] == "18:00 Europe/Berlin, mon-fri"
    assert fields["Pace"] == "2 passages per post" and fields["Next passage"] == "3 of 4"
    assert fields["Next post"] == "Mon 04 Mar 18:00 Europe/Berlin"


def test_study_status_shows_the_last_post_the_next_seven_and_a_dry_run(tiny_store):
    begin(tiny_store, text=SOIL, weekdays="mon,wed,fri")
    post_on(tiny_store, 4)
    reply = commands.study_status(organiser(tiny_store, at(4, 12)))
    status, dry_run = reply.cards[0], reply.cards[1]
    fields = dict(status.fields)
    assert fields["Last post"] == "Posted 2024-03-04: passage 1."
    assert fields["Next seven posts"].splitlines()[:2] == [
        "Wed 06 Mar 09:00 Europe/Berlin",
        "Fri 08 Mar 09:00 Europe/Berlin",
    ]
    assert len(fields["Next seven posts"].splitlines()) == 7
    assert dry_run.title.startswith("Dry run: ") and "passage 2 of 10" in dry_run.footer


@pytest.mark.parametrize("slug", CORPUS_SLUGS)
def test_study_status_at_pace_three_fits_and_points_to_what_it_left_out(store, slug):
    begin(store, text=slug, pace=3)
    reply = commands.study_status(organiser(store))
    assert_fits(reply)
    footers = " ".join(c.footer for c in reply.cards)
    for n in (1, 2, 3):
        assert f"passage {n} of" in footers or f"/passage {n}" in reply.text
    assert "thread" not in reply.text  # a dry run has none yet


def test_skipping_to_the_end_says_the_plan_is_finished(store):
    begin(store, start_at=14)
    reply = commands.study_skip(organiser(store), 5)
    assert "passage 16" not in reply.text and "finished" in reply.text
    assert dict(reply.cards[0].fields)["Next passage"] == "none: the text is finished"


def test_stop_then_start_again_in_the_same_channel(store):
    begin(store)
    assert "has ended" in commands.study_stop(organiser(store)).text
    reply = commands.study_start(organiser(store), "mandel", "09:00", "UTC")
    assert dict(reply.cards[0].fields)["Text"].startswith("Liebman and Leninism")
