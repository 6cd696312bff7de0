"""Discussion questions for a passage: hand-written ones first, then a language model's if one
is configured, else templates from prompts/questions.toml filled from the passage analysis.

A post gets three questions of different kinds. Which kind leads, and the order of the rest,
follow the passage's position in its text, so consecutive days differ while the same passage
always gets the same questions (nothing here is random). Every question is checked before it
is used: a filled template that would read badly (too long, a slot left empty, quotation marks
that do not pair, a doubled word) is passed over for the next candidate.
"""

from __future__ import annotations

import hashlib
import logging
import re
import string
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from bot.config import LlmConfig
from bot.errors import ConfigError
from bot.models import ServerQuestions, StoredPassage, Text
from bot.questions.analysis import PassageAnalysis, analyse_passage
from bot.questions.analysis.argument import PLAIN_CLAIM, Argument, Claim
from bot.questions.analysis.claims import CLAIM_KINDS, RHETORICAL, STATEMENT, read_claim, tells_the_past
from bot.questions.analysis.contrasts import Contrast
from bot.questions.analysis.everyday import english_frequency
from bot.questions.analysis.sentences import flat_text, names_its_people, quotable, stands_alone
from bot.questions.analysis.wording import MAX_QUESTIONS, MIN_QUESTIONS, question_problems, short_title
from bot.questions.llm import PROMPT_FILE, LlmError, model_questions
from bot.resources import prompts_dir
from bot.store import Store

log = logging.getLogger(__name__)

TEMPLATES_FILE = prompts_dir() / "questions.toml"


class QuestionKind(StrEnum):
    """What a question asks about: a kind of template (a table of prompts/questions.toml), or,
    for a question not made from a template, where it came from."""

    OPPONENT = "opponent"
    TENSION = "tension"
    COUNTERFACTUAL = "counterfactual"
    THESIS = "thesis"
    CAUSE = "cause"
    EVIDENCE = "evidence"
    STORY = "story"
    """A passage that tells a story: what the episode is meant to show."""
    MOTIVE = "motive"
    """A passage that tells a story: why the people in it act as they do, and how they are judged."""
    CONTRAST = "contrast"
    CONNECTION = "connection"
    ASSUMPTION = "assumption"
    MEANING = "meaning"
    TODAY = "today"
    REFLECTION = "reflection"
    """The last resort: a question any passage can take, when it gives too few others."""
    CURATED = "curated"
    LLM = "llm"


QuestionSource = Literal["curated", "template", "llm"]

KINDS = tuple(QuestionKind)[: list(QuestionKind).index(QuestionKind.TODAY) + 1]
"""The template kinds a post may draw on, from the strongest opening to the weakest."""
LAST_RESORT = QuestionKind.REFLECTION
QUESTIONS_PER_POST = 3
COMMON_SLOTS = frozenset({"author", "Author", "passage"})
KIND_SLOTS = {
    "opponent": frozenset({"holder", "Holder", "view", "reported", "objection"}),
    "tension": frozenset({"granted", "held"}),
    "counterfactual": frozenset({"counterfactual"}),
    "thesis": frozenset({"thesis"}),
    "cause": frozenset({"cause"}),
    "evidence": frozenset({"evidence", "reason"}),
    "contrast": frozenset({"contrast"}),
    "connection": frozenset({"shared", "other_author", "other_title", "other_passage"}),
    "assumption": frozenset({"claim"}),
    "meaning": frozenset({"concept", "holder", "Holder", "quoted", "so_called"}),
    "today": frozenset({"claim"}),
    "story": frozenset({"lesson"}),
    "motive": frozenset({"deed"}),
    LAST_RESORT: frozenset({"concept", "central", "story", "speaker", "quoter"}),
}
# How strongly each kind opens a discussion when the analysis supports it: a post's questions
# are the strongest of different kinds, strongest first. "today" is a last resort before the
# reflections, used only when a passage gives fewer than MIN_QUESTIONS of the others.
STRENGTH = {
    "opponent": 0.96,
    "tension": 0.94,
    "thesis": 0.8,
    "story": 0.74,
    "motive": 0.66,
    "evidence": 0.72,
    "counterfactual": 0.7,
    "cause": 0.68,
    "contrast": 0.6,
    "connection": 0.5,
    "assumption": 0.45,
    "meaning": 0.4,
    "today": 0.2,
}
EVIDENCE_STRENGTH = {"analogy": 0.8, "example": 0.79, "figures": 0.76}
"""An example or comparison the passage builds its point on is among the best things to ask
about (does it show what the author needs it to show?); a bare reason less so."""
SECOND_CLAIM_MIN_STRENGTH = PLAIN_CLAIM
"""Another of the author's claims is asked about only when it reads plainly as a claim."""
TODAY_MIN_STRENGTH = 0.6
_VIEW_SLOT = {"disputed": "view", "raised": "objection", "reported": "reported"}
"""The slot a view fills, by what the author makes of it."""
REPORTED_VIEW_STRENGTH = 0.62
"""A view the author reports without disputing it is a weaker opening than one they answer."""


@dataclass(frozen=True)
class Question:
    text: str
    kind: str
    """A QuestionKind: one of KINDS, "reflection", "curated" or "llm"."""
    template: str
    """The template's name; for a curated question "catalog" (the text's) or "server" (a server's
    own); the prompt file for the model's."""
    slots: Mapping[str, str] = field(default_factory=dict)
    """What filled the template's slots."""
    source: QuestionSource = "template"
    """"curated", "template" or "llm"."""


