"""Discord's request limits, enforced the way Discord reports them (HTTP 400 with a nested
``errors`` object), so a bot that builds an over-long embed fails here as it would live.

Only the limits a bot is likely to hit are checked: message content and embeds, components,
autocomplete choices, modals, and application command definitions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .errors import ApiError

# ``\w`` covers letters and digits in any script, close to Discord's ``\p{L}\p{N}``.
COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


class FormErrors:
    """Collects ``(path, code, message)`` and renders Discord's ``{"errors": {...}}`` tree."""

    def __init__(self) -> None:
        self.items: list[tuple] = []

    def add(self, path: Sequence[Any], code: str, message: str) -> None:
        self.items.append((tuple(str(p) for p in path), code, message))

    def max_len(self, path: Sequence[Any], value: str | None, limit: int, minimum: int = 0) -> None:
        if value is None:
            return
        if len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
        elif len(value) < minimum:
            self.add(path, "BASE_TYPE_BAD_LENGTH", f"Must be between {minimum} and {limit} in length.")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        tree: dict[str, Any] = {}
        for path, code, message in self.items:
            node = tree
            for part in path:
                node = node.setdefault(part, {})
            node.setdefault("_errors", []).append({"code": code, "message": message})
        raise ApiError(400, 50035, "Invalid Form Body", errors=tree)


