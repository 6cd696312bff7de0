"""Each server's own library, at the core: a text an organiser adds belongs to their server; the
other server never sees it, its title, its words or its passages, whatever it types or forges;
quotas, duplicates, removal while a plan reads it, renaming.

Every read path is checked from both sides: the server that added the text finds it, the other
one gets exactly what it would get if the text did not exist.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from bot import commands, library_commands, search
from bot.commands import Invocation
from bot.config import LibraryLimits, load_settings
from bot.errors import NotFoundError, PermissionDeniedError, StudyError
from bot.questions.analysis import analyse_passage
from bot.texts.server_library import ProgressLine, QuotaError, Upload
from tests.conftest import CORPUS
from tests.helpers import ORGANISER, assert_fits, at

HOME, AWAY = 101, 202  # the server that adds the text, and another one
HOME_ROOM, AWAY_ROOM = 1010, 2020
READER = 55


def ledger(words: str = "zorblax", title: str = "The Quarryman's Ledger", author: str = "Zeno Quarry") -> bytes:
    """A short book of its own: a title, an author, two chapters, words no other text has."""
    chapter = (
        f"The {words} granite of the north quarry splits along its grain when the wedges are driven "
        "evenly, and the quarrymen keep a ledger of every block they cut, its weight and its buyer. "
    ) * 6
    body = "\n\n".join(f"{chapter} Block {n} went to the cathedral masons at Quillonby." for n in range(6))
    return f"---\ntitle: {title}\nauthor: {author}\n---\n# Cutting\n\n{body}\n\n# Selling\n\n{body}\n".encode()


def as_member(store, guild, *, organiser=False, channel=None, user=READER, limits=None) -> Invocation:
    return Invocation(
        store=store,
        guild_id=guild,
        channel_id=channel or (HOME_ROOM if guild == HOME else AWAY_ROOM),
        user_id=ORGANISER if organiser else user,
        is_organiser=organiser,
        now=at(4, 8),
        limits=limits or LibraryLimits(),
    )


def add(store, guild=HOME, data=None, name="ledger.md", **options):
    return library_commands.add(as_member(store, guild, organiser=True), Upload(name, data or ledger()), **options)


@pytest.fixture
def added(store):
    add(store)
    [text] = store.server_texts(HOME)
    return text


# -- the server that added it -----------------------------------------------------------------------


def test_the_added_text_gets_a_card_with_its_facts_and_a_start_button(store):
    reply = add(store)
    assert_fits(reply)
    card = reply.cards[0]
    assert card.title == "The Quarryman's Ledger" and "by Zeno Quarry" in card.description
    facts = dict(card.fields)
    assert facts["Sections"] == "2" and int(facts["Passages"]) >= 2
    assert "one passage a day" in facts["Reading time"]
    assert "zorblax granite of the north quarry" in card.description  # the opening lines
    [button] = reply.buttons
    assert button.label == "Start a plan" and button.action.startswith("plan:")


def test_title_and_author_given_override_the_files(store):
    add(store, title="Ledger of the North Quarry", author="The Quarrymen's Guild")
    [mine] = store.server_texts(HOME)
    assert (mine.meta.title, mine.meta.author) == ("Ledger of the North Quarry", "The Quarrymen's Guild")


def test_the_server_sees_its_text_on_every_path(store, added):
    me = as_member(store, HOME)
    assert "The Quarryman's Ledger" in commands.texts(me).cards[0].description
    found = search.search(me.store, "zorblax granite")
    assert found.hits and found.hits[0].passage.text_id == added.id
    assert "Quarryman" in commands.passage(me, 1, "ledger").cards[0].footer
    assert commands.search_context(me, found.hits[0].paragraph_id).cards
    form = library_commands.plan_form(as_member(store, HOME, organiser=True), added.id)
    assert dict((f.key, f.value) for f in form.fields)["text"] == added.slug
    started = library_commands.start_plan(
        as_member(store, HOME, organiser=True),
        {"text": added.slug, "time": "09:00", "timezone": "Europe/Berlin", "weekdays": "daily", "pace": "2"},
    )
    assert started.text == "The reading plan is set."
    assert store.group_for_channel(HOME_ROOM).text_id == added.id


# -- the other server -------------------------------------------------------------------------------


def _same_as_for_a_word_no_text_has(store, typed: str, nonsense: str) -> None:
    away = as_member(store, AWAY).store
    theirs, none = search.search(away, typed), search.search(away, nonsense)
    assert theirs.hits == none.hits == ()
    expected = none.notice
    for mine, other in zip(re.findall(r"\w+", typed), re.findall(r"\w+", nonsense)):
        expected = expected.replace(other, mine)
    # The prefix a notice suggests is cut from the word typed, as long as that word: left out.
    assert re.sub(r"such as [^*]*\*", "", theirs.notice) == re.sub(r"such as [^*]*\*", "", expected)


def test_another_server_finds_nothing_of_it_whatever_it_types(store, added):
    _same_as_for_a_word_no_text_has(store, "zorblax", "qwfpgj")
    _same_as_for_a_word_no_text_has(store, "zorbl*", "qwfpg*")  # a prefix expands to no word of it
    _same_as_for_a_word_no_text_has(store, "zorblaks", "qwfpgjks")  # no correction to its words
    _same_as_for_a_word_no_text_has(store, "quillonby", "qwfpgjby")
    _same_as_for_a_word_no_text_has(store, '"zorblax granite"', '"qwfpgj granite"')
    away = as_member(store, AWAY)

    def refusal(name: str) -> str:
        with pytest.raises(NotFoundError) as refused:
            search.search(away.store, "granite", text=name)
        return str(refused.value)

    for name in ("ledger", "quarryman", "zeno", added.slug):
        assert refusal(name) == refusal("qwfpgj").replace("qwfpgj", name)
    text_list = commands.texts(away).cards[0].description
    assert "Quarry" not in text_list and "added here" not in text_list


def test_another_server_cannot_reach_it_by_name_or_by_a_forged_id(store, added):
    away, organiser = as_member(store, AWAY), as_member(store, AWAY, organiser=True)
    paragraph = search.search(as_member(store, HOME).store, "zorblax").hits[0].paragraph_id
    attempts = [
        lambda: commands.passage(away, 1, added.slug),
        lambda: commands.passage(away, 1, "ledger"),
        lambda: commands.search_context(away, paragraph),
        lambda: commands.study_start(organiser, added.slug, "09:00", "UTC"),
        lambda: commands.questions_form(organiser, added.id, 1),
        lambda: commands.save_questions(organiser, added.id, 1, ["Is granite better than marble here?"]),
        lambda: library_commands.plan_form(organiser, added.id),
        lambda: library_commands.remove(organiser, added.slug),
        lambda: library_commands.rename(organiser, added.slug, "Mine now"),
    ]
    for attempt in attempts:
        with pytest.raises(StudyError) as refused:
            attempt()
        assert "Quarry" not in str(refused.value) and "zorblax" not in str(refused.value)
    assert store.server_questions(AWAY, added.id, 1) is None
    assert store.text_by_id(added.id).meta.title == "The Quarryman's Ledger"
    assert store.group_for_channel(AWAY_ROOM) is None


def test_the_other_servers_own_texts_stay_hidden_the_other_way_too(store, added):
    add(store, AWAY, ledger("vrenkolt", "The Miller's Ledger", "Mara Miller"), name="mill.md")
    home, away = as_member(store, HOME).store, as_member(store, AWAY).store
    assert search.search(home, "vrenkolt").hits == () and search.search(away, "vrenkolt").hits
    assert search.search(away, "zorblax").hits == () and search.search(home, "zorblax").hits
    assert {t.meta.title for t in home.texts()} - {t.meta.title for t in away.texts()} == {"The Quarryman's Ledger"}
    assert store.view(None).texts() == [t for t in away.texts() if t.guild_id is None]


def test_a_shared_passage_connects_only_to_texts_its_server_sees(store):
    """Server HOME adds a close copy of a bundled passage under another author: its groups may be
    pointed to it; the other server's never."""
    bundled = store.passage(store.view(None).texts()[0].id, 3)
    copy = f"---\ntitle: A Commentary\nauthor: Someone Else\n---\n# Notes\n\n{bundled.body}\n".encode()
    add(store, data=copy, name="commentary.md")
    [commentary] = store.server_texts(HOME)
    at_home = analyse_passage(store.view(HOME), bundled).connection
    away = analyse_passage(store.view(AWAY), bundled).connection
    assert at_home is not None and at_home.passage.text_id == commentary.id
    assert away is None or away.passage.text_id != commentary.id


