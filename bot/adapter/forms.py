"""Forms as Discord modals: shown in answer to a button, submitted as their own interaction.

A modal's custom_id carries the core's action ("questions:5:12", "suggestion:17"), and its
submission is handled from that id alone (StudyBot.on_interaction), not by a Modal object kept
in memory: a member who opened the form before a restart can still send it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.adapter.respond import APOLOGY
from bot.errors import StudyError
from bot.render import Form

log = logging.getLogger(__name__)

FORM_PREFIX = "studybot:form:"
FORM_WITHIN = 2.5
"""Seconds the core has to prepare a form: a modal must be the first answer, within Discord's
3 s, and cannot follow a deferral."""
SLOW = "Preparing that form took too long; please press the button again."


def modal_for(form: Form) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=form.title[:45], custom_id=FORM_PREFIX + form.action, timeout=None)
    for field in form.fields:
        modal.add_item(
            discord.ui.TextInput(
                label=field.label[:45],
                custom_id=field.key,
                style=discord.TextStyle.paragraph,
                default=field.value or None,
                required=field.required,
                max_length=field.max_length,
                placeholder=field.placeholder[:100] or None,
            )
        )
    return modal


async def present_form(interaction: discord.Interaction, call: Callable[[], Form]) -> None:
    """Answer a button with the core's form as a modal; a refusal (or a slow core) gets one
    ephemeral sentence instead."""
    try:
        form = await asyncio.wait_for(asyncio.to_thread(call), FORM_WITHIN)
    except StudyError as error:
        await _say(interaction, str(error))
        return
    except TimeoutError:
        await _say(interaction, SLOW)
        return
    except Exception:
        log.exception("could not prepare a form")
        await _say(interaction, APOLOGY)
        return
    modal = modal_for(form)
    try:
        await interaction.response.send_modal(modal)
    except discord.HTTPException:
        log.exception("could not show a form for interaction %s", interaction.id)
    modal.stop()  # the submission is handled by its custom_id, not by this object


def submitted_action(interaction: discord.Interaction) -> str | None:
    """The core's action of one of our forms being submitted, or None."""
    if interaction.type is not discord.InteractionType.modal_submit or not interaction.data:
        return None
    data: dict[str, Any] = dict(interaction.data)
    custom_id = str(data.get("custom_id", ""))
    return custom_id.removeprefix(FORM_PREFIX) if custom_id.startswith(FORM_PREFIX) else None


def submitted_values(interaction: discord.Interaction) -> dict[str, str]:
    """What was typed in each box of a submitted modal, in the form's order."""
    values: dict[str, str] = {}

    def walk(components: list[Any]) -> None:
        for component in components or []:
            if component.get("type") == 4:
                values[str(component.get("custom_id"))] = str(component.get("value") or "")
            walk(component.get("components") or [])
            if isinstance(component.get("component"), dict):  # a label (type 18) holds its input
                walk([component["component"]])

    data: dict[str, Any] = dict(interaction.data or {})
    walk(list(data.get("components") or []))
    return values


async def _say(interaction: discord.Interaction, text: str) -> None:
    try:
        await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.exception("could not answer interaction %s", interaction.id)
