"""Questions a group can fix, at the core, on a real SQLite file: what a post carried is kept with
it; organisers' edits and approved suggestions become the server's questions for that passage,
used first by every later group of the server reading it; bad input is one sentence and nothing
is written."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from bot import commands, render
from bot.cli import cli
from bot.commands import Invocation
from bot.errors import InvalidQuestionError, NotFoundError, PermissionDeniedError, StudyError
from bot.questions import curation, generate_questions
from bot.questions.analysis.wording import MAX_QUESTION_CHARS, MAX_QUESTIONS
from bot.reading import posting
from bot.store import Store
from bot.store.schema import MIGRATIONS, statements

BERLIN = ZoneInfo("Europe/Berlin")
GUILD, OTHER_GUILD = 1, 2
CHANNEL, SECOND_CHANNEL, FAR_CHANNEL = 10, 11, 20
ORGANISER, ANNA, BEN = 7, 21, 22


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Berlin in March 2024; the 4th is a Monday."""
    return datetime(2024, 3, day, hour, minute, tzinfo=BERLIN)


def inv(store, user=ANNA, *, organiser=False, channel=CHANNEL, guild=GUILD, now=None) -> Invocation:
    return Invocation(
        store=store, guild_id=guild, channel_id=channel, user_id=user, is_organiser=organiser, now=now or at(4, 8)
    )


def org(store, **kwargs) -> Invocation:
    return inv(store, ORGANISER, organiser=True, **kwargs)


def begin(store, channel=CHANNEL, guild=GUILD, text="thermidor", start_at=None):
    commands.study_start(org(store, channel=channel, guild=guild), text, "09:00", "Europe/Berlin", None, None, start_at)
    return store.group_for_channel(channel)


def send_due(store, day: int) -> list:
    """Send every post due at 09:00 on a day as the adapter does: build it (which keeps its
    questions), then record it as made."""
    sent = []
    for due in posting.claim_due_posts(store, at(day, 9)):
        post = posting.post_for_delivery(store, due.delivery)
        posting.complete(store, due.delivery, 9000 + due.delivery.id, 8000 + due.delivery.id, at(day, 9))
        sent.append((store.delivery_by_id(due.delivery.id), post))
    return sent


def posted_questions(reply) -> list[str]:
    card = next(c for c in reply.cards if c.title == "For discussion")
    return [line.split(". ", 1)[1] for line in card.description.splitlines()]


EDITED = ["Is Trotsky's comparison with Thermidor a fair one?", "Who gained most from the bureaucracy's rise?"]


# -- what a post carried -----------------------------------------------------------------------------


def test_a_post_keeps_the_questions_it_went_out_with(store):
    group = begin(store)
    [(delivery, post)] = send_due(store, 4)
    assert delivery.questions == post.questions and 2 <= len(post.questions) <= MAX_QUESTIONS
    # Later the server's questions for passage 1 change: the post and /today still show what was sent.
    commands.save_questions(org(store, now=at(4, 12)), group.text_id, 1, EDITED)
    assert [q.text for q in generate_questions(store, store.passage(group.text_id, 1), guild_id=GUILD)] == EDITED
    assert posted_questions(commands.today(inv(store, now=at(4, 13)))) == list(post.questions)
    assert posting.post_for_delivery(store, store.delivery_by_id(delivery.id)).questions == post.questions


