"""Sentences as a question quotes them: whole, within MIN_QUOTE_CHARS..MAX_QUOTE_CHARS, inner
quotation marks made single, or cut to the clause that matters with "…" where cut. Only the
author's own words qualify: a sentence inside quotation marks is someone else's.
"""

from __future__ import annotations

import re

from bot.questions.analysis.tokens import Sentence

MIN_QUOTE_CHARS = 40
MAX_QUOTE_CHARS = 190
# Openings that lean on the sentence before; out of context the reader cannot tell what they mean.
_CITATION = re.compile(r"\((?:p|pp|ibid|op)\.|\[\d+\]|\bibid\b", re.I)
_FOOTNOTE_MARK = re.compile(r"(?<=[.!?”’\"'])\s?\[(?:\d{1,3}|[A-Za-z]|\*)\]$")


_INLINE_MARK = re.compile(r"(?<=[\w.,;:!?”’)])(?:\((?:\*+|\+|\d{1,2})\)|\[(?:\d{1,3}|\*+)\]|\*+)(?=[\s,.;:!?”’)]|$)")
"""A footnote mark inside a sentence, against the word it follows: "the Duke Lodovico(*) to raise",
"Divide et impera(1) must be", "liberty[2] and", "power,* which". "(1) You don't ..." after a
space is a list's number, and stays."""


def flat_text(sentence: Sentence) -> str:
    """The sentence on one line, without footnote marks ("...obligations.[B]", "Lodovico(*)")."""
    return _INLINE_MARK.sub("", _FOOTNOTE_MARK.sub("", " ".join(sentence.text.split())))


# What may open a sentence before its subject without leaning on what came before.
_LINK = re.compile(
    r"^(?:(?:But|And|Yet|So|Now|Or|Still|However|Indeed|Accordingly|Consequently|Therefore|Thus|Hence|Wherefore|"
    r"Moreover|Further|Furthermore|Besides|Also|Then|Again|In other words|In fact|In short|In truth|In reality|"
    r"[A-Za-z]+ly|indeed|however|therefore|then|too|also|perhaps|moreover),?\s+)+"
)
_LEANS_BACK = re.compile(
    r"^(?:(?:This|That|These|Those|They|Them|Their|He|Him|His|She|Her|Its|It|Ye|Thou|Thy|Such|Both of them|Here|Nor|Which|Whereas|"
    r"Whence|Thereby|Therein|Thereupon)\b(?!\s+(?:who|that)\b)"
    r"|The (?:former|latter|same|one|other|first|second|last|rest)\b|Even (?:then|so|here|now|this)\b"
    r"|To do (?:this|that|so|it)\b|(?:In|By) (?:the same|like) (?:manner|way|case|sense|means)\b"
    r"|(?:In|At|By|On|For|From|Of|With|Under|To|Against|Upon|Through|After|Before|Besides|Beyond) (?:this|that|these|those|such)\b"
    r"|On the contrary\b|For (?:this|that|these|those) reasons?\b|From (?:this|that|these|those)\b"
    r"|Otherwise\b|Hence\b|There\b(?!\s+(?:is|are|was|were|can|could|may|might|must|will|would|has|have|had|"
    r"seems?|appears?|remains?|exists?|lies)\b))"
)
_LEAD_IN = re.compile(
    r"^(?:To (?:which|this|these) (?:let me |I (?:must |may |shall |will )?)?(?:add|answer|reply|say)|I (?:say|add|answer|grant)),?\s+"
    r"that,?\s+"
)
"""The author adding a point ("To which let me add, that he who ..."): what follows the "that" is the
claim, and it stands alone whatever it is added to."""
_OBSERVE_THAT = re.compile(
    r"^(?:(?:I|We|You)\s+(?:must\s+|may\s+|should\s+|will\s+|shall\s+)?(?:observe|note|remark|notice|remember|see)"
    r"|It\s+(?:must|should|may)\s+be\s+(?:observed|noted|remarked|remembered|added)),?\s+that,?\s+"
)
"""Words that only draw attention ("we must observe that ..."): the quote is understood by what follows."""
# A pointer back as the subject after an inverted or fronted clause: "Did it ensure ...",
# "Whatever theory we have ..., this is what ...".
_POINTER_AFTER_OPENING = re.compile(
    r"^(?:Did|Had|Were|Was|Should|Could|Would|Is|Are|Does|Do|Has|Have)\s+(?:it|they|he|she|this|that|these|those|ye|thou)\b"
    r"|^(?:Whatever|Whichever|However|If|When|Although|Though|While|As|Since|Because|Whether)\b[^,;]*,\s+"
    r"(?:this|that|these|those|such)\s+(?!who\b)"
    r"|^(?:If|When|Although|Though|While|As|Since|Because|Whether|Unless)\s+(?:he|she|it|they|this|that|these|those)\b"
)
_EXPLETIVE_IT = re.compile(
    r"^It\s+(?:is|was|will be|would be|must be|may be|might be|can be|could be|cannot be|should be|has been|"
    r"had been|seems|seemed|appears|appeared|follows|followed|matters|remains|becomes|became|were)\b"
    r"(?P<rest>.{0,160})"
)
_EXTRAPOSED = re.compile(
    r"\b(?:that|whether|how|what|which|who|when|because|if)\b"
    r"|\bto (?!the\b|a\b|an\b|his\b|her\b|their\b|its\b|our\b|my\b|your\b|this\b|that\b|these\b|"
    r"those\b|some\b|any\b|all\b|every\b|each\b|him\b|them\b|us\b|me\b|it\b|[A-Z])[a-z]+"
)


