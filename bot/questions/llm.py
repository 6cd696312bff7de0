"""An optional language model that writes a passage's questions: configuration, the HTTP call,
reading its answer, and a per-passage cache.

Nothing requires it. When STUDYBOT_LLM_URL and STUDYBOT_LLM_MODEL are set, the question
generator asks an OpenAI-compatible chat-completions endpoint (a local server will do) with
the prompt in prompts/llm.toml, the passage and its analysis. An answer is used only if it
holds 2-4 different questions, each reading as finished English within the limits and each
grounded in the passage (a key term or name of it, or an exact quotation). Every failure - a
timeout, a refused connection, an HTTP error, a body that is not the expected JSON, a refused
answer - is an `LlmError` carrying the reason, so the generator can log it and fall back to its
templates.

The call is synchronous (urllib, no extra dependency): the Discord adapter runs question
generation in a worker thread. Accepted answers are cached per passage, model and prompt, so
a passage's questions are asked for once and stay the same every time it is shown.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import socket
import tomllib
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.config import LlmConfig
from bot.models import StoredPassage
from bot.questions.analysis import PassageAnalysis
from bot.questions.analysis.wording import MAX_QUESTIONS, MIN_QUESTIONS, question_problems, short_title
from bot.resources import prompts_dir
from bot.store import Store
from bot.textutil import squash

log = logging.getLogger(__name__)

PROMPT_FILE = prompts_dir() / "llm.toml"
MAX_ANSWER_BYTES = 64 * 1024


class LlmError(Exception):
    """The model gave no usable answer; the message says why, for the log."""


@dataclass(frozen=True)
class Prompt:
    """The prompt file, read: a system message and a user message with {slots}."""

    name: str
    system: str
    user: str


def load_prompt(path: Path = PROMPT_FILE) -> Prompt:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return Prompt(name=path.name, system=str(data["system"]).strip(), user=str(data["user"]).strip())


def fill_prompt(prompt: Prompt, slots: Mapping[str, str]) -> list[dict[str, str]]:
    """The chat messages: the prompt's slots replaced by the passage and its analysis."""
    return [
        {"role": "system", "content": prompt.system.format_map(_Slots(slots))},
        {"role": "user", "content": prompt.user.format_map(_Slots(slots))},
    ]


class _Slots(dict):
    """A slot the prompt names but the caller does not fill becomes empty, not an error."""

    def __missing__(self, key: str) -> str:
        return ""


def ask_model(config: LlmConfig, messages: list[dict[str, str]]) -> str:
    """POST the messages; the text of the first choice, or LlmError with the reason."""
    body = json.dumps({"model": config.model, "messages": messages, "temperature": 0}).encode()
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    request = urllib.request.Request(config.endpoint, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=config.timeout) as response:
            raw = response.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        raise LlmError(f"the model endpoint answered HTTP {error.code}") from error
    except TimeoutError as error:
        raise LlmError(f"no answer within {config.timeout:g} s") from error
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise LlmError(f"no answer within {config.timeout:g} s") from error
        raise LlmError(f"cannot reach the model endpoint ({error.reason})") from error
    except OSError as error:
        raise LlmError(f"the connection to the model failed ({error})") from error
    if len(raw) > MAX_ANSWER_BYTES:
        raise LlmError(f"the answer is larger than {MAX_ANSWER_BYTES} bytes")
    try:
        content = json.loads(raw)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise LlmError("the answer is not a chat completion (no choices[0].message.content)") from error
    if not isinstance(content, str) or not content.strip():
        raise LlmError("the answer is empty")
    return content


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)
_NUMBERING = re.compile(r"^\s*(?:[-*•]|\d+[.)]|Q\d+[.:)])\s*")


def parse_questions(content: str) -> list[str]:
    """The questions in the model's answer: a JSON list of strings (as the prompt asks), or
    failing that one question per line, numbering and bullets removed."""
    fenced = _FENCE.search(content)
    candidate = (fenced.group(1) if fenced else content).strip()
    try:
        data = json.loads(candidate)
    except ValueError:
        data = None
    if isinstance(data, dict):
        data = data.get("questions")
    if isinstance(data, list):
        if not all(isinstance(q, str) for q in data):
            raise LlmError("the answer's list holds something other than questions")
        return [" ".join(q.split()) for q in data if q.strip()]
    lines = [_NUMBERING.sub("", line).strip() for line in candidate.splitlines()]
    return [" ".join(line.split()) for line in lines if line]


