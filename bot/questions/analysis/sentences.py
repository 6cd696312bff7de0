"""Sentences as a question quotes them: whole, within MIN_QUOTE_CHARS..MAX_QUOTE_CHARS, inner
quotation marks made single, or cut to the clause that matters with "…" where cut. Only the
author's own words qualify: a sentence inside quotation marks is someone else's.
"""

from __future__ import annotations

import re

from bot.questions.analysis.claims import has_verb
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
    r"^(?:(?:But|And|Yet|So|Now|Or|Still|However|Indeed|Well|Accordingly|Consequently|Therefore|Thus|Hence|Wherefore|"
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
    r"|^(?:If|When|Although|Though|While|As|Since|Because|Whether|Unless|Wherever|Whenever|Where|Once)\s+"
    r"(?:he|she|it|they|this|that|these|those)\b"
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
    once its linking words ("But", "Thus") are set aside, and no "this" inside it stands for what
    was said before. "It is ... that/to ..." is no pronoun, nor is "He who ..."; "There is" is no
    pointer back. (A "he" or "she" inside it: see names_its_people.)"""
    if quote.startswith(("…", "...")) or not quote[:1].isupper() and not quote.startswith("["):
        return False
    if _SO_SAID.match(quote):
        return False
    if _ANNOUNCES_DIVISION.search(quote):
        return False
    if _elided_predicate(quote) or (quote.endswith("…") and cut_before_claim(quote)):
        return False
    rest = _LINK.sub("", without_lead_in(quote))
    rest = rest[:1].upper() + rest[1:]
    observed = _OBSERVE_THAT.sub("", rest)  # "And we must observe that this is decisive": "this" points back
    rest = observed[:1].upper() + observed[1:]
    if _POINTER_AFTER_OPENING.match(rest) or _points_back(rest):
        return False
    if _unresolved_they(rest) or _unresolved_its(rest) or _THIS_LAST.search(rest):
        return False
    if _THING_AFTER_OPENER.match(rest):
        return False
    first = _FIRST_CLAUSE.split(rest, maxsplit=1)[0]  # "..., and in such conditions ...": named in the quote itself
    ahead = rest[len(first) : len(first) + 1] == ":"  # "this is the gravest: that ...": it points to what follows
    if (
        (_POINTER_SUBJECT.search(first) and not ahead)
        or _POINTER_AFTER_THAT.search(first)
        or _POINTER_NOUN.search(first)
    ):
        return False
    if _CORRELATIVE_POINTER.search(rest) or _POINTER_CAUSE.search(rest):
        return False
    if _PRONOUN_AFTER_THAT.match(rest):
        return False
    opener = _SHORT_OPENER.match(rest)  # "More often than not, he offers ...", "Originally, it meant ..."
    if opener and not _VERBISH.search(opener.group()):
        after = rest[opener.end() :]
        return not (_PRONOUN_SUBJECT.match(after) and _points_back(after[:1].upper() + after[1:]))
    return True


_ELIDED_PREDICATE = re.compile(
    r"\b(?:have|has|had|(?:can|could|will|would|shall|should|may|might|must) (?:not )?have) (?:not )?been\s*[;:.!?…]"
)
"""A predicate left out because the sentence before supplied it: "Many Popes have been; the bad
Popes have been" (cultivated). Read alone, it says nothing. ("than it has been." is a comparison,
complete; "whenever they can." is understood from its own sentence, and stays.)"""

_ANNOUNCES_DIVISION = re.compile(
    r"\b(?:two|three|four|five|six|seven|several|various|many|different)\s+(?:kinds|sorts|classes|types|heads|ways|"
    r"parts|branches|species|grounds|senses|forms)\s*[.!…]?[”’\"']?$",
    re.I,
)
"""A sentence that announces a division it does not give ("The objections ... may be of three kinds."):
the kinds come after it, so nothing in it can be weighed alone."""


def _elided_predicate(quote: str) -> bool:
    for match in _ELIDED_PREDICATE.finditer(quote):
        before = re.findall(r"[a-z]+", quote[: match.start()].lower())[-2:]
        if not {"than", "as", "so"} & set(before):
            return True
    return False


_CUT_CONDITION = re.compile(
    r"^(?:(?:but|and|or|yet|so|that|then)\s+)?(?:if|when|whenever|wherever|unless|though|although|while|"
    r"were|had|should|whether)\b",
    re.I,
)
_CUT_OPENS_SUBORDINATE = re.compile(
    r"^(?:[A-Z][a-z]+,\s+)?(?i:if|when|whenever|wherever|unless|though|although|while|whilst|because|since|even if)\b"
)
_PREPOSITION_OR_LINK = re.compile(
    r"^(?:than|not|in|on|at|of|by|for|from|with|without|to|under|upon|over|after|before|as|like|and|or|nor|but)\b",
    re.I,
)


def cut_before_claim(quote: str) -> bool:
    """A quote cut with "…" that has lost the verb of its claim: it opens with a condition whose
    consequence was cut ("Nevertheless, when there is not a certainty, but only a danger of
    mischief…"), ends on a condition whose consequence was cut ("I can quite understand that were
    'Macbeth' produced … before a modern London audience…"), or ends on an aside or apposition with
    no verb, the verb that says something of it cut ("But there are other journalists, I feel
    certain, men of education and cultivation…")."""
    body = quote.rstrip("…").rstrip(" ,;:")
    if _CUT_OPENS_SUBORDINATE.match(body):
        return True
    if re.search(r"\bthat (?:were|had|should)\b", body):
        return True  # "that were X done ...": the condition's consequence comes later
    segments = [piece.strip() for piece in re.split(r",\s+", body)]
    if len(segments) < 2:
        return False
    last = segments[-1]
    if _CUT_CONDITION.match(last):
        return True
    return not has_verb(last) and not _PREPOSITION_OR_LINK.match(last)


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


_SINGULAR_LEAD = frozenset("the a an every each no this that one any some another either neither".split())
_PERSONS = frozenset(
    """one anyone anybody everyone everybody someone somebody nobody none whoever man woman person individual citizen
    who whom""".split()
)


def _unresolved_he(text: str) -> bool:
    """ "he", "him", "his", "she" or "her" before anyone the quote names: "Men are merely to be what he
    wills that they should be" (he: the legislator of the sentence before). A capitalised name, a
    singular noun after "the", "a", "every" ..., or a person ("one", "whoever") can be what it means."""
    words = re.findall(r"[A-Za-z’']+", text)
    for i, word in enumerate(words):
        lower = word.lower()
        if lower in ("he", "him", "his", "she", "her", "hers", "himself", "herself"):
            after = words[i + 1].lower() if i + 1 < len(words) else ""
            later = {w.lower() for w in words[i + 1 :]}
            # "It is by his own labour alone that a man acquires property": the man comes after
            return after not in ("who", "that", "whom") and not later & _PERSONS
        if lower in _PERSONS or (i > 0 and word[:1].isupper()) or (i > 0 and words[i - 1].lower() in _SINGULAR_LEAD):
            return False
        if i == 0 and lower not in _CLOSED_CLASS and lower not in _PLURALS and not lower.endswith("s"):
            return False  # "Man can only derive life ... from a perpetual application of his faculties"
    return False


_THIS_LAST = re.compile(
    r"\bthis last\b|\bthe (?:former|latter)\b|\bsuch (?:an? )?[a-z]+ as (?:this|these)\b|\bthan (?:this|that|these)[.,;]"
    r"|\s(?:this|these|those)\s*[.!?]?$",  # "... as if it contradicted this.": what was said before
    re.I,
)
_SO_SAID = re.compile(
    r"^(?:(?:And|But),?\s+)?(?:Thus|So|Such)\s+(?:thought|spoke|said|wrote|reasoned|argued|ran|runs|was|were|is|are|"
    r"did|do|does|had|has|have)\b"
)
"""What was just said, taken up ("Thus thought the two girls as they travelled"; "Such was the state of
the country"): the thought or the state is in the sentence before."""
_FIRST_CLAUSE = re.compile(
    r"[;:—–]\s|,\s+(?:and|but|for|so|yet|or|while|whereas)\s|\s(?:and|but)\s+(?=(?:in|at|by|for|from|with|under|on)\s)"
)
"""Where a quote's first clause ends: a pointer after it may stand for what the first clause says."""
_POINTER_SUBJECT = re.compile(
    r"(?<!\bthat )(?<!\bsay )(?<!\bsays )(?<!\bsaid )\b(?:this|these)\s+(?:(?:alone|too|also|again|then|therefore|indeed)\s+)?(?:is|are|was|were|will|would|must|may|might|can|"
    r"could|shall|should|has|have|had|seems|appears|shows|proves|means|explains|leads|makes|gives)\b",
    re.I,
)
"""A demonstrative standing for what was said before, as the subject of a clause anywhere in the quote
("This is the origin of property"; "and this is decisive"): a reader of the question alone cannot tell
what is meant. After "that" it is either the same ("we must observe that this is decisive", caught by
_POINTER_AFTER_THAT) or a speaker's own "this" ("does one heir say of it that this is his?")."""
_POINTER_AFTER_THAT = re.compile(
    r"\b(?:observe|see|say|admit|grant|remark|note|notice|conclude|confess|add|repeat|know|find)\s+that\s+(?:this|these)\s+"
    r"(?:is|are|was|were|will|would|must|may|might|can|could|has|have|had)\b",
    re.I,
)
_POINTER_NOUN = re.compile(
    r"\b(?:this|these|those|such(?:\s+an?)?)\s+(?:[a-z]+\s+)?(?:views?|ideas?|opinions?|doctrines?|arguments?|"
    r"principles?|theory|theories|facts?|reasoning|conclusions?|objections?|notions?|beliefs?|propositions?|statements?|"
    r"phenomenon|phenomena|maxims?|assertions?|remarks?|passages?|precedents?|relations?|considerations?|"
    r"state of things|course of things|situation|circumstances?|conditions|system|plan|method|policy|measures?|"
    r"practice|arrangement|proceeding|excess)\b"
    r"(?!\s+(?:(?:in|on|under|by|through|to|from|for|at|with|upon)\s+)?(?:that|of|which|who|whom)\b)",
    re.I,
)
"""A demonstrative with a word for something said or thought ("this view", "these facts", "this double
relation"): it points back to what the quote does not give."""
_PRONOUN_AFTER_THAT = re.compile(
    r"^It\s+(?:is|was|will be|would be|may be|seems|appears)\b[^,;]{0,60}?\bthat,?\s+"
    r"(?:(?:it|they|he|she|this|these|its|their|his)\s(?!(?:who|that|whom)\b)"  # "he who controls the bread" names its man
    r"|[^,;]{1,80},\s+(?:it|this|these|its)\s)"  # after a clause that may name the people ("if men were angels, they")
)
"""After "It is easy to conceive that, ...", a subject that is a pronoun ("it destroys for its own profit"):
what it stands for is in the sentence before."""
_CORRELATIVE_POINTER = re.compile(r"^[^,;]*?\bthe (?:more|less|fewer|[a-z]+er) (?:it|he|she|they|this|these)\b", re.I)
"""A comparative correlative whose first clause has a pronoun for its subject ("Thus the greater it is in
the geometrical sense, the less ..."): what grows is named in the sentence before. ("The more men own,
the more they fear": "they" are the men.)"""
_POINTER_CAUSE = re.compile(
    r"\b(?:due to|owing to|because of|the result of|thanks to|by reason of|in consequence of|caused by|springs? from|arises? from) "
    r"(?:this|these|that|those|such)\b(?!\s+(?:who|which|that)\b)",
    re.I,
)
"""A cause named by a pointer ("It is due to this ignorance that ..."): the cause itself is in the
sentence before, and a question on what causes what would quote only the effect."""
_AFTER_OPENER = (
    r"^(?:Before|After|In|At|By|During|Since|Until|From|Under|Among|Within|For|Long before|Soon after)\s[^,;]{0,40}?\s"
    r"(?:PRONOUNS)\s+(?:\w+\s+)?(?:had|has|was|were|is|are|would|could|will|must|may|might|did|does)\b"
)
_THING_AFTER_OPENER = re.compile(_AFTER_OPENER.replace("PRONOUNS", r"it(?!\s+(?:is|was)\b)"))
"""A pronoun subject after an opening phrase with no comma ("But before Rousseau's time it had been used
to support ..."): what "it" is lies in the sentence before."""
_PERSON_AFTER_OPENER = re.compile(_AFTER_OPENER.replace("PRONOUNS", "he|she|they"))


def names_its_people(quote: str) -> bool:
    """A claim quoted alone names whoever its "he" or "she" is ("Men are merely to be what he wills"
    does not: he is the legislator of the sentence before). A story's telling needs no such names:
    the reader of the passage knows its people ("At last a person with whom she could converse")."""
    rest = _LINK.sub("", without_lead_in(quote))
    rest = rest[:1].upper() + rest[1:]
    return not (_unresolved_he(rest) or _PERSON_AFTER_OPENER.match(rest))


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
        if cuts_off_a_condition(sentence[: brk.start()], sentence[brk.end() :]):
            continue
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
    whether also all""".split()
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


_CONDITION_NEXT = re.compile(
    r"(?:if|unless|provided|only if|so long as|as long as|except|save|whenever|in case)\b", re.I
)
_OPEN_SUBJECT = re.compile(
    r"^(?:(?:But|And|Yet|So|Now|Thus|Hence|Therefore),?\s+)?(?:Any|Every|Each|No|A|An|Some|One|Anyone|Anybody|Everyone|"
    r"Everybody|Nobody|No one|Those|He|She|They|Such|All)\b"
)
_RESTRICTIVE_NEXT = re.compile(r"(?:who|whom|that|which)\b", re.I)


def cuts_off_a_condition(piece: str, rest: str) -> bool:
    """Cutting a sentence after `piece` would drop the condition its claim holds under: a clause of
    condition ("…, if we suppose ...", "…, unless ...") or the clause that picks out an open subject
    ("Any person must write under the influence of party spirit or of fear, who would call into
    question ..." holds only of those who would). The consequent alone says the opposite of the
    author's point."""
    rest = rest.lstrip()
    if _CONDITION_NEXT.match(rest):
        return True
    return bool(_RESTRICTIVE_NEXT.match(rest) and _OPEN_SUBJECT.match(piece))
