"""REST routes for interaction callbacks, interaction webhooks (follow-ups and the original
response), and application command registration.

The interaction rules are Discord's: one callback per interaction, within the deadline (3 s);
callback types must suit the interaction type; follow-ups need an acknowledged interaction;
the first follow-up after a deferred reply replaces the "thinking..." message rather than
posting a new one. Breaking any of these yields the error Discord would return.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import errors as E
from . import payloads
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, MESSAGE_COMPONENT, MODAL_SUBMIT, InteractionHandle
from .messaging import (
    MSG_CHAT_INPUT_COMMAND,
    MSG_REPLY,
    attachments_from_upload,
    delete_message,
    edit_message,
    live_channel,
    store_message,
)
from .state import StoredMessage
from .validation import check_choices, check_commands, check_message, check_modal

if TYPE_CHECKING:
    from .rest import Call, Reply, Router
    from .server import FakeDiscord

LOADING = 1 << 7
EPHEMERAL = 1 << 6
WEBHOOK_TOKEN_LIFETIME = 15 * 60.0

#: Callback types each interaction type accepts.
ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}


def _invalid(field: str, code: str, message: str) -> E.ApiError:
    errors = {field: {"_errors": [{"code": code, "message": message}]}}
    return E.ApiError(400, 50035, "Invalid Form Body", errors=errors)


def _is_true(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true")


# ----- interaction messages ---------------------------------------------------------------------
def _interaction_message(fake: FakeDiscord, handle: InteractionHandle, body: dict[str, Any]) -> dict[str, Any]:
    state = fake.state
    channel = live_channel(fake, handle.channel_id)
    data = payloads.new_message(
        state,
        channel=channel,
        author_id=state.bot_user_id,
        body=body,
        type=MSG_CHAT_INPUT_COMMAND if handle.type == APPLICATION_COMMAND else MSG_REPLY,
    )
    data["webhook_id"] = str(state.application_id)
    data["application_id"] = str(state.application_id)
    user = handle.payload.get("member", {}).get("user") or handle.payload.get("user")
    owners = handle.payload.get("authorizing_integration_owners", {})
    metadata: dict[str, Any] = {
        "id": str(handle.id),
        "type": handle.type,
        "user": user,
        "authorizing_integration_owners": owners,
    }
    if handle.type == APPLICATION_COMMAND:
        metadata.update(name=handle.payload["data"]["name"], command_type=handle.payload["data"].get("type", 1))
    if handle.message_id is not None:
        metadata["interacted_message_id"] = str(handle.message_id)
        data["message_reference"] = {"type": 0, "message_id": str(handle.message_id), "channel_id": str(channel.id)}
    if handle.original_id is not None:
        metadata["original_response_message_id"] = str(handle.original_id)
    data["interaction_metadata"] = metadata
    return data


def _store(fake: FakeDiscord, handle: InteractionHandle, data: dict[str, Any]) -> StoredMessage:
    channel = live_channel(fake, handle.channel_id)
    ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
    return store_message(fake, channel, data, author_id=fake.state.bot_user_id, ephemeral=ephemeral)


# ----- POST /interactions/{id}/{token}/callback -------------------------------------------------
def interaction_callback(fake: FakeDiscord, call: Call) -> Reply:
    handle = fake.interactions.get(call.id("interaction_id"))
    if handle is None:
        raise E.unknown_interaction()
    if call.params["token"] != handle.token:
        raise E.ApiError(401, 50027, "Invalid Webhook Token")
    if handle.callback is not None:
        raise E.already_acknowledged()
    if fake.state.clock() - handle.created > fake.interaction_deadline:
        handle.expired = True
        raise E.unknown_interaction()
    body = dict(call.json or {})
    rtype = body.get("type")
    if rtype not in ALLOWED_CALLBACKS[handle.type]:
        raise _invalid(
            "type",
            "INTERACTION_RESPONSE_TYPE_INVALID",
            f"Callback type {rtype} is not valid for interaction type {handle.type}",
        )
    data = dict(body.get("data") or {})
    attachments_from_upload(fake, data, call.files)
    if rtype == 4:
        check_message(data)
    elif rtype == 7:
        check_message(data, creating=False)
    elif rtype == 8:
        check_choices(data)
    elif rtype == 9:
        check_modal(data)
    if rtype in (6, 7) and handle.message_id is None:
        raise _invalid("type", "INTERACTION_RESPONSE_TYPE_INVALID", "No message to update")

    resource: dict[str, Any] | None = None
    if rtype in (4, 5):
        flags = int(data.get("flags") or 0)
        msg_body = data if rtype == 4 else {"flags": (flags & EPHEMERAL) | LOADING}
        stored = _store(fake, handle, _interaction_message(fake, handle, msg_body))
        handle.original_id = stored.id
        resource = stored.data
    elif rtype in (6, 7):
        handle.original_id = handle.message_id
        if rtype == 7:
            stored = fake.state.messages[handle.message_id]
            resource = edit_message(fake, stored, data).data
    handle.callback = {**body, "data": data} if "data" in body else body
    handle.callback_status = 200

    if not _is_true(call.query.get("with_response")):
        return 204, None
    original = fake.state.messages.get(handle.original_id) if handle.original_id else None
    result: dict[str, Any] = {
        "interaction": {
            "id": str(handle.id),
            "type": handle.type,
            "response_message_id": None if original is None else str(original.id),
            "response_message_loading": rtype == 5,
            "response_message_ephemeral": bool(original is not None and original.ephemeral),
        }
    }
    if resource is not None:
        result["resource"] = {"type": rtype, "message": resource}
    return 200, result


# ----- /webhooks/{application_id}/{token}[/messages/{message_id}] -------------------------------
def _handle_for_webhook(fake: FakeDiscord, call: Call) -> InteractionHandle:
    if call.params["application_id"] != str(fake.state.application_id):
        raise E.unknown_webhook()
    handle = fake.interaction_by_token(call.params["token"])
    if handle is None or not handle.acknowledged:
        raise E.unknown_webhook()
    if fake.state.clock() - handle.created > WEBHOOK_TOKEN_LIFETIME:
        raise E.ApiError(401, 50027, "Invalid Webhook Token")
    return handle


def _webhook_message(fake: FakeDiscord, handle: InteractionHandle, raw_id: str) -> StoredMessage:
    mid = handle.original_id if raw_id == "@original" else int(raw_id)
    if mid is None or (mid != handle.original_id and mid not in handle.followup_ids):
        raise E.unknown_message()
    stored = fake.state.messages.get(mid)
    if stored is None or stored.deleted:
        raise E.unknown_message()
    return stored


def webhook_execute(fake: FakeDiscord, call: Call) -> Reply:
    handle = _handle_for_webhook(fake, call)
    body = dict(call.json or {})
    attachments_from_upload(fake, body, call.files)
    check_message(body)
    original = fake.state.messages.get(handle.original_id) if handle.original_id else None
    if (
        handle.response_type == 5
        and original is not None
        and not original.deleted
        and int(original.data.get("flags") or 0) & LOADING
    ):
        # Discord: the first follow-up to a deferred reply becomes the original response.
        edit = {k: v for k, v in body.items() if k in ("content", "embeds", "components", "attachments")}
        original.data["flags"] = int(original.data["flags"]) & ~LOADING
        stored = edit_message(fake, original, edit)
    else:
        stored = _store(fake, handle, _interaction_message(fake, handle, body))
    handle.followup_ids.append(stored.id)
    if _is_true(call.query.get("wait")):
        return 200, stored.data
    return 204, None


def webhook_message(fake: FakeDiscord, call: Call) -> Reply:
    handle = _handle_for_webhook(fake, call)
    stored = _webhook_message(fake, handle, call.params["message_id"])
    if call.method == "GET":
        return 200, stored.data
    if call.method == "DELETE":
        delete_message(fake, stored)
        if stored.id == handle.original_id:
            handle.deleted_original = True
        return 204, None
    body = dict(call.json or {})
    attachments_from_upload(fake, body, call.files)
    stored.data["flags"] = int(stored.data.get("flags") or 0) & ~LOADING
    return 200, edit_message(fake, stored, body).data


# ----- application commands ---------------------------------------------------------------------
def _scope(fake: FakeDiscord, call: Call) -> tuple:
    if call.params["application_id"] != str(fake.state.application_id):
        raise E.missing_access()
    guild_id = call.id("guild_id") if "guild_id" in call.params else None
    if guild_id is not None:
        guild = fake.state.guilds.get(guild_id)
        if guild is None or fake.state.bot_user_id not in guild.members:
            raise E.missing_access()
    return (fake.state.application_id, guild_id)


def _normalise(
    fake: FakeDiscord, body: dict[str, Any], scope: tuple, existing: dict[str, Any] | None
) -> dict[str, Any]:
    """A command as Discord returns it; re-registering a name keeps its id, as Discord does."""
    state = fake.state
    perms = body.get("default_member_permissions")
    cmd: dict[str, Any] = {
        "id": existing["id"] if existing else str(state.ids.next()),
        "application_id": str(state.application_id),
        "version": str(state.ids.next()),
        "type": body.get("type", 1),
        "name": body["name"],
        "name_localizations": body.get("name_localizations"),
        "description": body.get("description", ""),
        "description_localizations": body.get("description_localizations"),
        "default_member_permissions": None if perms is None else str(perms),
        "nsfw": bool(body.get("nsfw", False)),
        "integration_types": body.get("integration_types") or [0],
        "contexts": body.get("contexts"),
    }
    if body.get("options"):
        cmd["options"] = body["options"]
    if scope[1] is not None:
        cmd["guild_id"] = str(scope[1])
    else:
        cmd["dm_permission"] = body.get("dm_permission", True)
    return cmd


def _find(store: dict[int, dict[str, Any]], name: str, type: int) -> dict[str, Any] | None:
    return next((c for c in store.values() if c["name"] == name and c.get("type", 1) == type), None)


def commands_list(fake: FakeDiscord, call: Call) -> Reply:
    return 200, list(fake.state.commands.get(_scope(fake, call), {}).values())


def commands_overwrite(fake: FakeDiscord, call: Call) -> Reply:
    scope = _scope(fake, call)
    bodies: list[dict[str, Any]] = list(call.json or [])
    check_commands(bodies)
    if scope[1] is None and sum(1 for b in bodies if b.get("type", 1) == 1) > 100:
        raise _invalid("_", "APPLICATION_COMMANDS_TOO_MANY", "Maximum number of application commands reached (100)")
    old = fake.state.commands.get(scope, {})
    new: dict[int, dict[str, Any]] = {}
    for body in bodies:
        cmd = _normalise(fake, body, scope, _find(old, body["name"], body.get("type", 1)))
        new[int(cmd["id"])] = cmd
    fake.state.commands[scope] = new
    fake.command_syncs.append((scope[1], [c["name"] for c in new.values()]))
    return 200, list(new.values())


def commands_create(fake: FakeDiscord, call: Call) -> Reply:
    scope = _scope(fake, call)
    body = dict(call.json or {})
    check_commands([body])
    store = fake.state.commands.setdefault(scope, {})
    existing = _find(store, body["name"], body.get("type", 1))
    cmd = _normalise(fake, body, scope, existing)
    store[int(cmd["id"])] = cmd
    return (200 if existing else 201), cmd


def command_item(fake: FakeDiscord, call: Call) -> Reply:
    scope = _scope(fake, call)
    store = fake.state.commands.get(scope, {})
    cid = call.id("command_id")
    if cid not in store:
        raise E.unknown_command()
    if call.method == "GET":
        return 200, store[cid]
    if call.method == "DELETE":
        del store[cid]
        return 204, None
    merged = {**store[cid], **(call.json or {})}
    check_commands([merged])
    store[cid] = _normalise(fake, merged, scope, store[cid])
    return 200, store[cid]


def command_permissions(fake: FakeDiscord, call: Call) -> Reply:
    _scope(fake, call)
    return 200, []


def register(router: Router) -> None:
    # Before .../commands/{command_id}, which would otherwise swallow "permissions".
    router.add("GET", "/applications/{application_id}/guilds/{guild_id}/commands/permissions", command_permissions)
    router.add("POST", "/interactions/{interaction_id}/{token}/callback", interaction_callback)
    router.add("POST", "/webhooks/{application_id}/{token}", webhook_execute)
    for method in ("GET", "PATCH", "DELETE"):
        router.add(method, "/webhooks/{application_id}/{token}/messages/{message_id}", webhook_message)
    for prefix in ("/applications/{application_id}", "/applications/{application_id}/guilds/{guild_id}"):
        router.add("GET", prefix + "/commands", commands_list)
        router.add("PUT", prefix + "/commands", commands_overwrite)
        router.add("POST", prefix + "/commands", commands_create)
        for method in ("GET", "PATCH", "DELETE"):
            router.add(method, prefix + "/commands/{command_id}", command_item)