def prompt_hash(messages: list[dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps(messages, sort_keys=True).encode()).hexdigest()


def cached_questions(store: Store, passage_id: int, model: str, key: str) -> list[str] | None:
    return store.cached_llm_questions(passage_id, model, key)


def remember_questions(store: Store, passage_id: int, model: str, key: str, questions: list[str]) -> None:
    store.save_llm_questions(passage_id, model, key, questions)


def model_questions(
    store: Store,
    config: LlmConfig,
    passage: StoredPassage,
    analysis: PassageAnalysis,
    prompt: Prompt | None = None,
) -> list[str]:
    """The model's questions for a passage, from the cache or freshly asked for.

    Only answers that pass `answer_problems` are used and cached; a refused or failed one
    raises LlmError, and the next call asks again.
    """
    messages = fill_prompt(prompt or load_prompt(), prompt_slots(passage, analysis))
    key = prompt_hash(messages)
    cached = cached_questions(store, passage.id, config.model, key)
    if cached is not None and answer_problems(cached, analysis) is None:
        return cached
    questions = parse_questions(ask_model(config, messages))
    reason = answer_problems(questions, analysis)
    if reason is not None:
        raise LlmError(f"the answer was refused: {reason}")
    remember_questions(store, passage.id, config.model, key, questions)
    return questions


def answer_problems(questions: list[str], analysis: PassageAnalysis) -> str | None:
    """Why a model's questions cannot be used, or None: 2-4 of them, each reading as a question
    within the limits, all different, each grounded in the passage."""
    if not MIN_QUESTIONS <= len(questions) <= MAX_QUESTIONS:
        return f"{len(questions)} questions, not {MIN_QUESTIONS}-{MAX_QUESTIONS}"
    if len({squash(q) for q in questions}) < len(questions):
        return "the same question twice"
    for question in questions:
        problems = question_problems(question)
        if problems:
            return f"{problems[0]}: {question[:80]!r}"
        if not is_grounded(question, analysis):
            return f"not grounded in the passage: {question[:80]!r}"
        everyday = everyday_terms(question, analysis)
        if everyday:
            return f"asks about {everyday[0]!r}, an everyday word, not a concept of the text: {question[:80]!r}"
    return None


def everyday_terms(question: str, analysis: PassageAnalysis) -> list[str]:
    """Single words a question sets in quotation marks that are neither key to the text (used
    far more than everyday English does) nor terms the passage itself marks: the same test the
    templates' terms pass."""
    marked = {squash(t.text) for t in analysis.terms}
    found = []
    for span in _TERM_IN_QUOTES.findall(question):
        words = span.split()
        if len(words) == 1 and squash(span) not in marked and not analysis.is_concept(span.strip(" .,;:!?")):
            found.append(span)
    return found


_TERM_IN_QUOTES = re.compile(r"[“\"‘]([^“”\"‘’]{2,40}?)[”\"’]")
_QUOTED = re.compile(r"[“\"‘']([^“”\"‘’']{12,}?)[”\"’']")


def is_grounded(question: str, analysis: PassageAnalysis) -> bool:
    """Names a key term or name of the passage, or a concept of the text (a word the text uses far
    more than everyday English) that the passage uses, or quotes a few words of it exactly."""
    folded = squash(question)
    anchors = [t.text for t in analysis.terms] + [n.text.removeprefix("the ") for n in analysis.names]
    if any(squash(a) and squash(a) in folded for a in anchors):
        return True
    passage_words = {t.text.lower() for t in analysis.text.tokens}
    if any(w.lower() in passage_words and analysis.is_concept(w) for w in re.findall(r"[^\W\d_]{4,}", question)):
        return True
    body = squash(analysis.text.plain)
    return any(len(squash(q)) >= 10 and squash(q.strip(" .…")) in body for q in _QUOTED.findall(question))


def prompt_slots(passage: StoredPassage, analysis: PassageAnalysis) -> dict[str, str]:
    """What fills the prompt file's slots: the passage and what the analysis found in it."""
    connection = analysis.connection
    return {
        "title": passage.text_title,
        "author": passage.author,
        "section": passage.section or "(none)",
        "passage": analysis.text.plain,
        "terms": ", ".join(t.text for t in analysis.terms) or "(none)",
        "names": ", ".join(n.text for n in analysis.names[:6]) or "(none)",
        "claim": analysis.argument.thesis.quote if analysis.argument.thesis else "(none)",
        "views": " | ".join(f"{v.holder} ({v.stance}): {v.quote}" for v in analysis.argument.views[:3]) or "(none)",
        "contrasts": " | ".join(c.quote for c in analysis.contrasts[:2]) or "(none)",
        "connection": (
            f"{connection.passage.author}, {short_title(connection.passage.text_title)}, passage "
            f"{connection.passage.ordinal}, also on {', '.join(connection.shared)}"
            if connection
            else "(none)"
        ),
    }