@dataclass(frozen=True)
class Template:
    name: str
    kind: str
    text: str
    slots: frozenset[str]
    fits: frozenset[str] = frozenset()
    """The kinds of claim or evidence it is written for (its `for` list: "normative", "causal",
    "analogy" ...); empty for any. A candidate uses the templates written for its kind, and
    those written for any only when none is."""


NARRATED = "narrative"
"""The kind of a judgement the author passes inside a story ("the renegade", "heroic"), asked about
as the narrator's verdict on people and events, not as a rule."""
PREDICTION = "prediction"
"""A cause or rule said of what will be (see _fit)."""
FOR_KINDS = frozenset(CLAIM_KINDS) | {
    STATEMENT,
    PREDICTION,
    RHETORICAL,
    NARRATED,
    "analogy",
    "example",
    "figures",
    "reason",
    "ground",
    "counterfactual",
}
"""What a template's `for` list may name: the type of sentence it quotes (claims.CLAIM_KINDS, a
statement, a rhetorical question, a verdict in a story; a case, figures or a comparison given as
evidence; a reason; a conditional about what might have been)."""
QUOTE_SLOTS = frozenset(
    {
        "thesis",
        "claim",
        "cause",
        "evidence",
        "reason",
        "contrast",
        "counterfactual",
        "lesson",
        "deed",
        "central",
        "story",
    }
)
"""Slots that quote a sentence of the passage whole (or its opening, cut with "…"): each must make
sense on its own (sentences.stands_alone), or the question is not made. ({granted} and {held} are
clauses of one sentence, asked about together; a view given to someone is framed by the question as
theirs, "Mill takes up an objection: 'Against this doctrine arises another class of objectors ...'",
and is only checked to read.)"""
VIEW_SLOTS = frozenset({"view", "objection", "reported"})
STORY_SLOTS = frozenset({"lesson", "deed", "story"})
"""Slots that quote a story's telling, whose people the reader of the passage knows by their pronouns."""
REFERENCE_SHARE = 0.12
"""A passage in which at least this share of the words are numbers (page references, dates in a
list) is reference matter, an index or a table of contents: nothing in it to discuss."""
STORY_SHARE = 0.35
MIN_TOLD = 3
"""A passage tells a story when at least this share of the author's sentences, and this many, tell
what happened (an editor's life of the author, an episode, a trial): its plain statements are
events, not claims, and its questions are a story's (the lesson, the motives, the narrator's verdict)."""
QUOTED_SHARE = 0.6
"""A passage is mostly someone else's words when this share of its text stands in quotation marks
(a letter, a speech, a testimony): its questions name that speaker, or no one."""
QUOTED_SENTENCE_SHARE = 0.5
"""A passage in which at least this share of the sentences stand in quotation marks is mostly others'
words, whatever their length."""
MIN_CONCEPT_USES = 2
"""A passage works with a concept (defines, distinguishes, argues over it) only if it names it at
least this often; a word used once in passing is no concept to ask about."""


def generate_questions(
    store: Store,
    passage: StoredPassage,
    *,
    llm: LlmConfig | None = None,
    templates: Mapping[str, tuple[Template, ...]] | None = None,
    guild_id: int | None = None,
) -> list[Question]:
    """The 2-4 questions a passage's post carries (for a server, with its curated questions).
    Deterministic for a given passage, library and server."""
    text = store.text_by_id(passage.text_id)
    server = store.server_questions(guild_id, passage.text_id, passage.ordinal) if guild_id is not None else None
    if server is not None and server.replaces_generated:
        return server_curated(server)
    curated = server_curated(server)
    curated += [
        q for q in (curated_questions(text, passage) if text else []) if q.text not in {c.text for c in curated}
    ]
    if len(curated) >= QUESTIONS_PER_POST:
        return curated[:MAX_QUESTIONS]
    analysis = analyse_passage(store.view(guild_id), passage, text)  # connects only to texts the server sees
    if llm is not None and not curated:
        try:
            texts = model_questions(store, llm, passage, analysis)
            return [Question(t, QuestionKind.LLM, PROMPT_FILE.name, {}, "llm") for t in texts]
        except LlmError as error:
            log.warning(
                "passage %s/%s: using templates, the model gave no usable questions: %s",
                passage.text_slug,
                passage.ordinal,
                error,
            )
    made = template_questions(passage, analysis, templates or load_templates())
    return curated + made[: max(QUESTIONS_PER_POST - len(curated), MIN_QUESTIONS - len(curated))]


# -- curated ------------------------------------------------------------------------------------


def server_curated(server: ServerQuestions | None) -> list[Question]:
    """A server's own questions for the passage, template "server": its organisers' list, or the
    members' suggestions they approved, which lead the generated ones."""
    return [Question(q.text, QuestionKind.CURATED, "server", {}, "curated") for q in server.questions] if server else []


def curated_questions(text: Text, passage: StoredPassage) -> list[Question]:
    """Hand-written questions for this passage (by number) and then its section (by title)."""
    found: list[str] = []
    by_section = {k.casefold(): v for k, v in text.meta.questions.items()}
    for listed in (
        text.meta.questions.get(str(passage.ordinal), []),
        by_section.get(passage.section.casefold(), []) if passage.section else [],
    ):
        found += [q for q in listed if q not in found]
    return [Question(q, "curated", "catalog", {}, "curated") for q in found]


# -- templates ----------------------------------------------------------------------------------


