"""The bot never pings anyone: text from users (a query, a text's name) may hold @everyone or
<@id>, and every message the bot sends or edits says `allowed_mentions: {"parse": []}`. The fake
pings as Discord does when a message does not say so (tests/fake_discord/payloads.py)."""

from __future__ import annotations

from tests.e2e.conftest import WINTER_MONDAY, answer_of, posts_in, read_button, slash, start_plan, step

NO_PINGS = {"parse": []}
MESSAGE_ROUTES = {
    ("POST", "/channels/{channel_id}/messages"),
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("POST", "/webhooks/{application_id}/{token}"),
    ("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}"),
}
CALLBACKS_WITH_A_MESSAGE = {4, 7}  # a reply, an update of the clicked message


def message_bodies(fake) -> list[tuple[str, dict]]:
    """(route, body) of every request of the bot's that made or edited a message."""
    bodies = []
    for r in fake.requests:
        if (r.method, r.route) in MESSAGE_ROUTES and isinstance(r.json, dict):
            bodies.append((r.route, r.json))
        elif r.route == "/interactions/{interaction_id}/{token}/callback" and isinstance(r.json, dict):
            if r.json.get("type") in CALLBACKS_WITH_A_MESSAGE:
                bodies.append((f"callback type {r.json['type']}", r.json.get("data") or {}))
    return bodies


async def test_no_message_the_bot_sends_can_ping(fake, launch, store):
    w = fake.world
    room, general = w.reading_room.id, w.general.id
    start_plan(store, w.guild_id, room, pace=2)  # a post and, in its thread, a second message
    bot = await launch()
    await step(fake, bot, WINTER_MONDAY.replace(hour=8))
    [post] = posts_in(fake, room)
    click = await fake.click(post, read_button(post)["custom_id"], w.reader.id)
    await click.response(timeout=3)

    hostile = f"@everyone <@{w.organiser.id}> <@&{w.organiser_role.id}>"
    echoed = await slash(fake, room, w.reader.id, "passage", number=1, text=hostile)
    assert hostile in echoed["content"]  # the user's text is in the reply, mentions and all
    started = await answer_of(
        fake,
        await fake.invoke_slash(
            w.guild_id,
            general,
            w.organiser.id,
            "study",
            subcommand="start",
            options={"text": "thermidor", "time": "09:00", "timezone": "Europe/Berlin"},
        ),
    )
    assert not started["_ephemeral"]
    results = await slash(fake, room, w.reader.id, "search", query="party")
    page = next(c for row in results["components"] for c in row["components"] if c.get("label") == "Next")
    turned = await fake.click(results["_handle"].original or results, page["custom_id"], w.reader.id)
    await turned.response(timeout=3)

    bodies = message_bodies(fake)
    kinds = {route for route, _ in bodies}
    assert {"/channels/{channel_id}/messages", "callback type 4", "callback type 7"} <= kinds, kinds
    assert [
        (route, body.get("allowed_mentions")) for route, body in bodies if body.get("allowed_mentions") != NO_PINGS
    ] == []
    bot_id = fake.state.bot_user_id
    for stored in fake.state.messages.values():
        if stored.author_id == bot_id:
            assert stored.data["mentions"] == [] and stored.data["mention_roles"] == []
            assert not stored.data["mention_everyone"]