def stands_alone(quote: str) -> bool:
    """A quote a reader understands without the sentence before it: it does not open with "…",
    a pronoun or demonstrative ("it", "this", "they", "such", "the latter", "to do that"),
    once its linking words ("But", "Thus") are set aside. "It is ... that/to ..." is no pronoun,
    nor is "He who ..."; "There is" is no pointer back."""
    if quote.startswith(("…", "...")) or not quote[:1].isupper() and not quote.startswith("["):
        return False
    rest = _LINK.sub("", without_lead_in(quote))
    rest = rest[:1].upper() + rest[1:]
    observed = _OBSERVE_THAT.sub("", rest)  # "And we must observe that this is decisive": "this" points back
    rest = observed[:1].upper() + observed[1:]
    if _POINTER_AFTER_OPENING.match(rest) or _points_back(rest):
        return False
    if _unresolved_they(rest) or _unresolved_its(rest) or _THIS_LAST.search(rest):
        return False
    opener = _SHORT_OPENER.match(rest)  # "More often than not, he offers ...", "Originally, it meant ..."
    if opener and not _VERBISH.search(opener.group()):
        after = rest[opener.end() :]
        return not (_PRONOUN_SUBJECT.match(after) and _points_back(after[:1].upper() + after[1:]))
    return True


_PLURALS = frozenset("men people children women mankind others all both many few those these we you ye i".split())
_NOT_PLURAL = frozenset(
    """this thus his its has was does is us as yes less unless always perhaps sometimes besides towards
    afterwards nevertheless whereas news series species means""".split()
)


_CLOSED_CLASS = frozenset(
    """i we you he she they one it is are was were be been am do does did have has had will would shall should
    can could may might must not no nor but and or yet so then now however therefore thus hence indeed also
    still even only to that this at in on of for by with from as if when while though although because since
    infer say said think thought hold believe know see suppose conclude""".split()
)


def _unresolved_its(text: str) -> bool:
    """ "its" before any word it could stand for: "We are not, however, to infer that its acceptance ..."."""
    for word in re.findall(r"[A-Za-z’']+", text):
        lower = word.lower()
        if lower in ("its", "it’s"):
            return True
        if lower not in _CLOSED_CLASS and not lower.endswith("ly"):
            return False
    return False


def _unresolved_they(text: str) -> bool:
    """ "they", "them" or "their" before any plural the sentence could mean by it: "Some convenient
    tree will afford them a State-House ...", "No reason has been shown why they may not be ..."."""
    for word in re.findall(r"[A-Za-z]+", text):
        lower = word.lower()
        if lower in ("they", "them", "their", "theirs"):
            return True
        if lower in _PLURALS or (
            len(lower) > 3
            and lower.endswith("s")
            and not lower.endswith(("ss", "us", "is"))
            and lower not in _NOT_PLURAL
        ):
            return False
    return False