def load_templates(path: Path = TEMPLATES_FILE) -> dict[str, tuple[Template, ...]]:
    """The templates, re-read whenever the file changes, so an organiser's edit applies at once."""
    try:
        modified = path.stat().st_mtime_ns
    except OSError as error:
        raise ConfigError(f"The question templates {path} cannot be read ({error.strerror}).") from error
    return _read_templates(str(path), modified)


@lru_cache(maxsize=4)
def _read_templates(path: str, modified: int) -> dict[str, tuple[Template, ...]]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} is not valid TOML ({error}); fix it.") from error
    templates: dict[str, tuple[Template, ...]] = {}
    for kind, entries in data.items():
        if kind not in KIND_SLOTS:
            raise ConfigError(f"{path}: unknown kind [[{kind}]]; the kinds are {', '.join(KIND_SLOTS)}.")
        templates[kind] = tuple(_template(path, kind, entry) for entry in entries)
    return templates


def _template(path: str, kind: str, entry: object) -> Template:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not isinstance(entry.get("text"), str):
        raise ConfigError(f"{path}: every [[{kind}]] template needs a name and a text.")
    allowed = COMMON_SLOTS | KIND_SLOTS[kind]
    try:
        slots = {f for _, f, spec, conv in string.Formatter().parse(entry["text"]) if f is not None}
        bad = [f for f in slots if f not in allowed]
    except ValueError as error:
        raise ConfigError(f"{path}: template {entry['name']} has a stray brace ({error}).") from error
    if bad:
        raise ConfigError(
            f"{path}: template {entry['name']} uses {{{bad[0]}}}; a {kind} template can use "
            f"{', '.join('{' + s + '}' for s in sorted(allowed))}."
        )
    fits = entry.get("for", [])
    if isinstance(fits, str):
        fits = [fits]
    if not isinstance(fits, list) or any(f not in FOR_KINDS for f in fits):
        raise ConfigError(
            f"{path}: template {entry['name']} has `for = {fits!r}`; it can list {', '.join(sorted(FOR_KINDS))}."
        )
    return Template(entry["name"], kind, entry["text"].strip(), frozenset(slots), frozenset(fits))


def template_questions(
    passage: StoredPassage, analysis: PassageAnalysis, templates: Mapping[str, tuple[Template, ...]]
) -> list[Question]:
    """The strongest questions of different kinds the analysis supports, strongest first, no
    two quoting the same sentence; "today" and then the reflections fill a post that would
    otherwise have fewer than MIN_QUESTIONS."""
    if reference_matter(analysis.text.plain):
        return []  # an index or a table of contents: a question would have nothing to work on
    writer = analysis.writer or surname(passage.author)
    speaker = quoted_speaker(analysis)
    if speaker != "":
        # Mostly another's words: the author's few sentences around them are no claims of the speaker's,
        # and no question puts the words in the author's mouth; with no speaker named, no term either.
        analysis = replace(
            analysis,
            argument=_without_claims(analysis.argument),
            terms=analysis.terms if speaker else (),
            contrasts=(),
            connection=None,
        )
    common = _common_slots(speaker or writer, passage.ordinal)
    made: list[Question] = []
    kinds: set[str] = set()
    sentences: set[int] = set()
    for candidate in sorted(_candidates(analysis), key=lambda c: -c.strength):
        if len(made) == QUESTIONS_PER_POST:
            break
        if candidate.kind in kinds or sentences & candidate.sentences or _asked_already(candidate, made):
            continue
        if not _quotes_stand_alone(candidate.slots):
            continue
        question = _first_fitting(
            candidate.kind, passage, templates.get(candidate.kind, ()), iter([candidate.slots]), common, candidate.fit
        )
        if question is not None:
            made.append(question)
            kinds.add(candidate.kind)
            sentences |= candidate.sentences
    if len(made) < MIN_QUESTIONS and "assumption" not in kinds:
        # Another of the author's claims, however plain, before the questions that quote nothing.
        for claim in _arguable(analysis):
            if claim.sentence in sentences or not _stands_alone(claim.quote):
                continue
            question = _first_fitting(
                "assumption",
                passage,
                templates.get("assumption", ()),
                iter([{"claim": claim.quote}]),
                common,
                _fit(analysis, claim),
            )
            if question is not None:
                made.append(question)
                sentences.add(claim.sentence)
                break
    if len(made) < MIN_QUESTIONS:
        for claim in _arguable(analysis):
            if claim.sentence in sentences or not _general(claim.quote) or claim.strength < TODAY_MIN_STRENGTH:
                continue
            question = _first_fitting(
                "today", passage, templates.get("today", ()), iter([{"claim": claim.quote}]), common
            )
            if question is not None:
                made.append(question)
                break
    # The last resort names what the passage is about (its leading concept, or its most central
    # sentence not yet quoted), so that even it fits this passage and no other; a template that
    # needs neither only when the passage gives neither.
    own = {**common, **_passage_slots(analysis, sentences)}
    if speaker:
        own |= {"speaker": speaker, "quoter": writer}
    if speaker != "":
        own.pop("story", None)  # the quoter's framing sentences are no episode of the speaker's
    last = templates.get(LAST_RESORT, ())
    specific = tuple(t for t in last if t.slots - COMMON_SLOTS)
    rotation = _rotation(passage, LAST_RESORT)
    generic = rotation(tuple(t for t in last if t not in specific))
    for template in list(specific) + generic:  # in the file's order
        if len(made) >= MIN_QUESTIONS:
            break
        if not _quotes_stand_alone({k: own[k] for k in template.slots if k in own}):
            continue
        if "story" in template.slots and any(q.kind == QuestionKind.STORY for q in made):
            continue  # the episode's lesson is asked already
        question = _fill(template, own)
        if question is not None and question.template not in {q.template for q in made}:
            made.append(question)
    return made


