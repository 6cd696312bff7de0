"""Questions for a post. Until the generator of issue 4 lands, they come from a simple template."""

from __future__ import annotations

from pathlib import Path

from bot.models import StoredPassage
from bot.store import Store

PROMPTS = Path(__file__).resolve().parent.parent / "prompts"


def questions_for(store: Store, passage: StoredPassage) -> list[str]:
    try:
        from bot.questions import generate_questions
    except ImportError:
        return _simple(passage)
    return [q.text for q in generate_questions(store, passage)]


def _simple(passage: StoredPassage) -> list[str]:
    template = (PROMPTS / "simple_questions.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in template.splitlines() if line.strip() and not line.startswith("#")]
    section = passage.section or passage.text_title
    return [line.format(section=section, title=passage.text_title, author=passage.author) for line in lines][:3]