_THIS_LAST = re.compile(
    r"\bthis last\b|\bthe (?:former|latter)\b|\bsuch (?:an? )?[a-z]+ as (?:this|these)\b|\bthan (?:this|that|these)[.,;]",
    re.I,
)
_SHORT_OPENER = re.compile(r"^(?:[\w’'-]+\s+){0,4}[\w’'-]+,\s+(?=[a-z])")
_PRONOUN_SUBJECT = re.compile(r"(?:he|she|it|they|this|that|these|those|such|his|her|its|their)\b")
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|has|have|had|do|does|did|can|could|will|would|shall|should|may|might|must)\b|\w+ed\b"
)


def _points_back(rest: str) -> bool:
    if rest.startswith("It "):
        expletive = _EXPLETIVE_IT.match(rest)
        if expletive and _PASSIVE_IT.match(rest):
            return True  # "It may be more correctly described as ...": "it" is something named before
        return not (expletive and _EXTRAPOSED.search(expletive.group("rest")))
    return bool(_LEANS_BACK.match(rest))


_PASSIVE_IT = re.compile(
    r"^It\s+(?:is|was|may be|might be|can be|could be|must be|will be|would be|has been|had been)\s+"
    r"(?:(?:more|most|less|also|not|often|thus|then|therefore|\w+ly)\s+)*(?:[a-z]+ed|said|known|shown|seen|thought|held)\b"
    r"(?!,?\s+(?:that|to|whether|how)\b)"
)


_INVERTED_MODAL = re.compile(
    r"\b([a-z]+)\s+(?:should|would|could|can|will|must|may|might|shall)\s+(?:he|she|it|they|we|you|i)\s+([a-z]+s)\b"
)
_MAY_INVERT = frozenset(
    """nor neither so why how where when what which who whom whose only seldom rarely never also and but or
    then nowhere little hardly scarcely not that than if whether""".split()
)
_ADVERB_IN_S = frozenset(
    "always perhaps thus sometimes afterwards towards besides nevertheless unless as us this his its".split()
)


def garbled(flat: str) -> bool:
    """A slip a spelling check cannot see, because every word is a word: a verb in -s after an
    inverted modal in the middle of a statement ("it is not necessary that one fourth part
    should he sailors", for "be"). A question would quote the slip as the author's words."""
    for match in _INVERTED_MODAL.finditer(flat):
        before, after = match.group(1), match.group(2)
        if before not in _MAY_INVERT and after not in _ADVERB_IN_S and not after.endswith("ss"):
            return True
    return False


def quotable(sentence: Sentence, max_chars: int = MAX_QUOTE_CHARS) -> str | None:
    """The sentence ready to quote, or None when it cannot stand alone in a question."""
    text = flat_text(sentence)
    if sentence.quoted or not MIN_QUOTE_CHARS <= len(text) <= max_chars:
        return None
    if not text[:1].isupper() or text.endswith(("?", ":", "…", "...")) or text[-1] not in ".!":
        return None
    if _CITATION.search(text) or "..." in text or "…" in text or text.count("(") != text.count(")"):
        return None
    return nest_quotes(text)


def nest_quotes(text: str) -> str | None:
    """Turn double quotation marks inside a quote into single ones; None if they do not pair."""
    if text.count("“") != text.count("”") or text.count('"') % 2:
        return None
    out, straight_open = [], False
    for char in text:
        if char == "“":
            out.append("‘")
        elif char == "”":
            out.append("’")
        elif char == '"':
            out.append("’" if straight_open else "‘")
            straight_open = not straight_open
        else:
            out.append(char)
    return "".join(out)


_CLAUSE_BREAK = re.compile(r"[;:—–]\s|,\s|(?<=\w)--(?=\w)")
_LIST_GOES_ON = re.compile(r",\s(?:the|a|an|his|her|their|its|our|my|your)\s")
"""A comma that continues a list ("the owners of the soil, the mines and the factories"): a quote
cut there stops before the verb of the clause it is asked about."""
_VERB_NEXT = re.compile(
    r"(?:may|must|can|cannot|could|would|should|shall|will|is|are|was|were|has|have|had|hath|doth|does|do|did|ought)\b"
)
MIN_REASON_WORDS = 4
"""A clause after the marker a quote is cut through ("because ...") keeps at least this many words:
a quote never stops just before the reason or verdict a question asks about."""
MIN_CLAUSE_CHARS = 12
"""What follows the marker a quote is cut through ("whereas", "but") runs at least this far."""