def _quotes_stand_alone(slots: Mapping[str, str]) -> bool:
    """Every quote a question would carry makes sense on its own (see QUOTE_SLOTS)."""
    return all(
        stands_alone(slots[k]) and (k in STORY_SLOTS or names_its_people(slots[k]))
        for k in QUOTE_SLOTS.intersection(slots)
    ) and not any(_SINGLE_FOR_PLURAL.match(slots[k]) for k in VIEW_SLOTS.intersection(slots))


_SINGLE_FOR_PLURAL = re.compile(
    r"^\[(?![^\]]*\band\b)(?:[A-Z][\w.’'-]*\s)*[A-Z][\w.’'-]*(?<![^s]s)\]\s+(?:are|were|have)\b"
)
"""A quote whose "They" was replaced by one person's name ("[Saint-Just] are not capable of it"): the
pronoun stood for others, and the sentence no longer reads."""


_NUMBER_WORD = re.compile(r"\b\d+\b")


def reference_matter(plain: str) -> bool:
    """An index, a table of contents, a list of references (see REFERENCE_SHARE)."""
    words = re.findall(r"[\w’'-]+", plain[:20_000])  # bounded: a passage's opening is enough to tell
    return len(words) >= 20 and len(_NUMBER_WORD.findall(" ".join(words))) >= REFERENCE_SHARE * len(words)


def _passage_slots(analysis: PassageAnalysis, quoted: set[int]) -> dict[str, str]:
    """What a last-resort question names: the passage's leading concept (a term the text uses far
    more than everyday English does), and its most central sentence that no question quotes yet. No
    concept in a story, nor in a passage whose sentences are mostly others' (letters it quotes): the
    author states no view of the concept there to ask about."""
    slots = {}
    sentences = analysis.text.sentences
    others = sum(s.quoted for s in sentences) >= QUOTED_SENTENCE_SHARE * len(sentences)
    concept = (
        ""
        if tells_a_story(analysis) or others
        else next(
            (
                t.text
                for t in analysis.terms
                if t.text.islower() and _concept(analysis, t) and _worked_with(analysis, t.text)
            ),
            "",
        )
    )  # no name
    if concept:
        slots["concept"] = concept
    central = next((c.quote for c in _arguable(analysis) if c.sentence not in quoted and _stands_alone(c.quote)), "")
    if central:
        slots["central"] = central
    story = next((q for i, q in _told_sentences(analysis) if i not in quoted), "")
    if story:
        slots["story"] = story
    return slots


def _story_candidates(analysis: PassageAnalysis) -> Iterator[_Candidate]:
    """In a story passage: the sentence that draws its lesson (the narrator's verdict on the events,
    else a sentence that turns the story, else the longest telling what happened), and a deed whose
    motives can be asked."""
    if not tells_a_story(analysis):
        return
    told = list(_told_sentences(analysis))
    verdicts = [c for c in analysis.argument.theses if _verdict_in_story(analysis, c) and _stands_alone(c.quote)]
    turns = [c for c in analysis.argument.theses if _TURN.search(c.quote) and _stands_alone(c.quote)]
    lesson = (
        (verdicts[0].sentence, verdicts[0].quote)
        if verdicts
        else (turns[0].sentence, turns[0].quote)
        if turns
        else told[0]
        if told
        else None
    )
    deed = next(((i, q) for i, q in told if _ACTS.search(q) and (lesson is None or i != lesson[0])), None)
    for kind, slot, found in (("story", "lesson", lesson), ("motive", "deed", deed)):
        if found is not None:
            yield _Candidate(kind, STRENGTH[kind], {slot: found[1]}, frozenset({found[0]}))


_TURN = re.compile(
    r"\binstead of\b|\bonly to (?:find|learn|see|discover)\b|^(?:(?:And|But),?\s+)?(?:Thus|So it was|In the end|At last|"
    r"From (?:that|this) (?:day|hour|moment|time))\b",
    re.I,
)
"""A sentence that turns a story into its lesson ("Instead of one master, she found a dozen"; "Thus
ended ..."; "From that day ..."), which the narrator's plain statement can be."""


_ACTS = re.compile(
    r"\b(?:he|she|they|[A-Z][a-z]+)\s+(?:\w+\s+)?(?:refused|declined|decided|resolved|chose|agreed|determined|insisted|"
    r"tried|attempted|offered|joined|fled|left|went|came|returned|gave up|took up|wrote|sent|urged|begged|demanded|"
    r"protested|defended|betrayed|abandoned|denounced|struck|resigned)\b"
)
"""Someone choosing to do something ("she refused", "Berkman left for Europe"): a deed whose motive
can be asked; what merely happened ("the struggle reached its height") has none."""


def tells_a_story(analysis: PassageAnalysis) -> bool:
    """Most of what the author says here tells what happened (see STORY_SHARE)."""
    told = len(analysis.argument.told)
    return told >= MIN_TOLD and told >= STORY_SHARE * analysis.argument.spoken