def _embed_length(embed: dict[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for f in embed.get("fields") or []:
        total += len(f.get("name") or "") + len(f.get("value") or "")
    return total


def check_message(
    body: dict[str, Any], *, creating: bool = True, errors: FormErrors | None = None, prefix: Sequence[Any] = ()
) -> None:
    """Limits for message create/edit bodies (also interaction responses and webhooks)."""
    own = errors is None
    errors = errors or FormErrors()
    p = tuple(prefix)
    errors.max_len(p + ("content",), body.get("content"), 2000)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        errors.add(p + ("embeds",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
    for i, e in enumerate(embeds):
        ep = p + ("embeds", i)
        errors.max_len(ep + ("title",), e.get("title"), 256)
        errors.max_len(ep + ("description",), e.get("description"), 4096)
        errors.max_len(ep + ("footer", "text"), (e.get("footer") or {}).get("text"), 2048)
        errors.max_len(ep + ("author", "name"), (e.get("author") or {}).get("name"), 256)
        fields = e.get("fields") or []
        if len(fields) > 25:
            errors.add(ep + ("fields",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        for j, f in enumerate(fields):
            errors.max_len(ep + ("fields", j, "name"), f.get("name"), 256, 1)
            errors.max_len(ep + ("fields", j, "value"), f.get("value"), 1024, 1)
    if sum(_embed_length(e) for e in embeds) > 6000:
        errors.add(p + ("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    _check_components(body, errors, p)
    if own:
        _check_poll(body, errors, p)
        errors.raise_if_any()
        if creating and not _has_body(body):
            raise ApiError(400, 50006, "Cannot send an empty message")


def _has_body(body: dict[str, Any]) -> bool:
    return bool(
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or body.get("attachments")
        or body.get("sticker_ids")
        or body.get("poll")
    )


def _check_components(body: dict[str, Any], errors: FormErrors, p: tuple) -> None:
    components = body.get("components") or []
    if int(body.get("flags") or 0) & (1 << 15):  # components v2 layouts: only custom_id rules
        _check_custom_ids(components, errors, p)
        return
    if len(components) > 5:
        errors.add(p + ("components",), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for i, row in enumerate(components):
        rp = p + ("components", i)
        if row.get("type") != 1:
            errors.add(rp + ("type",), "UNION_TYPE_CHOICES", "Top-level components must be action rows.")
            continue
        children = row.get("components") or []
        if not children or len(children) > 5:
            errors.add(rp + ("components",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        if any(c.get("type") != 2 for c in children) and len(children) > 1:
            errors.add(
                rp + ("components",),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for j, c in enumerate(children):
            cp = rp + ("components", j)
            if c.get("type") == 2:
                errors.max_len(cp + ("label",), c.get("label"), 80)
                if c.get("style") == 5:
                    if not c.get("url"):
                        errors.add(cp + ("url",), "BASE_TYPE_REQUIRED", "This field is required")
                elif c.get("style") != 6 and not c.get("custom_id"):
                    errors.add(cp + ("custom_id",), "BASE_TYPE_REQUIRED", "This field is required")
            if c.get("type") == 3 and len(c.get("options") or []) > 25:
                errors.add(cp + ("options",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    _check_custom_ids(components, errors, p)


def _check_custom_ids(components: list[dict[str, Any]], errors: FormErrors, p: tuple) -> None:
    seen = set()
    for c in iter_components(components):
        cid = c.get("custom_id")
        if cid is None:
            continue
        if len(cid) > 100:
            errors.add(p + ("components",), "BASE_TYPE_MAX_LENGTH", "custom_id must be 100 or fewer in length.")
        if cid in seen:
            errors.add(
                p + ("components",), "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"
            )
        seen.add(cid)


def iter_components(components: list[dict[str, Any]]):
    """Every component in a (possibly nested) component tree, depth first."""
    for c in components or []:
        yield c
        yield from iter_components(c.get("components") or [])
        if isinstance(c.get("component"), dict):  # label / section accessories
            yield from iter_components([c["component"]])
        if isinstance(c.get("accessory"), dict):
            yield from iter_components([c["accessory"]])


def check_choices(data: dict[str, Any]) -> None:
    errors = FormErrors()
    choices = data.get("choices") or []
    if len(choices) > 25:
        errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, c in enumerate(choices):
        errors.max_len(("data", "choices", i, "name"), c.get("name"), 100, 1)
        if isinstance(c.get("value"), str):
            errors.max_len(("data", "choices", i, "value"), c["value"], 100)
    errors.raise_if_any()


def check_modal(data: dict[str, Any]) -> None:
    """A modal: title, custom_id, 1-5 rows, each an action row holding one text input or a label
    (type 18) holding one, with Discord's limits on the input (label, lengths, prefilled value,
    placeholder, style) and unique custom_ids."""
    errors = FormErrors()
    errors.max_len(("data", "title"), data.get("title"), 45, 1)
    if not data.get("title"):
        errors.add(("data", "title"), "BASE_TYPE_REQUIRED", "This field is required")
    errors.max_len(("data", "custom_id"), data.get("custom_id"), 100, 1)
    if not data.get("custom_id"):
        errors.add(("data", "custom_id"), "BASE_TYPE_REQUIRED", "This field is required")
    comps = data.get("components") or []
    if not 1 <= len(comps) <= 5:
        errors.add(("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
    for i, row in enumerate(comps):
        path = ("data", "components", i)
        if row.get("type") == 1:
            children = row.get("components") or []
            if len(children) != 1:
                errors.add(path + ("components",), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 1 in length.")
            for j, child in enumerate(children):
                _check_text_input(child, errors, path + ("components", j), labelled=False)
        elif row.get("type") == 18:
            errors.max_len(path + ("label",), row.get("label"), 45, 1)
            if not row.get("label"):
                errors.add(path + ("label",), "BASE_TYPE_REQUIRED", "This field is required")
            _check_text_input(row.get("component") or {}, errors, path + ("component",), labelled=True)
        elif row.get("type") != 10:  # a text display needs no checks here
            errors.add(path + ("type",), "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1, 10, 18).')
    _check_custom_ids(comps, errors, ("data",))
    errors.raise_if_any()


def _check_text_input(c: dict[str, Any], errors: FormErrors, path: tuple, *, labelled: bool) -> None:
    if c.get("type") not in (3, 4, 5, 6, 7, 8):
        errors.add(path + ("type",), "UNION_TYPE_CHOICES", "A modal row holds a text input or a select.")
        return
    if not c.get("custom_id"):
        errors.add(path + ("custom_id",), "BASE_TYPE_REQUIRED", "This field is required")
    if c.get("type") != 4:
        return
    if c.get("style") not in (1, 2):
        errors.add(path + ("style",), "BASE_TYPE_CHOICES", "Value must be one of (1, 2).")
    if labelled:
        if c.get("label") is not None:
            errors.add(path + ("label",), "COMPONENT_INVALID_FIELD", "A text input in a label takes no label.")
    else:
        errors.max_len(path + ("label",), c.get("label"), 45, 1)
        if not c.get("label"):
            errors.add(path + ("label",), "BASE_TYPE_REQUIRED", "This field is required")
    lowest, highest = c.get("min_length", 0), c.get("max_length", 4000)
    if not 0 <= lowest <= 4000:
        errors.add(path + ("min_length",), "NUMBER_TYPE_MAX", "int value should be between 0 and 4000.")
    if not 1 <= highest <= 4000:
        errors.add(path + ("max_length",), "NUMBER_TYPE_MAX", "int value should be between 1 and 4000.")
    errors.max_len(path + ("value",), c.get("value"), min(highest, 4000))
    errors.max_len(path + ("placeholder",), c.get("placeholder"), 100)


def check_commands(commands: list[dict[str, Any]]) -> None:
    """Command definitions as Discord validates them on PUT/POST."""
    errors = FormErrors()
    seen = set()
    for i, cmd in enumerate(commands):
        ctype = cmd.get("type", 1)
        key = (cmd.get("name"), ctype)
        if key in seen:
            errors.add((i, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
        seen.add(key)
        if ctype == 1:
            _check_name(errors, (i, "name"), cmd.get("name"))
            errors.max_len((i, "description"), cmd.get("description"), 100, 1)
            _check_options(errors, (i,), cmd.get("options") or [], depth=0)
        else:
            errors.max_len((i, "name"), cmd.get("name"), 32, 1)
            if cmd.get("description"):
                errors.add((i, "description"), "BASE_TYPE_BAD_LENGTH", "Context menu commands have no description.")
    errors.raise_if_any()


def _check_name(errors: FormErrors, path: tuple, name: str | None) -> None:
    if not name or not COMMAND_NAME.match(name) or name != name.lower():
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", f"Command name is invalid: {name!r}")


def _check_options(errors: FormErrors, path: tuple, options: list[dict[str, Any]], depth: int) -> None:
    if len(options) > 25:
        errors.add(path + ("options",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    names = set()
    seen_optional = False
    for j, opt in enumerate(options):
        op = path + ("options", j)
        _check_name(errors, op + ("name",), opt.get("name"))
        errors.max_len(op + ("description",), opt.get("description"), 100, 1)
        if opt.get("name") in names:
            errors.add(op + ("name",), "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique")
        names.add(opt.get("name"))
        otype = opt.get("type")
        if otype in (1, 2):
            if depth >= (1 if otype == 2 else 2):
                errors.add(op + ("type",), "APPLICATION_COMMAND_OPTION_TYPE_INVALID", "Subcommands nested too deep")
            _check_options(errors, op, opt.get("options") or [], depth + 1)
            continue
        if opt.get("required"):
            if seen_optional:
                errors.add(
                    op + ("required",),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = opt.get("choices") or []
        if len(choices) > 25:
            errors.add(op + ("choices",), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        if choices and opt.get("autocomplete"):
            errors.add(
                op + ("autocomplete",),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                "Autocomplete cannot be set with choices",
            )


def _check_poll(body: dict[str, Any], errors: FormErrors, p: tuple) -> None:
    """Discord's poll limits: a question of up to 300 characters, 1-10 answers of up to 55,
    a duration of 1 to 768 hours."""
    poll = body.get("poll")
    if not poll:
        return
    errors.max_len(p + ("poll", "question", "text"), (poll.get("question") or {}).get("text") or "", 300, 1)
    answers = poll.get("answers") or []
    if not 1 <= len(answers) <= 10:
        errors.add(p + ("poll", "answers"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 10 in length.")
    for i, answer in enumerate(answers):
        errors.max_len(
            p + ("poll", "answers", i, "poll_media", "text"), (answer.get("poll_media") or {}).get("text") or "", 55, 1
        )
    if not 1 <= float(poll.get("duration") or 24) <= 768:
        errors.add(p + ("poll", "duration"), "NUMBER_TYPE_MAX", "Must be between 1 and 768.")