def quote_through(sentence: str, start: int, end: int) -> str | None:
    """The sentence ready to quote, or for a long one its opening stretch through the clause that
    holds [start, end), marked with "…" where cut: a quote never starts in the middle of a
    sentence. None when no such stretch fits."""
    if len(sentence) <= MAX_QUOTE_CHARS:
        if (
            len(sentence) >= MIN_QUOTE_CHARS
            and (sentence[:1].isupper() or sentence[:1] == "[")
            and sentence.rstrip("”’\"')")[-1:] in ".!"
        ):
            return nest_quotes(sentence)
        return None
    right = len(sentence)
    for brk in _CLAUSE_BREAK.finditer(sentence, end + MIN_CLAUSE_CHARS):
        if brk.group().startswith(",") and (
            _LIST_GOES_ON.match(sentence, brk.start())
            or len(sentence[end : brk.start()].split()) < MIN_REASON_WORDS
            or _VERB_NEXT.match(sentence, brk.end())  # "he that incloses land, ..., may truly be said to ...": the verb
        ):
            continue
        right = brk.start()
        break
    if right > MAX_QUOTE_CHARS - 1 or right < MIN_QUOTE_CHARS:
        return None
    piece = sentence[:right].strip()
    if right < len(sentence):
        piece = piece.rstrip(",;:—– ")
        if dangles(piece):
            return None
        piece += "…"
    return nest_quotes(piece)


_DANGLING = frozenset(
    """a an the of to by with for from in on at as than that which who whom whose what whereas but and or nor
    is are was were be been being has have had do does did will would shall should can could may might must
    this these those its their his her our my your thus namely viz i.e because since although though if unless
    whether also""".split()
)


def dangles(piece: str) -> bool:
    """A piece of a sentence cut off after a word that needs what follows it ("the consequence of
    which was…", "those who are equally acquainted with…")."""
    words = piece.rstrip(" ,;:—–").split()
    return not words or words[-1].lower().strip("‘’“”\"'()") in _DANGLING


_PARENTHESIS = re.compile(
    r"^(?P<subject>[^,;:()]{3,80}?),\s(?:who|which|whom|whose|though|although|being|having|and|when|if)\b"
    r"[^;:()]*?,\s(?=(?:may|must|can|cannot|could|would|should|shall|will|is|are|was|were|has|have|had|hath|doth|"
    r"does|do|did|ought)\b)"
)


_NOT_A_SUBJECT = re.compile(
    r"\b(?:is|are|was|were|am|be|been|have|has|had|will|shall|can|may|must|should|would|could|might|do|does|did|"
    r"appears?|seems?|grant|say|says|think|know|believe|understand)\b|^(?:I|We|You|It|There|Should|Would|Could|Had|"
    r"Were|If|When|Though|Tho|Although|As|Since|Because|Whatever|Whoever|To|With|In|On|At|By|For|From|Of|Under|Upon|After|"
    r"Before|Among|Against|Regarding|Concerning)\b",
    re.I,
)


def _NOUN_SUBJECT(subject: str) -> bool:
    """What comes before the left-out clause is a subject alone ("But men", "The greatest part of
    things"), not a clause with a verb of its own ("I easily grant", "It appears to me")."""
    return not _NOT_A_SUBJECT.search(_LINK.sub("", subject))


def elide_parenthesis(sentence: str) -> str:
    """The sentence with the clause between its subject and its verb left out, marked "…" ("But men,
    who would be happy to become hardy pioneers ..., must remain idle because ..." -> "But men …
    must remain idle because ..."): a long sentence keeps the subject and the verb that carries
    the claim within the bound on a quote's length. Unchanged when it has no such clause."""
    match = _PARENTHESIS.match(sentence)
    if not match or len(match.group()) < 30 or not _NOUN_SUBJECT(match.group("subject")):
        return sentence
    return f"{match.group('subject')} … {sentence[match.end() :]}"


def without_lead_in(quote: str) -> str:
    """The claim a lead-in adds ("To which let me add, that he who ..." -> "he who ...")."""
    return _LEAD_IN.sub("", quote)
