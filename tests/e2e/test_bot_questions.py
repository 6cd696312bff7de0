"""Questions a group can fix, end to end against the fake Discord: an organiser edits the next
post's questions in a modal; a member presses Suggest a question on a post; organisers approve
or decline in the post's thread; members are refused; all of it survives a restart; and /today
shows the questions a post went out with after the templates change.

Every answer is checked against Discord's 3 s (`answer_of`).
"""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta

from bot import commands as core
from bot.questions import generate
from tests.e2e.conftest import (
    WINTER_MONDAY,
    SteppingClock,
    answer_of,
    components_of,
    posts_in,
    slash,
    start_plan,
    step,
    text_of,
)

NINE_IN_BERLIN = WINTER_MONDAY.replace(hour=8)
EDITED = ["Is Trotsky's comparison with Thermidor a fair one?", "Who gained most from the bureaucracy's rise?"]
SUGGESTED = "Would Lenin have accepted Trotsky's account of the bureaucracy here?"


async def press(fake, message: dict, custom_id: str, user_id: int) -> dict:
    """A user presses a button; the answer they see (a modal's data, for a form)."""
    return await answer_of(fake, await fake.click(message, custom_id, user_id))


async def submit(fake, shown: dict, values: dict[str, str], user_id: int) -> dict:
    return await answer_of(fake, await fake.submit_modal(shown["_handle"], values, user_id))


def button(message: dict, label: str) -> dict:
    return next(c for c in components_of(message) if c["label"] == label)


def questions_of(message: dict) -> list[str]:
    card = next(e for e in message["embeds"] if e["title"] == "For discussion")
    return [line.split(". ", 1)[1] for line in card["description"].splitlines()]


def boxes(modal: dict) -> dict[str, str]:
    """The modal's text boxes and what they hold, whatever the layout (rows or labels)."""
    found = {}
    for row in modal["components"]:
        for box in row.get("components") or [row.get("component") or {}]:
            found[box["custom_id"]] = box.get("value") or ""
    return found


async def notice_in(fake, thread_id: int, text: str) -> dict:
    """The bot's message in a thread that mentions `text` (it is sent after the answer)."""

    def find():
        return next((m for m in fake.messages(thread_id) if text in (m.get("content") or "")), None)

    return await fake.wait_for(find, 5, f"a message about {text!r} in thread {thread_id}")


async def first_post(fake, launch, store, room: int):
    group = start_plan(store, fake.world.guild_id, room)
    bot = await launch()
    await step(fake, bot, NINE_IN_BERLIN)
    [post] = posts_in(fake, room)
    return bot, group, post


# -- organisers -------------------------------------------------------------------------------------