def _arguable(analysis: PassageAnalysis) -> tuple[Claim, ...]:
    """The author's claims a question may quote, best first: in a story, its plain statements are events
    told, not claims (only a cause, a rule, a comparison or the narrator's verdict is); never one that
    makes no sense alone, a distinction (weighed as one), or the first item of a list, so that the next
    claim in line takes the place of one that cannot be asked."""
    story = tells_a_story(analysis)
    return tuple(
        c
        for c in analysis.argument.theses
        if not (story and c.kind == STATEMENT)
        and not _DISTINCTION.search(c.quote)
        and _quotes_stand_alone({"claim": c.quote})
        and not _first_item_of_a_list(c.quote, flat_text(analysis.text.sentences[c.sentence]))
    )


def _fit(analysis: PassageAnalysis, claim: Claim) -> str:
    """The templates a claim is asked with: a verdict inside a story is the narrator's judgement; a
    cause or a rule said of what will be is a prediction."""
    if _verdict_in_story(analysis, claim):
        return NARRATED
    return PREDICTION if claim.kind in ("causal", "general") and _PREDICTION.search(claim.quote) else claim.kind


_PREDICTION = re.compile(
    r"(?<!\bthe )(?<!\bfree )(?<!\bgeneral )(?<!\bown )(?<!\bhis )(?<!\bher )(?<!\btheir )(?<!\bits )(?<!\bour )"
    r"(?<!\bmy )(?<!\bgood )(?<!\bill )\b(?:will|shall)\s+(?:not\s+|never\s+|\w+ly\s+)?(?!of\b)[a-z]+"
)
"""What will be ("Socialism will be of value simply because it will lead to Individualism"): asked
what would make it happen and what would stop it, not what else explains an outcome that has not
happened. Not the noun ("the general will", "of his own free will")."""
_ANNOUNCES = re.compile(
    r":\s*$|\b(?:of|into|under) (?:two|three|four|five|several) (?:kinds|sorts|classes|heads|parts|types)\s*[.:]?\s*$"
    r"|\b(?:as follows|the following)\s*[.:]?\s*$",
    re.I,
)
"""A sentence that announces what comes next ("... may be of three kinds."): at a passage's end,
what it announces is not in the passage."""


def _verdict_in_story(analysis: PassageAnalysis, claim: Claim) -> bool:
    """A judgement passed on the events of a story ("Mistakes were thus inevitable"), not a claim
    about how things are that a story passage also makes ("It is essential to rebuild the party")."""
    return claim.kind == "evaluative" and tells_a_story(analysis) and tells_the_past(claim.quote)


_SPEAKER = re.compile(
    r"\b(?:says|writes|said|wrote|declares|declared|adds|added|continues|exclaims|exclaimed)\s+"
    r"(?P<after>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})"
    r"|(?P<before>[A-Z][\w’'-]+(?:\s+[A-Z][\w.’'-]*){0,3})\s+(?:says|writes|said|wrote|declares|declared|"
    r"replied|answered|exclaimed)\b"
)
"""A speaker named where the passage attributes quoted words ("writes Ferrer", "says Sainte Beuve",
"Ferrer wrote")."""


def quoted_speaker(analysis: PassageAnalysis) -> str | None:
    """Whose words a passage that is mostly a quotation gives (see QUOTED_SHARE): the speaker the
    passage names, "" when it is not mostly a quotation (the writer speaks), None when it is and no
    speaker is named (no question may put the words in anyone's mouth)."""
    sentences = analysis.text.sentences
    total = sum(len(s.text) for s in sentences)
    if not total or sum(len(s.text) for s in sentences if s.quoted) < QUOTED_SHARE * total:
        return ""
    for match in _SPEAKER.finditer(analysis.text.plain[:20_000]):  # bounded: a passage's opening attributions
        name = match.group("after") or match.group("before")
        words = name.split()
        if words[0] in ("The", "He", "She", "They", "It", "This", "But", "And", "As", "I", "We"):
            continue
        return words[-1] if len(words) > 2 else name
    return None


def _without_claims(argument: Argument) -> Argument:
    """An argument with nothing in it to quote as anyone's: for another's words whose speaker is unknown."""
    return replace(argument, theses=(), views=(), reasons=(), evidence=(), causes=(), counterfactuals=(), tensions=())


def _worked_with(analysis: PassageAnalysis, term: str) -> bool:
    """The passage names the concept often enough, in its own words, to be working with it (see
    MIN_CONCEPT_USES): a word that stands mostly in the letters or speeches it quotes is theirs."""
    pattern = re.compile(rf"\b{re.escape(term)}(?:s|es)?\b", re.I)
    uses = sum(len(pattern.findall(s.text)) for s in analysis.text.sentences if not s.quoted)
    return uses >= MIN_CONCEPT_USES


def _told_sentences(analysis: PassageAnalysis) -> Iterator[tuple[int, str]]:
    """The passage's sentences that tell what happened (claims.read_claim: narrative), quotable and
    standing alone, longest first: the episode a story passage turns on."""
    found = []
    for index, sentence in enumerate(analysis.text.sentences):
        quote = quotable(sentence)
        if (
            quote
            and _stands_alone(quote)
            and not re.match(r"[^;,.]{1,40};\s+[a-z]", quote)  # a note: "Roberto of San Severino; died fighting ..."
            and read_claim(quote).not_a_claim == "narrative"
        ):
            found.append((index, quote))
    return iter(sorted(found, key=lambda item: -len(item[1])))