def test_every_attempt_at_a_post_sends_the_questions_of_the_first(store):
    group = begin(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    first = posting.post_for_delivery(store, due.delivery).questions
    commands.save_questions(org(store, now=at(4, 9, 1)), group.text_id, 1, EDITED)  # between two attempts
    again = posting.post_for_delivery(store, store.delivery_by_id(due.delivery.id)).questions
    assert again == first != tuple(EDITED)


def test_a_post_made_before_questions_were_kept_shows_them_made_anew(store):
    group = begin(store)
    [due] = posting.claim_due_posts(store, at(4, 9))
    posting.complete(store, due.delivery, 9001, None, at(4, 9))  # recorded without building: no questions kept
    assert store.delivery_by_id(due.delivery.id).questions is None
    made = [q.text for q in generate_questions(store, store.passage(group.text_id, 1), guild_id=GUILD)]
    assert posted_questions(commands.today(inv(store, now=at(4, 12)))) == made


def test_catchup_shows_the_questions_each_missed_post_carried(store):
    group = begin(store)
    sent = send_due(store, 4) + send_due(store, 5)
    commands.save_questions(org(store, now=at(5, 12)), group.text_id, 2, EDITED)  # after passage 2 went out
    described = commands.catchup(inv(store, now=at(5, 13))).cards[0].description
    for _, post in sent:
        for question in post.questions:
            assert f"• {question}" in described
    assert EDITED[0] not in described


def test_a_database_from_before_is_migrated_and_keeps_its_posts(tmp_path):
    """A file at schema 5 (before questions were kept) opens, gains the new tables, and its old
    posts read back with no kept questions."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:5], start=1):
        for statement in statements(script):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
    conn.execute(
        """INSERT INTO texts (slug, title, author, path, content_hash, passage_count, word_count, ingested_at)
           VALUES ('t', 'T', 'A', 't.txt', 'h', 1, 1, '2024-03-01T09:00:00+00:00')"""
    )
    conn.execute(
        """INSERT INTO groups (guild_id, channel_id, text_id, post_time, timezone, weekdays, created_by, created_at)
           VALUES (1, 10, 1, '09:00', 'UTC', '0', 7, '2024-03-01T09:00:00+00:00')"""
    )
    conn.execute(
        """INSERT INTO deliveries (group_id, local_date, first_ordinal, last_ordinal, status, claimed_at)
           VALUES (1, '2024-03-04', 1, 1, 'posted', '2024-03-04T09:00:00+00:00')"""
    )
    conn.commit()
    conn.close()
    store = Store(path)
    try:
        assert store.schema_version() == len(MIGRATIONS)
        assert store.delivery_by_id(1).questions is None
        assert store.server_question_sets(1) == []
    finally:
        store.close()


# -- checking what was typed ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ([], "Type a question; nothing was saved."),
        (["", "   "], "Type a question; nothing was saved."),
        ([f"Is point {n} convincing?" for n in range(MAX_QUESTIONS + 1)], "at most"),
        (["Why does Trotsky compare Stalin to Bonaparte"], "Question 1 does not end with a question mark"),
        (["Why does Trotsky compare Stalin to Bonaparte?", "Why?"], "Question 2 is too short to discuss"),
        (["Is this " + "very " * 80 + "long?"], f"keep it under {MAX_QUESTION_CHARS}"),
        (["Does {author} agree?"], "Question 1 cannot be posted as written"),
        (["Is the the bureaucracy a class?"], "Question 1 cannot be posted as written"),
        (["Who wins in the end?", "who wins in the END?"], "Question 2 repeats question 1"),
    ],
)
def test_a_bad_list_of_questions_gets_one_sentence(typed, said):
    with pytest.raises(InvalidQuestionError) as refused:
        curation.clean_questions(typed)
    message = str(refused.value)
    assert said in message
    assert "\n" not in message and message.count(". ") == 0 and message.endswith(".")


def test_typed_questions_are_tidied_not_rewritten():
    typed = ["  1. why did  the\nparty give way?", "", "- Who gained from it?", "• Was it inevitable?"]
    assert curation.clean_questions(typed) == [
        "Why did the party give way?",
        "Who gained from it?",
        "Was it inevitable?",
    ]


# -- organisers' edits --------------------------------------------------------------------------------


def test_an_organisers_questions_are_the_next_post_and_every_later_group_of_the_server_gets_them(store):
    group = begin(store)
    shown = commands.study_questions(org(store))
    [edit] = [b for b in shown.buttons if b.label == "Edit questions"]
    assert edit.action == f"edit:{group.text_id}:1"
    form = commands.questions_form(org(store), group.text_id, 1)
    assert form.action == f"questions:{group.text_id}:1" and len(form.fields) == MAX_QUESTIONS
    generated = [f.value for f in form.fields if f.value]
    assert generated == list(posting.preview_next(store, group).questions)

    # Reorder, change one, keep one, add one, remove the rest.
    typed = [EDITED[0], generated[1], "", EDITED[1]]
    reply = commands.save_questions(org(store), group.text_id, 1, typed)
    assert reply.text.startswith("Saved 3 questions for passage 1")
    card = reply.cards[0].description
    assert "written by <@7>" in card and "generated, kept by <@7>" in card

    [(_, post)] = send_due(store, 4)
    assert list(post.questions) == [EDITED[0], generated[1], EDITED[1]]

    later = begin(store, channel=SECOND_CHANNEL)  # another group of the same server, same text
    [(_, theirs)] = [(d, p) for d, p in send_due(store, 5) if d.group_id == later.id]
    assert list(theirs.questions) == [EDITED[0], generated[1], EDITED[1]]

    elsewhere = begin(store, channel=FAR_CHANNEL, guild=OTHER_GUILD)  # another server: its own questions
    assert list(posting.preview_next(store, elsewhere).questions) == generated


def test_questions_survive_closing_and_reopening_the_file(store):
    group = begin(store)
    commands.save_questions(org(store), group.text_id, 1, EDITED)
    path = store.path
    store.close()
    reopened = Store(path)
    try:
        assert list(posting.preview_next(reopened, reopened.group_for_channel(CHANNEL)).questions) == EDITED
    finally:
        reopened.close()


def test_members_cannot_see_or_change_the_questions_and_bad_edits_save_nothing(store):
    group = begin(store)
    for attempt in (
        lambda: commands.study_questions(inv(store)),
        lambda: commands.questions_form(inv(store), group.text_id, 1),
        lambda: commands.save_questions(inv(store), group.text_id, 1, EDITED),
    ):
        with pytest.raises(PermissionDeniedError, match="Only organisers"):
            attempt()
    with pytest.raises(InvalidQuestionError):
        commands.save_questions(org(store), group.text_id, 1, [EDITED[0], "not a question"])
    assert store.server_questions(GUILD, group.text_id, 1) is None


def test_questions_of_a_given_passage_and_of_one_past_the_end(store):
    group = begin(store)
    shown = commands.study_questions(org(store), 5)
    assert shown.cards[0].title.startswith("Questions for passage 5 of")
    assert "Not posted here yet." in dict(shown.cards[0].fields)["This group"]
    with pytest.raises(NotFoundError, match="pick a number in that range"):
        commands.study_questions(org(store), 999)
    send_due(store, 4)
    posted = commands.study_questions(org(store), 1).cards[0]
    assert "Posted here on 2024-03-04" in dict(posted.fields)["This group"]
    assert group.id == store.group_for_channel(CHANNEL).id


# -- members' suggestions -----------------------------------------------------------------------------


def suggest(store, delivery_id, question="Would Lenin have agreed with Trotsky here?", user=ANNA):
    return commands.suggest_question(inv(store, user, now=at(4, 10)), delivery_id, question)


def test_a_suggestion_is_shown_in_the_thread_and_approving_it_serves_later_groups(store):
    group = begin(store)
    [(delivery, post)] = send_due(store, 4)
    form = commands.suggestion_form(inv(store), delivery.id)
    assert form.action == f"suggestion:{delivery.id}" and form.fields[0].required
    reply = suggest(store, delivery.id)
    assert reply.ephemeral and "thread" in reply.text
    notice = reply.notice
    assert notice.where == (delivery.thread_id, group.channel_id) and notice.message_id is None
    assert "Would Lenin have agreed with Trotsky here?" in notice.reply.text and "<@21>" in notice.reply.text
    [suggestion] = store.open_suggestions(group.id, 10)
    assert [b.action for b in notice.reply.buttons] == [f"approve:{suggestion.id}", f"decline:{suggestion.id}"]
    commands.notice_posted(store, suggestion.id, delivery.thread_id, 777)

    listed = commands.study_questions(org(store))
    assert f"approve:{suggestion.id}" in [b.action for b in listed.buttons]
    assert "Would Lenin have agreed" in dict(listed.cards[0].fields)["Suggestions waiting (1)"]

    with pytest.raises(PermissionDeniedError, match="Only organisers"):
        commands.decide_suggestion(inv(store, BEN), suggestion.id, True)
    assert store.suggestion_by_id(suggestion.id).status == "open"

    approved = commands.decide_suggestion(org(store, now=at(4, 11)), suggestion.id, True)
    assert approved.text.startswith("Approved")
    assert approved.notice.message_id == 777 and approved.notice.where == (delivery.thread_id,)
    assert "Approved by <@7>" in approved.notice.reply.text and approved.notice.reply.buttons == ()
    assert posted_questions(commands.today(inv(store, now=at(4, 12)))) == list(post.questions)  # the post stays

    later = begin(store, channel=SECOND_CHANNEL)
    upcoming = posting.preview_next(store, later).questions
    assert upcoming[0] == "Would Lenin have agreed with Trotsky here?" and len(upcoming) >= 2  # it leads
    origins = curation.current_questions(store, GUILD, store.passage(group.text_id, 1))
    own = origins[0].curated
    assert (origins[0].origin, own.source, own.author_id, own.approved_by) == ("server", "suggested", ANNA, ORGANISER)

    again = commands.decide_suggestion(org(store), suggestion.id, False)
    assert again.text == "This suggestion was already approved by <@7>."
    assert store.suggestion_by_id(suggestion.id).status == "approved"


def test_a_declined_suggestion_leaves_the_list_and_is_not_kept(store):
    group = begin(store)
    [(delivery, _)] = send_due(store, 4)
    suggest(store, delivery.id)
    [suggestion] = store.open_suggestions(group.id, 10)
    reply = commands.decide_suggestion(org(store), suggestion.id, False)
    assert reply.text.startswith("Declined") and reply.notice is None  # no message was recorded for it
    assert store.open_suggestions(group.id, 10) == []
    assert store.server_questions(GUILD, group.text_id, 1) is None
    assert "Suggestions waiting" not in dict(commands.study_questions(org(store), 1).cards[0].fields)


def test_approving_into_a_full_list_is_refused_and_changes_nothing(store):
    group = begin(store)
    full = [f"Is claim {n} in this passage convincing?" for n in range(1, MAX_QUESTIONS + 1)]
    commands.save_questions(org(store), group.text_id, 1, full)
    [(delivery, _)] = send_due(store, 4)
    suggest(store, delivery.id)
    [suggestion] = store.open_suggestions(group.id, 10)
    with pytest.raises(InvalidQuestionError, match=f"already has {MAX_QUESTIONS} questions"):
        commands.decide_suggestion(org(store), suggestion.id, True)
    assert store.suggestion_by_id(suggestion.id).status == "open"
    assert [q.text for q in store.server_questions(GUILD, group.text_id, 1).questions] == full


def test_suggestions_are_bounded_checked_and_not_repeated(store):
    group = begin(store)
    [(delivery, post)] = send_due(store, 4)
    with pytest.raises(InvalidQuestionError, match="already one of this passage's questions"):
        suggest(store, delivery.id, post.questions[0])
    with pytest.raises(InvalidQuestionError, match="does not end with a question mark"):
        suggest(store, delivery.id, "Lenin would have agreed")
    suggest(store, delivery.id, "Is this a fair reading of the NEP?")
    with pytest.raises(InvalidQuestionError, match="already suggested"):
        suggest(store, delivery.id, "is this a fair reading of the NEP?", user=BEN)
    for n in range(2, curation.MAX_OPEN_PER_MEMBER + 1):
        suggest(store, delivery.id, f"Is point {n} of this passage convincing?")
    with pytest.raises(InvalidQuestionError, match="suggestions waiting"):
        suggest(store, delivery.id, "Is the last point convincing at all?")
    assert store.count_open_suggestions(group.id, ANNA) == curation.MAX_OPEN_PER_MEMBER


def test_no_suggestion_from_a_button_on_another_posts_message(store):
    """An old Suggest button after a reshard may name another post of its channel: refused."""
    begin(store)
    [(monday, _)] = send_due(store, 4)
    [(tuesday, _)] = send_due(store, 5)
    with pytest.raises(NotFoundError, match="older message"):
        commands.suggestion_form(inv(store), tuesday.id, monday.message_id)
    with pytest.raises(NotFoundError, match="older message"):
        commands.suggest_question(inv(store), tuesday.id, "Is this a fair reading?", monday.message_id)
    assert commands.suggestion_form(inv(store), tuesday.id, tuesday.message_id)


def test_no_suggestions_for_a_post_of_an_ended_plan_or_another_server(store):
    begin(store)
    [(delivery, _)] = send_due(store, 4)
    with pytest.raises(NotFoundError):
        commands.suggest_question(inv(store, guild=OTHER_GUILD), delivery.id, "Is this a fair reading?")
    with pytest.raises(NotFoundError):
        commands.suggestion_form(inv(store), delivery.id + 100)
    commands.study_stop(org(store, now=at(4, 12)))
    with pytest.raises(NotFoundError, match="has ended"):
        suggest(store, delivery.id)


def test_every_reply_of_the_flows_is_one_sentence_or_fits_discord(store):
    """Refusals are StudyErrors (one sentence each); cards fit an embed."""
    group = begin(store)
    [(delivery, _)] = send_due(store, 4)
    for n in range(1, 6):
        suggest(store, delivery.id, f"Is point {n} of this long passage convincing to you?", user=100 + n)
    reply = commands.study_questions(org(store), 1)
    card = reply.cards[0]
    assert render.card_size(card) <= render.MESSAGE_EMBEDS_LIMIT and len(card.description) <= 4096
    assert all(len(value) <= 1024 for _, value in card.fields)
    assert len(reply.buttons) == 1 + 2 * commands.SHOWN_SUGGESTIONS
    assert "…and 1 more." in dict(card.fields)["Suggestions waiting (5)"]
    with pytest.raises(StudyError):
        commands.decide_suggestion(org(store), 9999, True)
    form = commands.questions_form(org(store), group.text_id, 1)
    assert len(form.title) <= 45 and all(len(f.label) <= 45 and len(f.placeholder) <= 100 for f in form.fields)


# -- studybot questions ----------------------------------------------------------------------------


def run_cli(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "questions", *args], env={"STUDYBOT_LLM_URL": ""})


def test_studybot_questions_shows_a_servers_own_questions_with_who_wrote_them(store):
    organiser = Invocation(store=store, guild_id=42, channel_id=10, user_id=7, is_organiser=True, now=at(4, 8))
    commands.study_start(organiser, "thermidor", "09:00", "UTC")
    group = store.group_for_channel(10)
    commands.save_questions(organiser, group.text_id, 2, ["Is Trotsky fair to the bureaucracy?"])
    [due] = posting.claim_due_posts(store, at(4, 10))  # 09:00 UTC
    posting.complete(store, due.delivery, 1, None, at(4, 10))
    member = dataclasses.replace(organiser, user_id=21, is_organiser=False)
    commands.suggest_question(member, due.delivery.id, "Would Lenin have agreed here?")
    commands.decide_suggestion(organiser, 1, True)

    listed = run_cli(store.path, "--server", "42")
    assert listed.exit_code == 0, listed.output
    assert "passage 1 of 15" in listed.output and "(before the generated questions)" in listed.output
    assert "Would Lenin have agreed here?\n     suggested by user 21, approved by user 7, 2024-03-04" in listed.output
    assert "passage 2 of 15" in listed.output and "(the post's whole list)" in listed.output
    assert "Is Trotsky fair to the bureaucracy?\n     written by user 7, 2024-03-04" in listed.output

    one = run_cli(store.path, "thermidor", "--passage", "1", "--server", "42", "--json")
    [first, *generated] = json.loads(one.output)[0]["questions"]
    assert first["text"] == "Would Lenin have agreed here?" and first["server"]["source"] == "suggested"
    assert generated and all("server" not in q for q in generated)
    elsewhere = run_cli(store.path, "thermidor", "--passage", "1", "--json")  # no server: the templates alone
    assert "Would Lenin" not in elsewhere.output
    assert run_cli(store.path, "--server", "43").output.strip() == "Server 43 has no questions of its own yet."
    assert run_cli(store.path).exit_code != 0