# -- bounds and mistakes ----------------------------------------------------------------------------


def test_a_full_library_says_so_and_adds_nothing(store):
    two = LibraryLimits(server_texts=1)
    add(store, data=ledger())
    before = store.library_fingerprint()
    with pytest.raises(QuotaError, match=r"full \(1 of 1 texts.*/library remove"):
        library_commands.add(as_member(store, HOME, organiser=True, limits=two), Upload("b.md", ledger("brixel")))
    small = LibraryLimits(server_bytes=10_000)
    with pytest.raises(QuotaError, match="does not fit"):
        library_commands.add(as_member(store, AWAY, organiser=True, limits=small), Upload("b.md", ledger("brixel")))
    assert store.library_fingerprint() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(store):
    tiny = LibraryLimits(upload_bytes=1000)
    with pytest.raises(StudyError, match=r"ledger.md is .* MB; files up to"):
        library_commands.add(as_member(store, HOME, organiser=True, limits=tiny), Upload("ledger.md", ledger()))
    assert store.server_texts(HOME) == []


def test_the_same_file_twice_is_refused_with_where_it_is(store, added):
    with pytest.raises(StudyError, match=r"already in this server's library, as The Quarryman's Ledger"):
        add(store)
    bundled = sorted(CORPUS.glob("*.txt"))[0]
    with pytest.raises(StudyError, match=r"already in the shared library, as"):
        add(store, data=bundled.read_bytes(), name=bundled.name)


