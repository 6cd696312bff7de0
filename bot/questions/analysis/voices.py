"""Whose voice a paragraph or sentence is in, beyond its quotation marks.

A question that quotes a sentence as the author's claim must not quote someone else's words, nor
the author mimicking someone, nor the author's remarks about their own book. Quotation marks and
block quotations (tokens.read_passage) catch most borrowed words; these rules catch the rest, by
the typesetting and rhetoric that mark them in any text:

- a block quotation continued at the margin: the paragraph right after one that opens with an
  ellipsis or carries an elision mark ("....") is still the quoted writer's;
- a quotation opened in one paragraph and closed paragraphs later, with no marks between;
- speech announced at the end of a paragraph ("One would think it was a professor who was saying
  to his pupils", "... in such terms as the following:"): the paragraphs after it are the
  speaker's until the author turns back ("But ...");
- mimicry: a paragraph of rhetorical questions and exclamations with an interjection ("Oh, then
  the people possess science by instinct ... What! Are the people to be forever led about by the
  nose?") is the author acting out a view, not stating his own;
- apparatus: a note on who wrote a foreword ("X is professor of economics at ..."), the author's
  remarks about their own book ("this little treatise ... the least unworthy of being offered").

When a rule cannot tell, the words count as someone else's: a question that skips a sentence
loses less than one that hands the author words that are not his. Every rule looks at a
paragraph and its neighbours once: linear in the passage's length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_ELLIPSIS_OPENING = re.compile(r"^\s*(?:\.\s?){3,}|^\s*…")
_ELISION = re.compile(r"\w(?:\.\s?){4,}\s*[A-Z]")
"""An editor's mark of words left out after a full stop ("towards each of these objects.... But if
..."): quoted matter, which the author's own prose does not carry. (Three dots alone may be the
author's own trailing off, or a footnote's.)"""


def continues_quotation(paragraph: str) -> bool:
    """A paragraph set at the margin that still belongs to the block quotation before it."""
    return bool(_ELLIPSIS_OPENING.match(paragraph) or _ELISION.search(paragraph))


_SPEECH = re.compile(
    r"(?<!\bto )(?<!\bTo )\b(?:says?|said|saying|speaks?|speaking|spoke|tells?|telling|told|writes?|writing|wrote|continues thus|"
    r"in (?:these|those|such|his|her|their) (?:\w+ )?(?:words|terms)|addresses|addressing|preaching|declaring|"
    r"exclaiming|cries|crying|listen to|hear|a quotation|the (?:following )?letter|words of)\b",
    re.I,
)
_OWN_ANNOUNCEMENT = re.compile(
    r"^(?:(?:And|But|Now|Then|Here|So),?\s+)?(?:I|We)\s+(?:\w+\s+)?(?:say|answer|reply|add|maintain|hold|conclude|"
    r"affirm|repeat|ask|propose|submit|contend|argue)\b"
)
"""The author announcing their own point ("I answer:"): what follows is theirs."""
_TURNS_BACK = re.compile(
    r"^(?:But|Now|Yet|However|Nevertheless|Such|Thus|So|This|These|That|Here|What|How|Poor|Well|Alas|Oh|Ah|And so|"
    r"In (?:this|that|these|short|truth|reality|fact))\b"
)
"""The author's voice again after the speech they announced."""
_LIST_AHEAD = re.compile(
    r"\b(?:two|three|four|five|several|these|the following)\s+(?:things|points|reasons|conditions|propositions|"
    r"questions|considerations|heads|parts|rules|principles|objections)\b",
    re.I,
)
_SOMEONE_ELSES = re.compile(r"\b(?:quot\w+|words of|letter|extract|passage from|listen to)\b", re.I)
_MARKED = re.compile(r"[“”\"‘]|(?:^|\s)'\w")
MAX_SPEECH_PARAGRAPHS = 3
"""An announced speech set at the margin runs at most this far: past it, the author is more likely
back than not, and a question may quote him."""
_TERMINAL = re.compile(r"[.!?][\"”’)\]]*\s*$")


def announces_speech(paragraph: str) -> bool:
    """A paragraph whose last sentence hands the floor to someone else: it ends in a colon, or breaks
    off without a full stop ("who was saying to his pupils"), with a verb of saying, and is not
    the author announcing their own point."""
    last = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"‘])", paragraph.strip())[-1]
    if _TERMINAL.search(last) or _OWN_ANNOUNCEMENT.match(last):
        return False
    if _LIST_AHEAD.search(last):
        return False  # "... presupposes two things:": the author's own points follow
    if _FIRST_PERSON.search(last) and not _SOMEONE_ELSES.search(last):
        return False  # "We are to proceed in the following order:": the author's own plan
    return bool(_SPEECH.search(last))