async def test_an_organiser_edits_the_next_posts_questions_in_a_modal(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    bot = await launch()

    shown = await slash(fake, room, w.organiser.id, "study", "questions")
    assert shown["_ephemeral"] and "Questions for passage 1 of 15" in text_of(shown)
    edit = button(shown, "Edit questions")
    assert edit["custom_id"] == f"studybot:edit:{group.text_id}:1"

    modal = await press(fake, shown, edit["custom_id"], w.organiser.id)
    assert modal["_handle"].response_type == 9 and modal["title"] == "Questions for passage 1"
    before = boxes(modal)
    assert list(before) == ["q1", "q2", "q3", "q4"]
    generated = [v for v in before.values() if v]
    assert 2 <= len(generated) <= 4 and before["q4"] == ""

    # Replace the first, keep the second, remove the third, add a fourth.
    saved = await submit(fake, modal, {"q1": EDITED[0], "q3": "", "q4": EDITED[1]}, w.organiser.id)
    assert saved["_ephemeral"] and saved["content"].startswith("Saved 3 questions for passage 1")
    assert "written by <@" in text_of(saved) and "generated, kept by <@" in text_of(saved)

    await step(fake, bot, NINE_IN_BERLIN)
    [post] = posts_in(fake, room)
    assert questions_of(post) == [EDITED[0], generated[1], EDITED[1]]

    # Another group of the same server reading the same text gets them too.
    second = fake.add_text_channel("second-group").id
    start_plan(store, w.guild_id, second, now=NINE_IN_BERLIN)
    await step(fake, bot, NINE_IN_BERLIN + timedelta(days=1))
    [theirs] = posts_in(fake, second)
    assert questions_of(theirs) == [EDITED[0], generated[1], EDITED[1]]


async def test_a_bad_edit_gets_one_sentence_and_saves_nothing(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    await launch()
    shown = await slash(fake, room, w.organiser.id, "study", "questions")
    modal = await press(fake, shown, button(shown, "Edit questions")["custom_id"], w.organiser.id)
    refused = await submit(fake, modal, {"q2": "Trotsky is right"}, w.organiser.id)
    assert refused["_ephemeral"]
    assert refused["content"] == "Question 2 does not end with a question mark; nothing was saved."
    assert store.server_questions(w.guild_id, group.text_id, 1) is None


async def test_members_cannot_see_or_use_the_organisers_questions(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    group = start_plan(store, w.guild_id, room)
    await launch()
    # Discord hides /study from members; a server that shows it still gets a refusal.
    handle = await fake.invoke_slash(
        w.guild_id, room, w.reader.id, "study", subcommand="questions", bypass_permissions=True
    )
    refused = await answer_of(fake, handle)
    assert refused["_ephemeral"] and refused["content"].startswith("Only organisers")
    # Discord shows the organiser's reply to them alone; were its Edit button pressed by a member,
    # the bot would still show no form.
    shown = await slash(fake, room, w.organiser.id, "study", "questions")
    pressed = await press(fake, shown, button(shown, "Edit questions")["custom_id"], w.reader.id)
    assert pressed["_handle"].response_type == 4 and pressed["content"].startswith("Only organisers")
    assert store.server_questions(w.guild_id, group.text_id, 1) is None


# -- members' suggestions ---------------------------------------------------------------------------


async def test_a_member_suggests_a_question_and_an_organiser_approves_it_in_the_thread(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    bot, group, post = await first_post(fake, launch, store, room)
    suggest = button(post, "Suggest a question")

    modal = await press(fake, post, suggest["custom_id"], w.reader.id)
    assert modal["title"] == "Suggest a question" and list(boxes(modal)) == ["question"]
    thanks = await submit(fake, modal, {"question": SUGGESTED}, w.reader.id)
    assert thanks["_ephemeral"] and thanks["content"].startswith("Thanks")

    notice = await notice_in(fake, int(post["id"]), SUGGESTED)  # the post's thread has the post's id
    assert f"<@{w.reader.id}>" in notice["content"]
    approve, decline = components_of(notice)
    assert (approve["label"], decline["label"]) == ("Approve", "Decline")

    # A member may discuss it but not decide on it.
    refused = await press(fake, notice, approve["custom_id"], w.reader.id)
    assert refused["_ephemeral"] and refused["content"] == (
        "Only organisers (members with Manage Server) can approve or decline suggested questions."
    )
    [waiting] = store.open_suggestions(group.id, 10)

    approved = await press(fake, notice, approve["custom_id"], w.organiser.id)
    assert approved["_ephemeral"] and approved["content"].startswith("Approved")
    updated = await fake.wait_for(
        lambda: (m := fake.message(notice["id"])) and "Approved by" in m["content"] and m, 5, "the notice updated"
    )
    assert components_of(updated) == [] and SUGGESTED in updated["content"]
    assert store.suggestion_by_id(waiting.id).status == "approved"
    assert questions_of(fake.message(post["id"])) == questions_of(post)  # the post itself is not rewritten

    # A later group of this server gets it first, at that passage.
    second = fake.add_text_channel("second-group").id
    start_plan(store, w.guild_id, second, now=NINE_IN_BERLIN)
    await step(fake, bot, NINE_IN_BERLIN + timedelta(days=1))
    [theirs] = posts_in(fake, second)
    assert questions_of(theirs)[0] == SUGGESTED


async def test_an_organiser_declines_from_the_list_and_the_thread_says_so(fake, launch, store):
    w = fake.world
    room = w.reading_room.id
    _, group, post = await first_post(fake, launch, store, room)
    modal = await press(fake, post, button(post, "Suggest a question")["custom_id"], w.reader.id)
    await submit(fake, modal, {"question": SUGGESTED}, w.reader.id)
    notice = await notice_in(fake, int(post["id"]), SUGGESTED)
    [waiting] = store.open_suggestions(group.id, 10)

    listed = await slash(fake, room, w.organiser.id, "study", "questions", passage=1)
    assert "Suggestions waiting (1)" in text_of(listed) and SUGGESTED in text_of(listed)
    declined = await press(fake, listed, f"studybot:decline:{waiting.id}", w.organiser.id)
    assert declined["_ephemeral"] and declined["content"].startswith("Declined")
    await fake.wait_for(lambda: "Declined by" in fake.message(notice["id"])["content"], 5, "the notice updated")
    assert components_of(fake.message(notice["id"])) == []
    assert store.open_suggestions(group.id, 10) == []
    assert store.server_questions(w.guild_id, group.text_id, 1) is None
    again = await slash(fake, room, w.organiser.id, "study", "questions", passage=1)
    assert "Suggestions waiting" not in text_of(again)


async def test_buttons_and_open_forms_keep_working_across_restarts(fake, launch, store):
    """A form opened before a restart is still accepted after it; the thread's Approve button
    and an organiser's Edit button answer for the new bot."""
    w = fake.world
    room = w.reading_room.id
    first, group, post = await first_post(fake, launch, store, room)
    suggest_form = await press(fake, post, button(post, "Suggest a question")["custom_id"], w.reader.id)
    shown = await slash(fake, room, w.organiser.id, "study", "questions", passage=2)
    await first.close()

    second = await launch(store.path, SteppingClock(NINE_IN_BERLIN + timedelta(hours=1)))
    thanks = await submit(fake, suggest_form, {"question": SUGGESTED}, w.reader.id)
    assert thanks["content"].startswith("Thanks")
    notice = await notice_in(fake, int(post["id"]), SUGGESTED)
    [waiting] = second.store.open_suggestions(group.id, 10)
    edit_form = await press(fake, shown, button(shown, "Edit questions")["custom_id"], w.organiser.id)
    assert edit_form["_handle"].response_type == 9
    await second.close()

    third = await launch(store.path, SteppingClock(NINE_IN_BERLIN + timedelta(hours=2)))
    approved = await press(fake, notice, button(notice, "Approve")["custom_id"], w.organiser.id)
    assert approved["content"].startswith("Approved")
    saved = await submit(fake, edit_form, {"q1": EDITED[0], "q2": EDITED[1], "q3": "", "q4": ""}, w.organiser.id)
    assert saved["content"].startswith("Saved 2 questions for passage 2")
    await fake.wait_for(lambda: "Approved by" in fake.message(notice["id"])["content"], 5, "the notice updated")

    await step(fake, third, NINE_IN_BERLIN + timedelta(days=1))
    assert questions_of(posts_in(fake, room)[-1]) == EDITED
    assert third.store.suggestion_by_id(waiting.id).status == "approved"


# -- what was posted stays posted --------------------------------------------------------------------


async def test_today_shows_the_posted_questions_after_the_templates_change(fake, launch, store, monkeypatch):
    w = fake.world
    room = w.reading_room.id
    _, group, post = await first_post(fake, launch, store, room)
    posted = questions_of(post)

    real = generate.load_templates

    def changed(*args, **kwargs):
        return {
            kind: tuple(dataclasses.replace(t, text="Now then: " + t.text) for t in templates)
            for kind, templates in real(*args, **kwargs).items()
        }

    monkeypatch.setattr(generate, "load_templates", changed)
    regenerated = [q.text for q in generate.generate_questions(store, store.passage(group.text_id, 1))]
    assert regenerated != posted and all(q.startswith("Now then: ") for q in regenerated)

    today = await slash(fake, room, w.reader.id, "today")
    assert questions_of(today) == posted
    catchup = await slash(fake, room, w.reader.id, "catchup")
    assert all(f"• {q}" in text_of(catchup) for q in posted)


async def test_a_form_too_slow_to_prepare_is_answered_in_time_with_a_sentence(fake, launch, store, monkeypatch):
    """A modal must be the first answer and cannot follow a deferral: when the core is slow to
    fill the Edit form, the organiser is told to press again, within Discord's 3 s."""
    w = fake.world
    room = w.reading_room.id
    start_plan(store, w.guild_id, room)
    await launch()
    shown = await slash(fake, room, w.organiser.id, "study", "questions")
    real = core.questions_form

    def slow_form(*args):
        time.sleep(2.8)
        return real(*args)

    monkeypatch.setattr(core, "questions_form", slow_form)
    pressed = await press(fake, shown, button(shown, "Edit questions")["custom_id"], w.organiser.id)
    assert pressed["_handle"].response_type == 4 and pressed["_ephemeral"]
    assert pressed["content"] == "Preparing that form took too long; please press the button again."
    monkeypatch.setattr(core, "questions_form", real)
    again = await press(fake, shown, button(shown, "Edit questions")["custom_id"], w.organiser.id)
    assert again["_handle"].response_type == 9