@dataclass(frozen=True)
class _Candidate:
    kind: str
    strength: float
    slots: dict[str, str]
    sentences: frozenset[int] = frozenset()
    """The passage's sentences it quotes: no two questions of a post quote the same one."""
    fit: str = ""
    """The kind of claim or evidence it quotes, which picks the templates written for it."""


def _candidates(analysis: PassageAnalysis) -> Iterator[_Candidate]:
    """Every question the analysis supports, with its strength; earlier material of a kind is
    the better (the analysis lists it best first), so it is a shade stronger."""
    argument = analysis.argument

    last = len(analysis.text.sentences) - 1

    def ranked(kind: str, items, slots, sentence=lambda item: item.sentence, strength=None, fit=lambda item: ""):
        for rank, item in enumerate(items):
            index = sentence(item)
            if index == last and _ANNOUNCES.search(flat_text(analysis.text.sentences[index])):
                continue  # "The objections ... may be of three kinds.": the kinds come in the next passage
            base = STRENGTH[kind] if strength is None else strength(item)
            yield _Candidate(kind, base - 0.01 * rank, slots(item), frozenset({index}), fit(item))

    yield from ranked(
        "opponent",
        [v for v in argument.views if v.stance != "endorsed"],
        lambda v: {
            "holder": v.holder,
            "Holder": _capital(v.holder),
            _VIEW_SLOT[v.stance]: v.quote,
        },
        strength=lambda v: REPORTED_VIEW_STRENGTH if v.stance == "reported" else STRENGTH["opponent"],
    )
    yield from _story_candidates(analysis)
    yield from ranked("tension", argument.tensions, lambda t: {"granted": t.granted, "held": t.held})
    yield from ranked(
        "counterfactual",
        argument.counterfactuals,
        lambda c: {"counterfactual": c.quote},
        fit=lambda c: "counterfactual" if _CONDITION.search(c.quote) else STATEMENT,
    )
    # The author's claims: the plainest and most central as the thesis, the next as another
    # claim to weigh; each asked about in the way its kind calls for.
    arguable = _arguable(analysis)
    plain = [c for c in arguable if c.strength >= PLAIN_CLAIM]
    claims = (plain or list(arguable[:1]))[:4]  # a plain statement only when there is no plainer claim
    yield from ranked(
        "thesis", claims[:3], lambda c: {"thesis": c.quote}, strength=_claim_strength, fit=lambda c: _fit(analysis, c)
    )
    yield from ranked(
        "assumption",
        [c for c in claims[1:] if c.strength >= SECOND_CLAIM_MIN_STRENGTH and _stands_alone(c.quote)],
        lambda c: {"claim": c.quote},
        strength=lambda c: _claim_strength(c) - 0.2,
        fit=lambda c: _fit(analysis, c),
    )
    yield from ranked(
        "cause",
        argument.causes,
        lambda c: {"cause": c.quote},
        fit=lambda c: _cause_fit(analysis, c.quote),
    )
    yield from ranked(
        "evidence",
        argument.evidence,
        lambda c: {"evidence": c.quote},
        strength=lambda c: EVIDENCE_STRENGTH.get(c.kind, STRENGTH["evidence"]),
        fit=lambda c: c.kind,
    )
    reasons = [c for c in argument.reasons if not _DISTINCTION.search(c.quote)]
    yield from ranked(
        "evidence",
        reasons,
        lambda c: {"reason": c.quote},
        strength=lambda c: STRENGTH["evidence"] - 0.1,
        fit=lambda c: _reason_fit(analysis, c.quote),
    )
    told = (
        analysis.argument.told
    )  # a line drawn in a story's telling ("not to obtain grace, but ...") is no distinction argued
    drawn: list[Contrast | Claim] = [c for c in analysis.contrasts if c.sentence not in told]
    sorted_out = {d.sentence for d in drawn}
    drawn += [  # a sentence sorting things into kinds is a distinction drawn, whatever else it was read as
        c
        for c in (*argument.reasons, *argument.theses)
        if _DISTINCTION.search(c.quote) and c.sentence not in told and c.sentence not in sorted_out
    ]
    yield from ranked("contrast", drawn, lambda c: {"contrast": c.quote})
    connection = analysis.connection
    key_terms = {t.text for t in analysis.terms}
    if (
        connection is not None
        and connection.shared
        and connection.shared[0] in key_terms  # the link is named by a concept of this passage
        and surname(connection.passage.author) != "the author"
    ):
        other = connection.passage
        yield _Candidate(
            "connection",
            STRENGTH["connection"] + min(connection.similarity, 0.2),
            {
                "shared": " and ".join(f"“{w}”" for w in connection.shared),
                "other_author": surname(other.author),
                "other_title": short_title(other.text_title),
                "other_passage": str(other.ordinal),
            },
        )
    marked = [
        t
        for t in analysis.terms
        if t.marked
        and not _is_name(t.text, analysis.text.plain)
        and (t.holder or t.marked == "so-called" or _concept(analysis, t))
    ]
    for rank, term in enumerate(marked):
        if term.holder:
            slots = {"concept": term.text, "holder": term.holder, "Holder": _capital(term.holder)}
        elif term.marked == "so-called":
            slots = {"so_called": term.text}
        elif term.marked == "quoted" and _in_quotation_marks(term.text, analysis.text.plain):
            slots = {"quoted": term.text}
        elif _concept(analysis, term):  # named as a concept ("the doctrine of ..."): worked with
            slots = {"concept": term.text}
        else:
            continue
        yield _Candidate("meaning", STRENGTH["meaning"] - 0.01 * rank, slots)