def test_unreadable_files_get_one_sentence_and_change_nothing(store):
    before = store.library_fingerprint()
    for name, data, said in [
        ("notes.docx", b"PK\x03\x04 not a book", "studybot reads .txt, .md, .epub, .pdf and .html"),
        ("empty.txt", b"   \n", "empty"),
        ("../../etc/passwd.md", b"\x00\x01\x02\x03" * 100, "binary"),
    ]:
        with pytest.raises(StudyError, match=said):
            add(store, data=data, name=name)
    assert store.library_fingerprint() == before and store.server_texts(HOME) == []


def test_members_cannot_change_the_library(store, added):
    member = as_member(store, HOME)
    for attempt in (
        lambda: library_commands.add(member, Upload("x.md", ledger("plumbix"))),
        lambda: library_commands.list_texts(member),
        lambda: library_commands.remove(member, added.slug),
        lambda: library_commands.rename(member, added.slug, "Other"),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()


# -- listing, renaming, removing --------------------------------------------------------------------


def test_list_shows_the_servers_own_texts_and_the_room_left(store, added):
    reply = library_commands.list_texts(as_member(store, HOME, organiser=True))
    card = reply.cards[0]
    assert "The Quarryman's Ledger" in card.description and card.footer.startswith("1 of 20 texts")
    away = library_commands.list_texts(as_member(store, AWAY, organiser=True)).cards[0]
    assert "Quarry" not in away.description and away.footer.startswith("0 of 20 texts")


def test_rename_changes_the_title_everywhere_the_server_sees_it(store, added):
    reply = library_commands.rename(as_member(store, HOME, organiser=True), "ledger", "  The  Ledger ", "Z. Q.")
    assert reply.text == "Renamed: The Ledger (Z. Q.)."
    assert "The Ledger" in commands.texts(as_member(store, HOME)).cards[0].description
    with pytest.raises(NotFoundError, match="shared library, which only the bot's host can change"):
        library_commands.rename(as_member(store, HOME, organiser=True), "thermidor", "Mine")


def test_removing_an_unread_text_takes_it_out_at_once(store, added):
    reply = library_commands.remove(as_member(store, HOME, organiser=True), "ledger")
    assert reply.text == "Removed The Quarryman's Ledger from this server's library."
    home = as_member(store, HOME).store
    assert search.search(home, "zorblax").hits == () and store.server_texts(HOME) == []
    assert store.query("SELECT count(*) FROM text_words")[0][0] == 0
    assert store.query("SELECT count(*) FROM words WHERE word = 'zorblax'")[0][0] == 0


def test_a_text_being_read_stays_until_that_plan_ends(store, added):
    organiser = as_member(store, HOME, organiser=True)
    commands.study_start(organiser, added.slug, "09:00", "Europe/Berlin")
    reply = library_commands.remove(organiser, added.slug)
    assert f"being read in <#{HOME_ROOM}>, so it stays until that plan ends" in reply.text
    assert commands.today(as_member(store, HOME)).text.startswith("Nothing has been posted yet")
    listed = library_commands.list_texts(organiser).cards[0].description
    assert "removed; kept until the plan in" in listed
    with pytest.raises(NotFoundError):  # no new plan on it
        commands.study_start(dataclasses.replace(organiser, channel_id=4040), added.slug, "09:00", "UTC")
    stopped = commands.study_stop(organiser)
    assert "It was removed from the library, as an organiser asked." in stopped.text
    assert store.text_by_id(added.id) is None and store.server_usage(HOME) == (0, 0)


# -- what the organiser sees while it reads, and the host's settings ---------------------------------


def test_the_progress_line_says_which_chapter_or_page_is_being_read():
    line = ProgressLine()
    line.reading("book.epub", 6, 21, "chapter")
    assert line.line == "Reading chapter 7 of 21 …"
    line.reading("paper.pdf", 3, 3, "page")
    assert line.line == "Reading page 3 of 3 …"
    line.indexing()
    assert line.line == "Adding it to the search index …"


def test_the_limits_come_from_the_environment(tmp_path, monkeypatch, caplog):
    for name, value in {"STUDYBOT_UPLOAD_MB": "8", "STUDYBOT_SERVER_TEXTS": "3", "STUDYBOT_SERVER_MB": "a lot"}.items():
        monkeypatch.setenv(name, value)
    limits = load_settings(tmp_path / "none.env").library
    assert (limits.upload_bytes, limits.server_texts) == (8 * 1024 * 1024, 3)
    assert limits.server_bytes == LibraryLimits().server_bytes and "STUDYBOT_SERVER_MB='a lot'" in caplog.text
