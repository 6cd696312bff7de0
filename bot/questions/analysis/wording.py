"""Whether a discussion question reads as finished English: the checks every question passes
before it is posted, whether a template, an organiser or a language model wrote it."""

from __future__ import annotations

import re

MAX_QUESTION_CHARS = 300
MIN_QUESTIONS, MAX_QUESTIONS = 2, 4
"""How many questions a post carries."""

_DOUBLED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.I)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s[,.;:?!”’)]")


def question_problems(text: str) -> list[str]:
    """What would make a question read badly; empty when it reads as correct English."""
    problems = []
    if not text.strip():
        return ["empty"]
    if len(text) > MAX_QUESTION_CHARS:
        problems.append(f"longer than {MAX_QUESTION_CHARS} characters")
    if not text.rstrip().endswith("?") or text.rstrip().endswith(("??", ".?", ",?", " ?")):
        problems.append("does not end with a question mark")
    if not (text[0].isupper() or text[0] in '“‘"' and (text[1:2].isupper() or text[1:2] == "…")):
        problems.append("does not start with a capital letter")
    if re.search(r"[{}<>$\\]|\bNone\b", text):
        problems.append("template syntax or an empty value left in")
    if "  " in text or _SPACE_BEFORE_PUNCTUATION.search(text.replace(" “", "“")):
        problems.append("stray spacing")
    if text.count("“") != text.count("”") or "“”" in text or "““" in text or "””" in text:
        problems.append("quotation marks do not pair")
    if text.count('"') % 2 or text.count("‘") > text.count("’"):
        problems.append("quotation marks do not pair")
    doubled = _DOUBLED_WORD.search(text)
    if doubled and doubled.group(1).lower() not in ("that", "had"):
        problems.append(f"doubled word '{doubled.group(1)}'")
    return problems


def short_title(title: str) -> str:
    """A title short enough to cite in a question: the part before a colon, parenthesis or
    semicolon ("The Soviet Thermidor (The Revolution Betrayed, chapter 5)" -> "The Soviet
    Thermidor")."""
    short = re.split(r"\s*[:;(]\s*", title, maxsplit=1)[0].strip(" .,")
    return short or title