_CONDITION = re.compile(
    r"\b(?i:if|unless|but for|were it not|had it not)\b|(?:^|[,;:]\s+|\band\s+)(?:Had|had|Were|were)\s+(?:it|he|she|they|we|I|you|"
    r"the|this|that|his|her|their|its|our)\b|\bwithout\b"
)
"""What a question about what might have been needs: the condition ("if ...", "had he lived ...",
"without ..."). "The only way I could have conspired with him was in my astral body" is a denial."""
_DISTINCTION = re.compile(
    r"\b(?:two|three|several|different) (?:sorts|kinds|classes|species|types|forms|orders)\b", re.I
)
"""A sentence sorting things into kinds ("For there are two sorts: extralegal and legal plunder"): a
distinction to weigh, not a reason ("If this reason were wrong ...")."""


def _cause_fit(analysis: PassageAnalysis, quote: str) -> str:
    """The type of a sentence quoted for what causes what: a cause stated as how things work
    ("general"), one told of a case ("causal"), or what it reads as when something else comes first
    (a conclusion drawn, a definition, a thing classed: no cause template is written for those)."""
    kind = read_claim(quote.rstrip("…"), names=_names(analysis)).kind
    if kind in ("conclusion", "definition", "classification", RHETORICAL):
        return kind
    if _PREDICTION.search(quote):
        return PREDICTION
    return "general" if _general_cause(quote) else "causal"


def _reason_fit(analysis: PassageAnalysis, quote: str) -> str:
    """A reason given ("because ...", "for ..."), unless the sentence draws a conclusion ("It follows
    from this that ..."), which is asked whether it follows, not whether the reason holds."""
    if _REASON_WITHHELD.search(quote):
        return "withheld"  # no template is written for it: "If this reason were wrong" of a reason not given
    kind = read_claim(quote.rstrip("…"), names=_names(analysis)).kind
    if kind == "conclusion":
        return kind
    # "For it is through joy that ...": the author's own ground for what came before, asked what rests on
    # it, not whether it is "the real one" (as of an explanation someone might doubt)
    return "ground" if _FOR_OPENING.match(quote) else "reason"


_FOR_OPENING = re.compile(r"^(?:…\s*)?For\s")


_REASON_WITHHELD = re.compile(
    r"\b(?:the|a|this|that|its) reasons? (?:is|are|was|were|seems?) (?:evident|obvious|plain|clear|simple|easily seen)\b"
    r"|\b(?:for|by) (?:this|that|these|those|the same) reasons?\b",
    re.I,
)
"""A sentence that names its reason without giving it ("the ancients far exceeded the moderns: and the
reason is evident"; "for this reason ..."): what the reason is lies elsewhere."""


def _names(analysis: PassageAnalysis) -> frozenset[str]:
    return frozenset(n.text.removeprefix("the ").casefold() for n in analysis.names)


_CONTACT_CLAUSE = re.compile(
    r"^(?:[Tt]he|[Aa]n?|[Ee]very|[Ee]ach)\s+[\w-]+\s+(?:my|his|her|its|our|your|their|I|we|he|she|they)\s"
)
"""A thing with its clause and no "that" ("the grass my horse has bit"): a noun phrase, not a claim."""
MIN_LIST_ITEMS = 3
"""Items that open alike ("the grass ...; the turfs ...; and the ore ..."): a list, not clauses."""
_LINK_WORD = re.compile(r"^(?:(?:Thus|So|Hence|And|But|Now|Then|Therefore),?\s+)+")


def _first_item_of_a_list(quote: str, sentence: str) -> bool:
    """A quote cut after the first item of a list ("Thus the grass my horse has bit; the turfs my servant
    has cut; and the ore I have digged ... become my property" cut as "Thus the grass my horse has bit…"):
    the items that follow open as it does, and the verb that makes the claim comes after them all."""
    if not quote.endswith("…"):
        return False
    piece = _LINK_WORD.sub("", quote)
    if not _CONTACT_CLAUSE.match(piece):
        return False  # "The law is made by one man…": a clause of its own, whatever follows
    opening = piece.split(" ", 1)[0].casefold()
    items = [_LINK_WORD.sub("", re.sub(r"^(?:and|or)\s+", "", p.strip())) for p in re.split(r"[;,]", sentence)]
    return sum(1 for p in items if p.split(" ", 1)[0].casefold() == opening) >= MIN_LIST_ITEMS


def _in_quotation_marks(term: str, plain: str) -> bool:
    """The passage itself sets these very words in quotation marks: only then may a question say
    the author "puts" them there."""
    return bool(re.search(rf"[“‘\"](?:the |a |an )?{re.escape(term)}[”’\"]", plain, re.I))


def _asked_already(candidate: _Candidate, made: list[Question]) -> bool:
    """A question on what a word means, when a question already made quotes the passage on it
    ("Justice is a name for ..."): the group discusses the meaning there."""
    term = candidate.slots.get("concept") or candidate.slots.get("quoted") or candidate.slots.get("so_called")
    if candidate.kind != "meaning" or not term:
        return False
    pattern = re.compile(rf"\b{re.escape(term)}\b", re.I)
    return any(pattern.search(q.text) for q in made)


def _claim_strength(claim) -> float:
    """How strongly a question on one of the author's claims opens a discussion: by its score as a
    thesis (how central, and how plainly it states something to dispute; an aphorism the most)."""
    strength = STRENGTH["thesis"] + 0.25 * (claim.score - 0.6) + (0.02 if claim.aphorism else 0.0)
    return min(strength, STRENGTH["tension"] - 0.01)  # the argument's own moves (an objection, a concession) lead