_INTERJECTION = re.compile(
    r"(?:^|[.!?;:]\s+|\s)(?:Oh|Ah|Alas|What|No, no|Yes, yes|Admirable|Excellent|Wonderful|Fine|Bravo)\s*[!,]"
)
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)]*(?=\s+[A-Z“\"‘(]|\s*$)")
MIN_MIMICRY_SENTENCES = 4
"""Fewer sentences than this are an outburst, not a view acted out at length."""


def mimics(paragraph: str) -> bool:
    """A paragraph the author speaks in someone else's voice, to mock it: an interjection ("Oh,",
    "What!"), and at least half its sentences questions or exclamations."""
    if not _INTERJECTION.search(paragraph):
        return False
    ends = [m.group().rstrip('"”’)') for m in _SENTENCE_END.finditer(paragraph.strip())]
    if len(ends) < MIN_MIMICRY_SENTENCES:
        return False
    return sum(end[-1] in "?!" for end in ends) * 2 >= len(ends)


_OPENS, _CLOSES = "“", "”"


def _open_at_end(paragraph: str) -> bool:
    """The paragraph leaves a quotation open: more opening marks than closing ones (curly), or an odd
    count of straight marks with the last one opening a word."""
    curly_opens, curly_closes = paragraph.count(_OPENS), paragraph.count(_CLOSES)
    if curly_opens or curly_closes:
        return paragraph.rfind(_OPENS) > paragraph.rfind(_CLOSES)
    straight = paragraph.count('"')
    return straight % 2 == 1 and bool(re.search(r'(?:^|\s)"\w', paragraph[max(paragraph.rfind('"') - 1, 0) :]))


def _closed_at_start(paragraph: str) -> bool:
    """The paragraph closes a quotation opened before it: its first mark is a closing one."""
    curly = [c for c in paragraph if c in (_OPENS, _CLOSES)]
    if curly:
        return curly[0] == _CLOSES
    straight = paragraph.count('"')
    return straight % 2 == 1 and not re.search(r'(?:^|\s)"\w', paragraph[max(paragraph.find('"') - 1, 0) :])


def voiced_elsewhere(paragraphs: Sequence[str], block: Sequence[bool]) -> list[bool]:
    """For each paragraph (block quotations marked in `block`): whether it is in someone else's
    voice as a whole, by the rules above. A block quotation is, always."""
    voiced = list(block)
    for i, paragraph in enumerate(paragraphs):
        if voiced[i]:
            continue
        if i and voiced[i - 1] and (block[i - 1] or continues_quotation(paragraphs[i - 1])):
            voiced[i] = continues_quotation(paragraph)
        voiced[i] = voiced[i] or mimics(paragraph)
    _speeches(paragraphs, block, voiced)
    _long_quotations(paragraphs, voiced)
    return voiced


def _speeches(paragraphs: Sequence[str], block: Sequence[bool], voiced: list[bool]) -> None:
    for i, paragraph in enumerate(paragraphs[:-1]):
        if block[i] or not announces_speech(paragraph):
            continue
        for j in range(i + 1, min(i + 1 + MAX_SPEECH_PARAGRAPHS, len(paragraphs))):
            if block[j] or _MARKED.search(paragraphs[j]) or _TURNS_BACK.match(paragraphs[j]):
                break  # the speech is in a block or in quotation marks (already the speaker's), or the author is back
            voiced[j] = True
            if announces_speech(paragraphs[j]):
                break  # a new speech announced: the rule starts again from there


def _long_quotations(paragraphs: Sequence[str], voiced: list[bool]) -> None:
    """A quotation left open at a paragraph's end and closed at the start of a later one: the
    paragraphs between, which carry no marks of their own, are inside it. Left open with no close
    in the passage, the paragraphs after it are not counted (a stray mark would swallow them)."""
    for i, paragraph in enumerate(paragraphs):
        if not _open_at_end(paragraph):
            continue
        for j in range(i + 1, len(paragraphs)):
            if _closed_at_start(paragraphs[j]):
                for k in range(i + 1, j):
                    voiced[k] = True
                break
            if any(mark in paragraphs[j] for mark in (_OPENS, _CLOSES, '"')):
                break


_POST = re.compile(
    r"^(?:[A-Z][\w.’'-]*\s+){1,4}(?:is|was|has been)\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}"
    r"(?:professor|lecturer|fellow|editor|translator|director|president|chair|member|reader|scholar|"
    r"historian|economist|journalist|writer|author)\b[^.]*\b(?:at|of|in)\s+(?:the\s+)?[A-Z]"
)
"""A note on who someone is ("Thomas DiLorenzo is professor of economics at Loyola College"): the
foreword's signature, not a claim to argue over."""
_LIFE = re.compile(r"^(?:[A-Z][\w.’'-]*\s+){1,4}(?:was born|died|passed away)\b[^.;]{0,60}?\b1\d{3}\b")
"""A life's dates ("Frédéric Bastiat died on Christmas Eve, 1850, ..."): a biographical note, told,
not argued."""
_OWN_WRITING = re.compile(
    r"\b(?:this|the present|my)\s+(?:(?:little|short|small|present|humble)\s+(?:work|inquiry|study)|"
    r"(?:little\s+|short\s+|small\s+|present\s+|humble\s+)?(?:treatise|book|essay|volume|memoir|pamphlet|dissertation))\b"
    r"|\b(?:I|we)\s+(?:have\s+|had\s+)?(?:wrote|written|composed|published)\b"
    r"|\boffered to the public\b|\bmy readers?\b"
    r"|\b(?:my|our|the)\s+(?:space|limits|time)\s+(?:will|does|do|would|can)\s+not\s+(?:admit|permit|allow)\b"
    r"|\b(?:want|lack|limits)\s+of\s+space\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(?:I|my|me|mine|we|our|us)\b")


_PLAN = re.compile(
    r"^(?:(?:\w+,\s+)?(?:In|Before|After)\s[^,]{0,60},\s+)?(?:I|We)\s+(?:(?!neither\b|not\b|never\b)\w+\s+)?"
    r"(?:mean|intend|propose|purpose|undertake|"
    r"shall (?:now\s+|first\s+|then\s+)?(?:endeavour|endeavor|try|attempt|proceed|begin)|am going|are going|wish)\s+to\s+"
    r"(?:\w+\s+)?(?:inquire|enquire|examine|show|prove|consider|treat|discuss|investigate|speak|begin|proceed|"
    r"explain|describe|demonstrate|establish|study|trace|deal|unite|set)\b"
)
"""The author announcing what the book will do ("I mean to inquire if ...", "We shall now proceed
to examine ..."): a plan, not a claim to dispute."""


def apparatus(sentence: str) -> bool:
    """A sentence about the book or its writers rather than its subject: a note on someone's post
    or life dates, the author announcing their plan, or speaking of their own writing in the first
    person."""
    if _POST.match(sentence) or _PLAN.match(sentence) or _LIFE.search(sentence):
        return True
    return bool(_OWN_WRITING.search(sentence) and _FIRST_PERSON.search(sentence))


_LINKER = r"^(?:(?:But|And|Now|Yet|So|Then|Thus|Here|Happily|Unhappily|Unfortunately|Fortunately|Again|Moreover),?\s+)*"
_OTHERS = (
    r"(?:some|many|most|others|several|certain)(?:\s+(?:of\s+them|of\s+us|men|people|persons|writers|thinkers|"
    r"authors|economists|philosophers|politicians|critics|moralists|historians|theorists|publicists|statesmen))?"
)
_CAMP = r"(?:(?:the|these|those|our|such)\s+(?:\w+\s+)?(?:[a-z]+(?:ists|ians|ites)|gentlemen|writers|theorists|doctors|sages|reformers|utopians|philanthropists|legislators|partisans|advocates|apologists|organizers|organisers|dreamers))"
_HOLD = (
    r"(?:hold|holds|believe|believes|think|thinks|say|says|maintain|maintains|claim|claims|argue|argues|suppose|"
    r"supposes|imagine|imagines|fancy|fancies|assert|asserts|contend|contends|insist|insists|teach|teaches|"
    r"tell us|tells us|tell you|assure us|assures us|would have us believe|will tell you|will say|would say|"
    r"are fond of saying|never tire of saying)"
)
_REPORTED = re.compile(
    _LINKER
    + rf"(?:{_OTHERS}|{_CAMP})\s+(?:\w+\s+)?{_HOLD}\b"
    + r"|"
    + _LINKER
    + r"(?:the|a)\s+(?:common|general|popular|prevailing|received|current|usual|vulgar|accepted|ordinary|orthodox)\s+"
    r"(?:opinion|view|belief|notion|wisdom|saying)\s+(?:is|was|holds|has it)\b"
    + r"|"
    + _LINKER
    + r"it\s+is\s+(?:\w+ly\s+)?(?:believed|thought|supposed|held|said|claimed|argued|maintained|assumed|taught|alleged|"
    r"asserted|imagined|pretended|objected|urged)(?:,?\s+that\b|,|:|\s+to\s+be\b)"
    + r"|(?<!\bif )(?<!\bwhen )(?<!\bthough )(?<!\bunless )\bwe\s+are\s+(?:\w+ly\s+|now\s+|still\s+|again\s+|always\s+)?"
    r"(?:told|assured|taught)\b"
    + r"|^To\s+(?:the|our|these|those)\s+(?:\w+\s+)?[a-z]+(?:ists?|ians?|ites?)\b,?\s+(?!is\b|are\b|was\b|were\b)"
    + r"|\b(?:according\s+to|in\s+the\s+(?:eyes|view|opinion|judgment|judgement)\s+of)\s+(?:these|those|such|our|the)\s+"
    r"(?:\w+\s+)?(?:[a-z]+(?:ists|ians|ites|ers|ors)|gentlemen|men|people|sages|doctors)\b",
    re.I,
)
"""A view the sentence gives to others it does not name ("Some hold that ...", "The common opinion
is ...", "It is commonly believed ...", "We are told ...", "according to these gentlemen ...",
"the socialists tell us ...", "To the moralist prostitution does not consist ..."): theirs, not
the author's claim."""


def reports_others(sentence: str) -> bool:
    """The sentence reports a view of unnamed others or of a camp: not the author's own claim."""
    return bool(_REPORTED.search(sentence))


_SAYING = re.compile(
    r"\b(?:refrain|motto|slogan|watchword|cry|formula|maxim|creed|catchword|adage|saying|burden|litany|chorus)"
    r"\s*(?:is\s+)?:\s+(?P<words>\S.{10,})$",
    re.I,
)


def sayings(sentences: Sequence[str]) -> set[int]:
    """Sentences that repeat, word for word, a saying the passage gives to others after a colon
    ("The State, society, and moral laws all sing the same refrain: Man can have all the glories of
    the earth, but he must not become conscious of himself."): the saying, wherever it stands, is
    theirs."""
    said = {m.group("words").strip().casefold() for s in sentences if (m := _SAYING.search(s))}
    return {i for i, s in enumerate(sentences) if s.strip().casefold() in said}


_NEW_TONE = re.compile(
    r"\b(?:style|tone|language|speech|song|tune|story)\s+(?:of\s+\w+\s+)?(?:alters|changes|is altered|is changed|"
    r"is different|becomes|turns)\b|\b(?:changes|alters)\s+(?:his|her|their|its)\s+(?:tone|tune|language|style|song)\b",
    re.I,
)
_AUTHOR_BACK = re.compile(r"\b(?:I|we|us|our|me|my)\b|\?\s*$")
"""First person or a question: the author speaking again, in his own voice."""


def acted_out(sentences: Sequence[str]) -> set[int]:
    """Within one paragraph: the sentences after one that says someone's tone changes ("But when
    once the legislator is duly elected, then indeed the style of his speech alters."), which put
    that new tone in the author's words, up to the author speaking again (first person, a question)."""
    acted: set[int] = set()
    for i, sentence in enumerate(sentences):
        if not _NEW_TONE.search(sentence):
            continue
        for j in range(i + 1, len(sentences)):
            if _AUTHOR_BACK.search(sentences[j]):
                break
            acted.add(j)
    return acted


_PROGRAM = re.compile(
    r"\b(?:is|are)\s+(?:merely\s+|only\s+|then\s+|itself\s+|now\s+|first\s+|always\s+)?to\s+(?!say\b|be\s+(?:found|seen|noted|observed|regretted|hoped|feared)\b)[a-z]+"
)
_DEFINITION = re.compile(
    r"(?:^|[;:,]\s+)(?:\w+\s+)?[Tt]o\s+[a-z]+\b[^,;.]{0,80}?\b(?:is|are)\s+to\b"
    r"|\b(?:effect|aim|object|purpose|function|end|tendency|result)\s+(?:\w+\s+)?(?:is|are)\s+to\b"
)
"""'To alienate is to give or to sell', 'whose effect is to leave ...': a definition, not a plan."""
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to\s+(?:the\s+|Mr\.\s+|M\.\s+|Gen\.\s+)?[A-Z][a-z]")


MIN_DIGEST_SOURCES = 2
"""A paragraph that says "according to" this many times digests others' views throughout."""


def programs(paragraphs: Sequence[Sequence[str]]) -> set[tuple[int, int]]:
    """(paragraph, sentence) pairs that spell out someone's programme in a paragraph reporting it
    ("According to Robespierre, the legislator is to begin by ... Men are merely to be what he wills
    that they should be."): "is to", "are to" there is the holder's plan, not the author's claim.
    In a paragraph that digests several writers' views ("according to Saint-Just ... According to
    Robespierre ..."), every sentence without "I" or "we" is theirs ("Men, therefore, are nothing
    but raw material.")."""
    found: set[tuple[int, int]] = set()
    for p, sentences in enumerate(paragraphs):
        if sum(len(_ACCORDING_TO.findall(s)) for s in sentences) >= MIN_DIGEST_SOURCES:
            # a digest of several writers' views: the author's own words there say "I" or "we"
            found.update((p, i) for i, s in enumerate(sentences) if not _FIRST_PERSON.search(s))
            continue
        if any(_ACCORDING_TO.search(s) for s in sentences):
            found.update((p, i) for i, s in enumerate(sentences) if _PROGRAM.search(s) and not _DEFINITION.search(s))
    return found
