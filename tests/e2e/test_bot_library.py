"""/library against the fake Discord: organisers add an EPUB, a PDF and a web page (served on
loopback), see the reading progress and the text's card, start a plan from its button; bad
inputs each get their sentence with the library unchanged; and two servers, each with texts of
its own, never see the other's on any read path, in either direction.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web

from bot.config import LibraryLimits
from tests.documents import (
    FIXTURES,
    SCRIPTS_ONLY,
    XHTML,
    article_html,
    article_pdf,
    manifesto_epub,
    scanned_pdf,
    zip_epub,
)
from tests.e2e.conftest import WINTER_MONDAY, answer_of, components_of, posts_in, step, text_of
from tests.test_formats_epub import _bad_epubs
from tests.test_formats_pdf import BAD_PDFS
from tests.test_server_library import ledger

LOOPBACK = LibraryLimits(fetch_allow_hosts=frozenset({"127.0.0.1"}))
SPEC = FIXTURES / "shared-mime-info-spec" / "shared-mime-info-spec.pdf"
NINE_IN_BERLIN = WINTER_MONDAY.replace(hour=8)


@dataclass
class Member:
    """Someone acting in one server's channel."""

    guild_id: int
    channel_id: int
    user_id: int


@pytest_asyncio.fixture
async def site():
    """A small web site on loopback: an article, a page of scripts only, a picture."""
    pages = {
        "/article": (article_html(), "text/html"),
        "/app": (SCRIPTS_ONLY, "text/html"),
        "/logo.png": (b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png"),
    }

    async def page(request: web.Request) -> web.Response:
        body, kind = pages[request.path]
        return web.Response(body=body, content_type=kind)

    app = web.Application()
    for path in pages:
        app.router.add_get(path, page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    server = web.TCPSite(runner, "127.0.0.1", 0)
    await server.start()
    yield f"http://127.0.0.1:{server._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    await runner.cleanup()


def organiser(fake) -> Member:
    w = fake.world
    return Member(w.guild_id, w.reading_room.id, w.organiser.id)


async def command(fake, who: Member, name: str, subcommand: str | None = None, **options: Any) -> dict:
    handle = await fake.invoke_slash(
        who.guild_id,
        who.channel_id,
        who.user_id,
        name,
        options={k: v for k, v in options.items() if v is not None},
        subcommand=subcommand,
    )
    return await answer_of(fake, handle)


async def library_add(fake, who: Member, timeout: float = 60, **options: Any) -> tuple[dict, list[str]]:
    """/library add, answered at once (deferred), then edited with progress lines (returned, in
    order) until the card, or a sentence saying why not."""
    handle = await fake.invoke_slash(
        who.guild_id, who.channel_id, who.user_id, "library", options=options, subcommand="add"
    )
    await handle.response(timeout=3)
    assert handle.response_type == 5 and handle.ephemeral and not handle.expired, "deferred within 3 s, privately"
    lines: list[str] = []

    def final():
        message = handle.original
        if message is None:
            return None
        content = message.get("content") or ""
        if content and content not in lines:
            lines.append(content)
        if message.get("embeds") or (content and not content.endswith("…")):
            return message
        return None

    message = await fake.wait_for(final, timeout, "the card of the text added, or why not")
    return message, [line for line in lines if line != message.get("content")]


def facts(card: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in card["embeds"][0]["fields"]}


# -- adding an EPUB, a PDF and a web page -------------------------------------------------------------


async def test_an_epub_a_pdf_and_a_web_page_each_become_a_text(fake, launch, store, site):
    await launch(limits=LOOPBACK)
    me = organiser(fake)
    books = [
        (
            {"file": fake.attach("communist-manifesto.epub", manifesto_epub())},
            "The Communist Manifesto",
            "Karl Marx and Friedrich Engels",
        ),
        ({"file": fake.attach("shared-mime-info-spec.pdf", SPEC.read_bytes())}, "Shared MIME-info Database", None),
        ({"file": fake.attach("councils.pdf", article_pdf())}, "Councils and Parties in 1917", "Ada Lovelace"),
        ({"url": f"{site}/article"}, "On the Commune", "Jane Roe"),
    ]
    for options, title, author in books:
        card, _ = await library_add(fake, me, **options)
        embed = card["embeds"][0]
        assert embed["title"] == title, text_of(card)
        if author:
            assert embed["description"].startswith(f"by {author}")
        about = facts(card)
        assert int(about["Passages"]) >= 1 and int(about["Sections"]) >= 1 and "posts" in about["Reading time"]
        assert [c["label"] for c in components_of(card)] == ["Start a plan"]
    mine = {t.meta.title: t for t in store.server_texts(me.guild_id)}
    assert set(mine) == {title for _, title, _ in books}
    sections = [p.section for p in store.passages_of(mine["The Communist Manifesto"].id)]
    assert "I: Bourgeois and Proletarians" in sections and not any("Colophon" in s for s in sections)
    commune = "\n".join(p.body for p in store.passages_of(mine["On the Commune"].id))
    assert "seventy-two days" in commune and "NAV-HOME" not in commune and "ADVERT-TEXT" not in commune


def long_epub(chapters: int = 40, paragraphs: int = 150) -> bytes:
    """A book of `chapters` chapters of `paragraphs` paragraphs of varied words: some seconds of work."""
    rng = random.Random(7)
    words = "bread rents councils delegates argued night city defence parties decrees walls vote strike".split()
    items, refs, files = [], [], {}
    for c in range(1, chapters + 1):
        body = f"<h2>Chapter {c}</h2>" + "".join(
            "<p>" + " ".join(rng.choice(words) for _ in range(90)) + ".</p>" for _ in range(paragraphs)
        )
        files[f"OEBPS/c{c}.xhtml"] = XHTML.format(title=f"Chapter {c}", body=body)
        items.append(f'<item id="c{c}" href="c{c}.xhtml" media-type="application/xhtml+xml"/>')
        refs.append(f'<itemref idref="c{c}"/>')
    files["OEBPS/content.opf"] = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>The Long Debate</dc:title>'
        "<dc:creator>Ada Lovelace</dc:creator><dc:language>en</dc:language>"
        '<dc:identifier id="id">urn:x</dc:identifier></metadata>'
        f"<manifest>{''.join(items)}</manifest><spine>{''.join(refs)}</spine></package>"
    )
    return zip_epub(files)


PROGRESS = re.compile(
    r"Reading the file …|Reading chapter \d+ of 40 …|Cutting it into passages …|Adding it to the search index …"
)


async def test_a_long_book_shows_where_the_reading_is_until_its_card(fake, launch, store):
    await launch()
    card, lines = await library_add(fake, organiser(fake), file=fake.attach("long.epub", long_epub()))
    assert card["embeds"][0]["title"] == "The Long Debate" and facts(card)["Sections"] == "40"
    assert lines, "the reply said where the reading was before the card came"
    assert all(PROGRESS.fullmatch(line) for line in lines), lines


# -- starting a plan from the card --------------------------------------------------------------------


async def test_start_a_plan_opens_the_start_dialog_filled_in_with_the_text(fake, launch, store):
    bot = await launch()
    me = organiser(fake)
    card, _ = await library_add(fake, me, file=fake.attach("ledger.md", ledger()))
    [start] = components_of(card)
    modal = await answer_of(fake, await fake.click(card, start["custom_id"], me.user_id))
    assert modal["_handle"].response_type == 9 and modal["title"].startswith("Start reading The Quarryman")
    boxes = {
        c["custom_id"]: c.get("value") or ""
        for row in modal["components"]
        for c in row.get("components") or [row.get("component")]
    }
    assert boxes["text"] == "ledger" and boxes["weekdays"] == "daily" and boxes["pace"] == "1"
    started = await answer_of(
        fake, await fake.submit_modal(modal["_handle"], {"time": "09:00", "timezone": "Europe/Berlin"})
    )
    assert not started["_ephemeral"] and started["content"] == "The reading plan is set."
    group = store.group_for_channel(me.channel_id)
    assert store.get_text(group.text_id).meta.title == "The Quarryman's Ledger"
    await step(fake, bot, NINE_IN_BERLIN)
    [post] = posts_in(fake, me.channel_id)
    assert "zorblax" in text_of(post)


async def test_a_text_being_read_is_removed_when_its_plan_ends(fake, launch, store):
    await launch()
    me = organiser(fake)
    await library_add(fake, me, file=fake.attach("ledger.md", ledger()))
    await command(fake, me, "study", "start", text="ledger", time="09:00", timezone="Europe/Berlin")
    removing = await command(fake, me, "library", "remove", text="ledger")
    assert (
        removing["_ephemeral"]
        and f"being read in <#{me.channel_id}>, so it stays until that plan ends" in removing["content"]
    )
    assert "removed; kept until the plan" in text_of(await command(fake, me, "library", "list"))
    stopped = await command(fake, me, "study", "stop")
    assert "It was removed from the library" in stopped["content"]
    assert store.server_texts(me.guild_id) == [] and "Quarry" not in text_of(await command(fake, me, "texts"))


# -- bad input ----------------------------------------------------------------------------------------


def bad_uploads():
    yield "notes.docx", b"PK\x03\x04 a word file", "studybot reads .txt, .md, .epub, .pdf and .html"
    yield "empty.txt", b"  \n", "is empty"
    yield "scan.pdf", scanned_pdf(), "has no text layer"
    for name, data, message in _bad_epubs():
        yield f"{name}.epub", data, message
    for name, make, message in BAD_PDFS:
        yield f"{name}.pdf", make(), message


async def test_every_bad_input_gets_its_sentence_and_the_library_is_unchanged(fake, launch, store, site):
    await launch(limits=LibraryLimits(upload_bytes=2 * 1024 * 1024, fetch_allow_hosts=frozenset({"127.0.0.1"})))
    me = organiser(fake)
    before = store.library_fingerprint()
    cases = [({"file": fake.attach(name, data)}, message) for name, data, message in bad_uploads()]
    cases += [
        ({"url": f"{site}/app"}, "only scripts"),
        ({"url": f"{site}/logo.png"}, "is image/png, not a web page, PDF or EPUB; download it and add the file"),
        ({"url": "http://10.0.0.1/book"}, "not a public address"),
        ({"url": "file:///etc/passwd"}, "studybot fetches only http:// and https:// pages"),
        ({"url": "the communist manifesto"}, "is not a web address"),
        ({}, "Attach a file (file:) or give a web address (url:), one of the two."),
        ({"file": fake.attach("big.txt", b"word " * 600_000)}, "files up to 2 MB can be added"),
    ]
    for options, message in cases:
        answer, _ = await library_add(fake, me, **options)
        said = answer["content"]
        assert message in said, (options, said)
        assert "\n" not in said and said.endswith(".") and not answer.get("embeds") and not components_of(answer)
        assert "ingest" not in said, said  # Discord's organisers add; they do not ingest
        assert store.library_fingerprint() == before, said
    assert store.server_texts(me.guild_id) == []


async def test_a_file_discord_no_longer_has_is_asked_for_again(fake, launch, store):
    await launch()
    w = fake.world
    attachment = fake.attach("ledger.md", ledger())
    handle = await fake.invoke_slash(
        w.guild_id, w.reading_room.id, w.organiser.id, "library", options={"file": attachment}, subcommand="add"
    )
    del fake.state.attachments[int(attachment["id"])]  # gone from the CDN before the bot fetches it
    said = await handle.wait(lambda h: (h.original or {}).get("content"), 10, "the answer")
    assert said == "The file could not be downloaded from Discord; attach it again in a minute."
    assert store.server_texts(w.guild_id) == []


async def test_a_full_library_says_so(fake, launch, store):
    await launch(limits=LibraryLimits(server_texts=1))
    me = organiser(fake)
    await library_add(fake, me, file=fake.attach("ledger.md", ledger()))
    before = store.library_fingerprint()
    answer, _ = await library_add(fake, me, file=fake.attach("mill.md", ledger("vrenkolt", "The Miller's Ledger")))
    assert answer["content"].startswith("This server's library is full (1 of 1 texts")
    assert "/library remove" in answer["content"] and store.library_fingerprint() == before


async def test_library_is_registered_for_organisers_with_a_file_option(fake, launch):
    await launch()
    library = next(c for c in fake.commands() if c["name"] == "library")
    assert int(library["default_member_permissions"]) == 0x20 and library["dm_permission"] is False
    verbs = {o["name"]: o for o in library["options"]}
    assert list(verbs) == ["add", "list", "remove", "rename"]
    add = {o["name"]: o for o in verbs["add"]["options"]}
    assert add["file"]["type"] == 11 and add["url"]["type"] == 3 and not any(o.get("required") for o in add.values())
    assert verbs["remove"]["options"][0]["autocomplete"]


async def test_members_are_refused_even_when_an_admin_shows_them_the_command(fake, launch, store):
    await launch()
    w = fake.world
    with pytest.raises(PermissionError):  # Discord hides /library from members
        await fake.invoke_slash(w.guild_id, w.reading_room.id, w.reader.id, "library", subcommand="list")
    handle = await fake.invoke_slash(
        w.guild_id, w.reading_room.id, w.reader.id, "library", subcommand="list", bypass_permissions=True
    )
    answer = await answer_of(fake, handle)
    assert answer["_ephemeral"] and answer["content"].startswith("Only organisers")


# -- two servers ---------------------------------------------------------------------------------------


async def choices(
    fake, who: Member, name: str, option: str, typed: str, subcommand: str | None = None, **others
) -> list[str]:
    handle = await fake.autocomplete(
        who.guild_id, who.channel_id, who.user_id, name, option, {option: typed, **others}, subcommand=subcommand
    )
    return [c["value"] for c in await handle.autocomplete_choices(timeout=3)]


def without(message: dict, typed: str, instead: str) -> str:
    """What a person reads in a message, with what they typed put back as another word."""
    return unprefixed(text_of(message).replace(typed, instead))


def unprefixed(text: str) -> str:
    """A notice without the prefix it suggests: one cut from the word typed, as long as that word."""
    return re.sub(r"such as [^*]*\*", "such as …*", text)


async def forged_click(fake, who: Member, custom_id: str) -> dict:
    """Another app's message in the channel carrying a button with our custom id, pressed."""
    other_app = fake.add_member("other-app", guild_id=who.guild_id)
    button = {"type": 2, "style": 1, "label": "Press", "custom_id": custom_id}
    message = await fake.send_user_message(
        who.channel_id, other_app, "Press", components=[{"type": 1, "components": [button]}]
    )
    return await answer_of(fake, await fake.click(message, custom_id, who.user_id))


async def test_two_servers_never_see_each_others_texts_on_any_read_path(fake, launch, store):
    """Each server adds a text of its own; for every read path, in both directions, the other
    server's answer is the answer it would get if that text did not exist."""
    second = fake.add_server("Second Reading Group")
    bot = await launch()
    home = organiser(fake)
    away = Member(second.guild_id, second.room.id, second.organiser.id)
    thermidor = next(t for t in store.view(None).texts() if "thermidor" in t.slug)
    bundled = store.passage(thermidor.id, 1)
    commentary = f"---\ntitle: A Commentary\nauthor: Someone Else\n---\n# Notes\n\n{bundled.body}\n".encode()
    await library_add(fake, home, file=fake.attach("ledger.md", ledger()))
    await library_add(fake, home, file=fake.attach("commentary.md", commentary))
    await library_add(fake, away, file=fake.attach("mill.md", ledger("vrenkolt", "The Miller's Book", "Mara Miller")))
    mine = {home.guild_id: ("zorblax", "ledger", "Quarryman"), away.guild_id: ("vrenkolt", "mill", "Miller")}

    for me, other in ((home, away), (away, home)):
        own_word, own_slug, own_name = mine[me.guild_id]
        word, slug, name = mine[other.guild_id]
        listed = text_of(await command(fake, me, "texts"))
        assert own_name in listed and name not in listed
        assert ("A Commentary" in listed) == (me is home)
        for command_name, option, subcommand in (
            ("search", "text", None),
            ("passage", "text", None),
            ("study", "text", "start"),
        ):
            shown = await choices(fake, me, command_name, option, "", subcommand=subcommand)
            assert own_slug in shown and slug not in shown
            assert await choices(fake, me, command_name, option, name[:5], subcommand=subcommand) == []
        assert slug not in await choices(fake, me, "library", "text", "", subcommand="remove")

        found = await command(fake, me, "search", query=own_word)
        assert own_name in text_of(found)
        theirs = await command(fake, me, "search", query=word)
        assert without(theirs, word, "qwfpgj") == unprefixed(text_of(await command(fake, me, "search", query="qwfpgj")))
        prefix = await command(fake, me, "search", query=word[:5] + "*")
        assert without(prefix, word[:5], "qwfpg") == unprefixed(
            text_of(await command(fake, me, "search", query="qwfpg*"))
        )
        for typed in (slug, name):
            refused = await command(fake, me, "search", query="granite", text=typed)
            assert without(refused, typed, "qwfpgj") == text_of(
                await command(fake, me, "search", query="granite", text="qwfpgj")
            )
            passage = await command(fake, me, "passage", number=1, text=typed)
            assert without(passage, typed, "qwfpgj") == text_of(
                await command(fake, me, "passage", number=1, text="qwfpgj")
            )
        start = await command(fake, me, "study", "start", text=slug, time="09:00", timezone="UTC")
        assert start["_ephemeral"] and name not in text_of(start) and store.group_for_channel(me.channel_id) is None
        assert name not in text_of(await command(fake, me, "library", "list"))
        for verb, extra in (("remove", {}), ("rename", {"title": "Mine now"})):
            answer = await command(fake, me, "library", verb, text=slug, **extra)
            assert (
                answer["content"] == f"This server's library has no text matching '{slug}'; /library list shows them."
            )
        [theirs_text] = [t for t in store.server_texts(other.guild_id) if name in t.meta.title]
        for forged in (f"studybot:plan:{theirs_text.id}", f"studybot:edit:{theirs_text.id}:1"):
            pressed = await forged_click(fake, me, forged)
            assert pressed["_handle"].response_type == 4 and pressed["_ephemeral"] and name not in text_of(pressed)
        assert theirs_text.meta.title != "Mine now" and store.server_questions(me.guild_id, theirs_text.id, 1) is None

    # Both servers read the bundled text: home's post may point to home's commentary, away's never.
    for me in (home, away):
        await command(fake, me, "study", "start", text=thermidor.slug, time="09:00", timezone="Europe/Berlin")
    await step(fake, bot, NINE_IN_BERLIN)
    [at_home] = posts_in(fake, home.channel_id)
    [away_post] = posts_in(fake, away.channel_id)
    assert "A Commentary" in text_of(at_home)
    assert "A Commentary" not in text_of(away_post) and "Quarry" not in text_of(away_post)