def _stands_alone(claim: str) -> bool:
    """A claim that makes sense without the sentence before it (an expletive "It seems likely that
    ..." does; "It is not" about the thing before does not: analysis.sentences.stands_alone)."""
    return stands_alone(claim)


def _general_cause(quote: str) -> bool:
    """A cause stated as how things work (present tense, no one named: "Idleness produces vice"),
    which can be asked whether it runs the other way; a cause in a story ("the police sells the
    peasant's horse for arrears") cannot."""
    named = any(w[:1].isupper() for w in re.findall(r"[^\W\d_][\w’'-]*", quote)[1:])
    return _general(quote) and not named and not re.search(r"\b(?:was|were|had|did)\b", quote)


def _general(claim: str) -> bool:
    """A claim that can be tested against today: stated in the present (or as what must, can or
    will be), not a report of what someone did once, and not leaning on the sentence before."""
    if not _stands_alone(claim):
        return False
    if re.search(r"\b(?:1[6-9]|20)\d\d\b", claim):
        return False
    return bool(re.search(r"\b(?:is|are|cannot|can|must|will|does|do|has|have|always|never)\b", claim))


NAME_FREQUENCY = 1e-5
"""Rarer than this in everyday English (wordfreq's Zipf 4.0), a capitalised word the passage never
writes in lower case is a name ("Hobbes" 1e-6, "Sparta" 1.4e-6), not a concept to ask the meaning
of ("State" 6e-4)."""


def _is_name(term: str, plain: str) -> bool:
    """A person's or place's name: nobody asks what an author "takes 'Hobbes' to be"."""
    first = term.split()[0]
    if not first[:1].isupper() or english_frequency(first.casefold()) >= NAME_FREQUENCY:
        return False
    return re.search(rf"\b{re.escape(term.casefold())}\b", plain) is None


def _concept(analysis: PassageAnalysis, term) -> bool:
    """A marked term asked about for its meaning must also be one of the text's concepts."""
    if " " in term.text:
        return term.strong
    return analysis.is_concept(term.text)


def _capital(words: str) -> str:
    return words[:1].upper() + words[1:]


def _first_fitting(
    kind: str,
    passage: StoredPassage,
    templates: tuple[Template, ...],
    candidates: Iterator[dict[str, str]],
    common: dict[str, str],
    fit: str = "",
) -> Question | None:
    rotation = _rotation(passage, kind)
    ordered = rotation(_written_for(templates, fit))
    for slots in candidates:
        for template in ordered:
            if _fits(template, slots):
                question = _fill(template, {**common, **slots})
                if question is not None:
                    return question
    return None


def _written_for(templates: tuple[Template, ...], fit: str) -> tuple[Template, ...]:
    """The templates a quote of this type may be asked with: those whose `for` names it. Templates
    without `for` serve any type only in a kind none of whose templates says what it is for (an
    organiser's plain list); once a kind's templates say, a quote of a type none is written for gets
    no question of that kind: "Can you think of a counterexample?" is never asked of a definition."""
    if fit:
        typed = tuple(t for t in templates if fit in t.fits)
        if typed or any(t.fits for t in templates):
            return typed
    return tuple(t for t in templates if not t.fits)


def _fits(template: Template, slots: Mapping[str, str]) -> bool:
    """A template fits a filling when it uses every slot the filling must show and no slot the
    filling lacks ({Holder} is {holder} capitalised: either may stand for the holder)."""
    wanted = set(slots) - {"Holder"}
    used = set(template.slots - COMMON_SLOTS)
    if "Holder" in used:
        used = (used - {"Holder"}) | {"holder"}
    return used == wanted


def _fill(template: Template, slots: Mapping[str, str]) -> Question | None:
    if any(not slots.get(s, "").strip() for s in template.slots):
        return None
    text = template.text.format_map({k: v for k, v in slots.items()})
    text = " ".join(text.split())
    problems = question_problems(text)
    if problems:
        log.debug("template %s skipped (%s): %s", template.name, "; ".join(problems), text)
        return None
    used = {s: slots[s] for s in sorted(template.slots)}
    return Question(text, template.kind, template.name, used, "template")


def _rotation(passage: StoredPassage, kind: str):
    """Templates of a kind, starting at one chosen by the passage: varied, yet the same each time."""
    start = _number(f"{passage.text_slug}:{passage.ordinal}:{kind}")

    def rotate(templates: tuple[Template, ...]) -> list[Template]:
        if not templates:
            return []
        at = start % len(templates)
        return list(templates[at:] + templates[:at])

    return rotate


def _number(key: str) -> int:
    """A stable number for a key (Python's hash() changes from run to run)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _common_slots(name: str, ordinal: int) -> dict[str, str]:
    """`name`: how the questions name who speaks ("Trotsky", or another hand: "the preface")."""
    return {"author": name, "Author": name[:1].upper() + name[1:], "passage": str(ordinal)}


def surname(author: str) -> str:
    """How a question names the author: "Leon Trotsky" -> "Trotsky"; unknown -> "the author"."""
    words = re.findall(r"[^\W\d_][\w’'-]*", author or "")
    if (
        not words
        or author.strip().casefold() in ("unknown", "anonymous")
        or len(re.split(r"\s+(?:and|&)\s+", author)) > 1
    ):
        return "the author"
    return words[-1]
