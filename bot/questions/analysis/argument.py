"""The argument of a passage: whose views it reports, what it claims, on what grounds, and what
it concedes. What a facilitator asks about is found here, each piece with the words that mark it:

- views: what the passage says someone else holds ("Liebman correctly states that ...", "the
  Trotskyists claim ...", "He is wrong, however, in supposing ..."), with that person or camp
  as holder, and whether the author endorses, disputes, only reports it, or raises it as an
  objection to answer ("It will be said that ...", "People talk as if ..."). A sentence that
  reports a view is the holder's, never the author's claim; nor is a point the author concedes
  ("indeed ..." answered by "But however this may be") or gives to unnamed others ("it is
  argued that");
- reasons ("because", "since"), evidence (a case the point is built on, figures, a comparison:
  claims the passage rests on), cause and effect ("led to", "the result of"), counterfactuals
  ("would have ... if"), concessions ("Although ...", "It is true that ...") and the separate
  claim held despite them (a tension to weigh), in the author's own sentences;
- the theses: the author's claims (claims.py says what is one, and of which kind), best first by
  how central each is (the sentence that shares most with the passage as a whole, weighted by how
  distinctive its words are) and how plainly it states something to dispute.

Every quote stands alone (sentences.stands_alone): a whole sentence or its opening main clause,
never a stretch from the middle, never opening with a pointer back.

The centrality measure is the centroid method behind LexRank-style summarisers; the libraries
that do it (sumy, summa, lexrank) download NLTK data at run time or are unmaintained, and it is
a dozen lines. Without a parser all of this rests on marker words, so every piece is the author's own sentence
or clause, quoted, never a paraphrase. One pass over the sentences; each sentence is matched
against a fixed set of patterns: linear in the passage's length.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.questions.analysis.claims import has_verb, not_a_claim, read_claim, rhetorical
from bot.questions.analysis.everyday import english_frequency
from bot.questions.analysis.names import TITLES_ALONE
from bot.questions.analysis.sentences import (
    MAX_QUOTE_CHARS,
    MIN_QUOTE_CHARS,
    cuts_off_a_condition,
    dangles,
    elide_parenthesis,
    flat_text,
    garbled,
    nest_quotes,
    quotable,
    quote_through,
    stands_alone,
    without_lead_in,
)
from bot.questions.analysis.tokens import STOPWORDS, PassageText, Sentence, is_content_word
from bot.questions.analysis.voices import apparatus, programs, reports_others, sayings

MAX_OPENING_CHARS = 30
"""A holder named this near a sentence's start makes the sentence theirs (a report too long to quote
is still theirs); named later, the sentence may be the author's claim about them."""
MIN_CLAUSE_WORDS = 8
"""A clause cut from a longer sentence has at least this many words, or it says too little to weigh."""
MAX_PART_CHARS = 130
"""A part of a two-part question (a concession and what is held despite it) is at most this long."""

_REPORTING = (
    r"says|said|saying|argues|argued|arguing|claims|claimed|claiming|maintains|maintained|asserts|asserted|"
    r"insists|insisted|contends|contended|believes|believed|thinks|thought|holds|writes|wrote|suggests|"
    r"suggested|alleges|alleged|declares|declared|states|stated|supposes|supposed|supposing|assumes|"
    r"assumed|assuming|denies|denied|proclaims|proclaimed|objects|objected|accuses|accused|charges|"
    r"charged|denounces|denounced|reproaches|reproached|explains|explained|considers|considered|regards|"
    r"regarded|tells us|told us|would have us believe|sees|saw|opposed|opposes|rejects|rejected|attacks|"
    r"attacked|calls|called|describes|described|concludes|concluded|affirms|affirmed|admits|admitted|"
    r"criticises|criticised|criticizes|criticized|blames|blamed|portrays|portrayed|presents|presented|"
    r"replied|replies|reply|responded|responds|answered|answers|retorted|retorts|insist|argue|claim|believe|maintain|"
    r"say|hold|object|affirm|contend|urge|of opinion|of the opinion|teaches|taught|would teach us|teach us|"
    r"recommends|recommended|advises|advised|prescribes|prescribed"
)
_BETWEEN = r"(?:(?:also|correctly|rightly|wrongly|falsely|mistakenly|himself|herself|themselves|then|even|still|"
_BETWEEN += r"has|have|had|would|will|might|does|did|do|not|never|always|often|repeatedly|explicitly|clearly|"
_BETWEEN += r"simply|merely|quite|indeed|now|once|actually|first|later|been|besides \w+)\s+)*"
_FOLLOWERS = r"(?:leaders|followers|supporters|members|defenders|critics|theorists|historians|advocates|partisans|opponents|enemies|apologists|ideologists)"
_HOLDER_WORD = (
    rf"(?:{_FOLLOWERS}\s+of\s+(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w’'-]+|[a-z][\w-]+(?:\s+[a-z][\w-]+)?)|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){{0,2}}|he|she|they|critics|"
    r"opponents|objectors|adversaries|antagonists|historians|commentators|writers|moralists|philosophers|"
    r"some men|many men|some|many|others|men|people|persons)"
)
_CLAUSE_OPENERS = frozenset("but and yet now that while when whereas as because since for so though although".split())
"""Words after which "many", "people", "men" open a clause as its subject: the anonymous holders of a view."""
_REPORT = re.compile(
    rf"(?:\b(?:the|our|these|those|his|her|their)\s+)?\b({_HOLDER_WORD})(?:,?\s+who)?\s+{_BETWEEN}(?:{_REPORTING})\b"
)
_PASSIVE = re.compile(
    r"\b(?:said|maintained|argued|claimed|urged|alleged|held|asserted|contended|objected|proposed) by\s+"
    rf"(?:the\s+|our\s+)?({_HOLDER_WORD})"
)
_VERDICT = re.compile(
    rf"\b({_HOLDER_WORD})\s+(?:is|was|are|were)\s+(?:quite\s+|entirely\s+|completely\s+|absolutely\s+|also\s+)?"
    r"(wrong|mistaken|right|correct|justified|in error|mistaken)\b(?!\s+(?:by|in|to)\b)"
)
_ACCORDING = re.compile(
    r"^For\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?),\s"
    r"|\b(?:[Aa]ccording to|[Ii]n the (?:view|opinion|eyes) of)\s+((?:the\s+)?[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})"
    r"|\b([A-Z][\w-]+)[’']s?\s+(?:view|thesis|argument|claim|contention|position|assertion|charge|objection|"
    r"interpretation|explanation|account|theory)\s+(?:is|was)\s+that\b"
)
_DISPUTE = re.compile(
    r"\b(?:wrong|wrongly|mistake|mistaken|mistakenly|error|erroneous|false|falsely|fails? to|failed to|forgets?|"
    r"forgot|ignores?|ignored|overlooks?|overlooked|neglects?|on its head|distort\w*|slander\w*|myth|absurd\w*|"
    r"nonsense|untrue|not true|incorrect\w*|confuses?|misunderstand\w*|misrepresent\w*|in vain|pretends?|"
    r"would have us believe|alleged\w*|so-called|no basis|groundless|fallac\w*|illusion\w*|refut\w*|"
    r"lies|lying|falsif\w*)\b",
    re.I,
)
_ENDORSE = re.compile(
    r"\b(?:correctly|rightly|quite right|is right|was right|justly|convincingly|shows|showed|has shown|demonstrates|demonstrated)\b",
    re.I,
)
_REPLY_OPENING = re.compile(
    r"^(?:But|Yet|However|In fact|In reality|Actually|On the contrary|Nothing could|This is not|That is not|"
    r"The truth is|The reality is|In truth)\b"
)
_PRONOUNS = frozenset(("he", "she", "they"))
_NOT_HOLDERS = frozenset(
    """i we you it this that there here these those such one the a an in on at for but and or if when
    thus hence so yet however therefore indeed what which who why how all both each every no not""".split()
)

_COMMON_NOUN_BEFORE = frozenset("a an every any each another some many no bad good".split())
"""Words after which a capitalised word is a common noun ("a Pope", "the bad Popes"), not a name."""

_REASON = re.compile(
    r"\bbecause\b|,\s+since\s+(?!\d|then\b|when\b)|\bthat is why\b|\bthis is why\b|\bfor this reason\b"
    r"|\bthe reason\b|\bit follows\b|^For\s+(?:the|it|this|that|they|he|she|we|in|if|there|only|without)\b",
    re.I,
)
_CAUSE = re.compile(
    r"\b(?:led to|leads to|lead to|leading to|resulted in|results in|result(?:ed)? from|the result of|caused|"
    r"(?<!\bthe )(?<!\bits )(?<!\btheir )causes|because of|owing to|"
    r"(?<!\brent )(?<!\brents )(?<!\btaxes )(?<!\btax )(?<!\bdebts )(?<!\bdebt )(?<!\bmoney )(?<!\bsums )(?<!\bwages )due to|"  # rent due to a landlord is owed, not caused
    r"gave rise to|give rise to|gives rise to|brought about|"
    r"was the cause|is the cause|the causes of\b[^.;,]{0,40}\b(?:is|are|was|were|lie|lies|lay)|the root of|the roots of|the source of|the reason for|explains why|"
    r"accounts? for|as a result|stems? from|sprang from|springs from|grew out of|"
    r"(?:is|are|was|were|be|been|as) (?:\w+ )?(?:the|a|an) (?:product|consequence|consequences|outcome) of|thanks to|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )produced|determined by|"
    r"conditioned by|gave birth to|paved the way)\b",
    re.I,
)
_COUNTERFACTUAL = re.compile(
    r"\b(?:would|could|might)(?:\s+not|n[’']t)?\s+have\b[^.;]*\b(?:if|had|without|but for|unless)\b"
    r"|\b(?:if|had|without|but for|unless|imagine)\b[^.;]*\b(?:would|could|might)(?:\s+not|n[’']t)?\s+have\b"
    r"|\bwere it not for\b|\bhad it not been\b",
    re.I,
)
_REGRET = re.compile(r"\bwould have been (?:better|preferable|wiser|desirable|more useful)\b", re.I)
"""A wish about what someone should have done, not an argument from what would have happened."""
_CONCESSION_LEAD = re.compile(
    r"^(?:(Although|Though|Even though|Granted that)\s+"
    r"|(Of course|Admittedly|To be sure|No doubt|Certainly|True|Naturally|Undoubtedly)\s*,\s*"
    r"|(It is true that|It is of course true that|It is undeniable that|Granted)\s+)"
)
_BUT = re.compile(r",?\s+(?:but|yet)\s+(?!also\b|only\b)")
_HELD_OPENING = re.compile(
    r"^(?:(?:But|Yet)(?: then)?|However|Nevertheless|Nonetheless|Still|All the same|Even so),?\s+"
)
_CONCLUSION = re.compile(
    r"\b(?:thus|therefore|hence|in other words|clearly|in fact|the point is|the truth is|the essence|the key|"
    r"in reality|above all|precisely|nothing but|no more than|it is clear|it is evident|must|cannot|can only|"
    r"should be clear|it is obvious|obviously|undoubtedly|it follows|"
    r"the only|the real|the main|the decisive|the fundamental|the central|consisted in|consists in|lies in|"
    r"is not|was not|was the|is the)\b",
    re.I,
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|can|could|must|will|would|should|may|might|did|does|do|became|becomes|"
    r"remains|remained|means|meant|shows|showed|lies|lay|made|makes|led|leads|let|cannot|ought|shall|doth|hath|"
    r"seems|appears|arises|arose|say|says|said|depends|consists|requires)\b"
)
_SUBORDINATE = re.compile(
    r"^(?:If|When|While|Whilst|Although|Though|Tho[’']?|Because|Since|As|Unless|Whether|Underlying|Even|Once|After|Before|"
    r"Until|In order|Every time|Each time|Whenever|Wherever|Nor|Either|Instead of|Rather than|Without|Despite|"
    r"In spite of|Given|Unlike|Like)\b"
)
_BACK_REFERENCE = re.compile(
    r"\b(?:this|that|these|those|the same)\s+(?:\w+\s+)?(?:precedent|example|case|experience|fact)\b", re.I
)
_PERSONAL = re.compile(r"^(?:He|She|They|It|Its|His|Her|Their|Them)\b")


@dataclass(frozen=True)
class View:
    """A view the passage attributes to someone other than its author."""

    holder: str
    """As the passage names them: "Liebman", "the Trotskyists"."""
    sentence: int
    quote: str
    """The sentence, quotable; a leading pronoun replaced by the holder in brackets."""
    stance: str
    """"disputed", "endorsed" or "reported": what the author makes of it; "raised" for an
    objection the author states in order to answer it ("It will be said that ...", "another class
    of objectors, who say that ...")."""


@dataclass(frozen=True)
class Claim:
    """One of the author's sentences (or its clause) that plays a part in the argument."""

    sentence: int
    quote: str
    score: float = 0.0
    kind: str = ""
    """For a thesis, the kind of claim (claims.CLAIM_KINDS or "statement"); for evidence,
    "analogy", "example" or "figures"; "reason", "cause" or "counterfactual" otherwise."""
    strength: float = 0.0
    """For a thesis, how plainly it states something to dispute (claims.Reading.strength)."""
    aphorism: bool = False


@dataclass(frozen=True)
class Tension:
    """What the author grants, and what they hold all the same."""

    sentence: int
    granted: str
    held: str


@dataclass(frozen=True)
class Argument:
    theses: tuple[Claim, ...]
    """Candidate theses, best first."""
    views: tuple[View, ...]
    reasons: tuple[Claim, ...]
    evidence: tuple[Claim, ...]
    causes: tuple[Claim, ...]
    counterfactuals: tuple[Claim, ...]
    tensions: tuple[Tension, ...]
    holders: Mapping[int, str]
    """Sentence index -> whose view it reports (sentences that report no one's are absent)."""
    conceded: frozenset[int] = frozenset()
    """The author's sentences that grant a point in order to set it aside, or give an argument to
    unnamed others ("from this it is argued that ...")."""
    told: frozenset[int] = frozenset()
    """The author's sentences that tell what happened (claims.read_claim: narrative)."""
    spoken: int = 0
    """How many of the passage's sentences are the author's own (not inside quotation marks)."""

    @property
    def thesis(self) -> Claim | None:
        return self.theses[0] if self.theses else None


def find_argument(
    text: PassageText,
    weights: Mapping[str, float],
    author: str = "",
    names: Sequence[str] = (),
    is_known=lambda token: True,
    is_name=lambda word: False,
    concepts: frozenset[str] = frozenset(),
    subject: str = "",
) -> Argument:
    """The passage's argument. `weights`: how distinctive each stem is (idf over the library);
    `author`: the author's name, never a holder of someone else's view; `names`: names the
    passage uses (people, camps, institutions); `is_known(token)`: the library knows the word
    beyond this passage (False flags an OCR slip, which keeps a sentence from being quoted);
    `is_name(word)`: the text only ever writes the word with a capital; `concepts`: stems of
    the passage's key terms (a thesis states something about the passage's concepts); `subject`:
    in another hand's passage (an introduction), the text's author it speaks of, whom a "he" or
    "she" reporting a view with no one named before it in the paragraph means ("What he asserts
    is ...": the introduction's reading of the author, not the introduction's own claim)."""
    author_words = {w.casefold() for w in re.findall(r"[\w’'-]+", author)}
    subject_words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", subject) if len(w) > 1]
    known_names = {n.removeprefix("the ").casefold() for n in names}
    held: set[int] = set()
    views = _views(text, author_words, known_names, is_name, held, subject_words[-1] if subject_words else "")
    holders = {v.sentence: v.holder for v in views if v.stance != "endorsed"}
    reported = {v.sentence for v in views} | held  # a report too long to quote is still no claim of the author's
    flats = [_flat(s) for s in text.sentences]
    slips = _sentences_with_slips(text, is_known)
    rejected = {i for i in range(len(flats)) if _REJECTS_THE_LAST.match(flats[i])}  # "But, no; ...": points back
    rejected |= {i - 1 for i in rejected if i > 0} | _turned_down(text, flats, rejected)  # and what it turns down
    others = {i for i, f in enumerate(flats) if reports_others(f)} | sayings(flats) | _programmes(text, flats)
    own = [
        i
        for i, s in enumerate(text.sentences)
        if not s.quoted
        and i not in reported
        and i not in rejected
        and i not in slips
        and not flats[i].endswith(("?", ":"))
        and not not_a_claim(flats[i])
        and not garbled(flats[i])
        and not _ATTRIBUTED.search(flats[i])
        and not apparatus(flats[i])
        and i not in others
    ]
    conceded = _conceded(text, flats, own) | {
        i for i, f in enumerate(flats) if _ATTRIBUTED.search(f) and not text.sentences[i].quoted
    }
    conceded |= others
    reasons: list[Claim] = []
    evidence: list[Claim] = []
    causes: list[Claim] = []
    counterfactuals: list[Claim] = []
    tensions: list[Tension] = []
    for index in own:
        flat = flats[index]
        for pattern, found, kind in (
            (_REASON, reasons, "reason"),
            (_CAUSE, causes, "cause"),
            (_COUNTERFACTUAL, counterfactuals, "counterfactual"),
        ):
            match = pattern.search(flat)
            if not match or (found is counterfactuals and _REGRET.search(flat)) or index in conceded:
                continue
            quote = _quote(flat, match.start(), match.end())
            shorter = elide_parenthesis(flat)
            again = pattern.search(shorter) if quote is None and shorter != flat else None
            if again:  # too long whole: without the clause between subject and verb
                quote = _quote(shorter, again.start(), again.end())
            if quote and _usable_part(quote) and not _told(quote, is_name, known_names):
                found.append(Claim(index, quote, kind=kind))
        grounds = _evidence(text, flats, index)
        if grounds:
            evidence.append(grounds)
        tension = _tension(text, flats, index, set(own))
        if tension:
            tensions.append(tension)
    cases = {c.sentence for c in evidence if c.kind in ("example", "analogy")}  # asked about as cases
    asked = [
        i
        for i, s in enumerate(text.sentences)
        if not s.quoted and i not in reported and i not in slips and rhetorical(flats[i])
    ]  # a point made as a question ("By what right ...?"): the author's claim too
    theses = _theses(
        text,
        sorted([i for i in own if i not in conceded and i not in cases] + asked),
        weights,
        {c.sentence for c in evidence},
        concepts,
        frozenset(c.sentence for c in counterfactuals),
        is_name,
        frozenset(known_names),
    )
    return Argument(
        theses=tuple(theses),
        views=tuple(views),
        reasons=tuple(reasons),
        evidence=tuple(evidence),
        causes=tuple(causes),
        counterfactuals=tuple(counterfactuals),
        tensions=tuple(tensions),
        holders=holders,
        conceded=frozenset(conceded),
        told=frozenset(
            i
            for i, s in enumerate(text.sentences)
            if not s.quoted and read_claim(flats[i], is_name, frozenset(known_names)).not_a_claim == "narrative"
        ),
        spoken=sum(not s.quoted for s in text.sentences),
    )


def _programmes(text: PassageText, flats: list[str]) -> set[int]:
    """The sentences that spell out a programme the paragraph reports (voices.programs)."""
    by_paragraph: dict[int, list[int]] = {}
    for i, sentence in enumerate(text.sentences):
        by_paragraph.setdefault(sentence.paragraph, []).append(i)
    groups = list(by_paragraph.values())
    return {groups[p][i] for p, i in programs([[flats[j] for j in group] for group in groups])}


_TURN_OPENING = re.compile(r"^(?:But|Yet|However|Now|Henceforth|Thenceforth|From this time|At last)\b")


def _turned_down(text: PassageText, flats: list[str], rejections: set[int]) -> set[int]:
    """A rejection that opens a paragraph ("But, no; each one cannot do these things.") turns down
    the close of the paragraph before: from its last sentence that turns ("But henceforth, thanks
    to the age, it is to be admitted that ...") to its end, the view the author acts out in order
    to reject it."""
    down: set[int] = set()
    for i in rejections:
        if i == 0 or text.sentences[i - 1].paragraph == text.sentences[i].paragraph:
            continue
        before = [j for j in range(i) if text.sentences[j].paragraph == text.sentences[i - 1].paragraph]
        turns = [j for j in before if _TURN_OPENING.match(flats[j])]
        if turns and turns[-1] != before[0]:
            down.update(range(turns[-1], i))
    return down


_REJECTS_THE_LAST = re.compile(
    r"^(?:(?:But|And|Yet),?\s+)?(?:no|not so|nothing of the kind|by no means|far from it|not at all)\s*[,;:.!—-]"
    r"|^(?:But\s+)?(?:this|that|such) (?:is|was) (?:not so|false|an? (?:error|mistake|illusion|delusion|fallacy))\b",
    re.I,
)
"""The author turning down what the sentence before said ("Each one may harness his goat ... But,
no; each one cannot"): that sentence states a position only to reject it, and is no claim of the
author's."""


def _told(quote: str, is_name, names) -> bool:
    """A story, a count or a proof-text (claims.read_claim): "For he had killed as many of the lords as
    he could ..." gives no reason to weigh, only what happened."""
    return read_claim(quote.rstrip("…"), is_name, frozenset(names)).not_a_claim in ("narrative", "figure", "citation")


def _usable_part(quote: str) -> bool:
    """A piece of a sentence a question can quote: it stands alone, is no list item, and, when cut,
    keeps its main clause (not "Should an independancy be brought about by ...…")."""
    return (
        stands_alone(quote)
        and not _FRAGMENT.match(quote)
        and not quote.startswith(("See ", "Cf. "))
        and not (quote.endswith("…") and _OPENS_SUBORDINATE.match(quote))
        and not _INNER_EXCLAMATION.search(quote)
    )


_OPENS_SUBORDINATE = re.compile(
    r"^(?:(?:For|But|And|Yet|So|Now),?\s+)?(?:If|When|While|Whilst|Although|Though|Tho[’']?|Because|Since|As|Unless|Whether|"
    r"Whatever|Whoever|Whichever|However|Wherever|Whenever|Even if|Once|After|Before|Until|Assuming|Supposing|Granting|"
    r"Considering|Speaking|Taking|To (?!which\b|whom\b)[a-z]+\b[^,]*,|Should|Had|Were|Did|Could|Would|Might)\b",
    re.I,  # "And tho' all the fruits ... belong to mankind…": after "And", the subordinate word is lower-case
)
"""A cut quote ("…") that opens with a subordinate clause has lost its main clause ("Whatever is desired
otherwise than as a means to some end beyond itself…")."""
_INNER_EXCLAMATION = re.compile(r"[!?]\s+[a-z]")


_ATTRIBUTED = re.compile(
    r"\bit (?:is|was|has been|had been|may be|might be|will be|would be|could be) (?:often |sometimes |commonly |"
    r"generally |usually |also |even |further )?(?:argued|said|urged|maintained|alleged|claimed|contended|"
    r"objected|supposed|pretended|asserted|thought|held),? that\b",
    re.I,
)
"""An argument the passage gives to unnamed others in the middle of a sentence ("and from this it
is argued that ..."): not the author's claim."""
_CONCESSIVE = re.compile(
    r"\b(?:indeed|it is true|no doubt|doubtless|admittedly|granted|to be sure|of course|certainly|undoubtedly|"
    r"it must be (?:admitted|allowed|granted|owned|confessed)|I (?:admit|grant|allow|concede))\b",
    re.I,
)


def _conceded(text: PassageText, flats: list[str], own: list[int]) -> set[int]:
    """The author's sentences that grant a point in order to set it aside: a concession marker
    ("indeed", "it is true", "no doubt") with the next sentence of the paragraph turning against
    it ("But however this may be, ..."), or a sentence opened by a concession ("Of course, ...")."""
    conceded = set()
    for index in own:
        flat = flats[index]
        if _CONCESSION_LEAD.match(flat):
            conceded.add(index)
            continue
        following = index + 1
        if (
            following < len(flats)
            and text.sentences[following].paragraph == text.sentences[index].paragraph
            and _HELD_OPENING.match(flats[following])
            and _CONCESSIVE.search(flat)
        ):
            conceded.add(index)
    return conceded


# -- evidence ------------------------------------------------------------------------------------

_MEASURED = re.compile(
    r"\b\d[\d,.]*\s*(?:%|per cent|percent|million|thousand|billion|times)\b|\b\d{1,3}(?:,\d{3})+\b", re.I
)
_NUMBER_WORD = (
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|millions?)"
)
_FIGURE = re.compile(rf"\b{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*\b|\b\d[\d,.]*\b", re.I)
_SMALL = frozenset("one two three four".split())
"""Numbers too small to make figures: "two pleasures", "the two things"."""
_EXAMPLE = re.compile(
    r"\bfor (?:example|instance)\b|\bas an instance\b|\be\.g\.|\bthe (?:example|experience|instance|precedent) of\b"
    r"|^(?:(?:Thus|So|Now|And),?\s+)?(?:He|She|Whoever|One) who\b|^(?:(?:Thus|So),?\s+)?(?:A|Any|The) (?:man|person|one) who\b"
    r"|^(?:Suppose|Take|Imagine|Consider)\b|^Let us (?:suppose|take|imagine|consider)\b|\bwitness\b"
    r"|^(?:Thus|So),?\s+(?:a|an|any)\s+(?:man|person|one|individual|citizen|people)\b",
    re.I,
)
_MAXIM = re.compile(
    r"^(?:(?:Thus|So|Now|And),?\s+)?(?:He|She|Whoever|One|(?:A|Any|The) (?:man|person|one)) who\s+(?:only\s+|never\s+|truly\s+)?"
    r"(?:knows?|is|are|has|have|thinks?|believes?|understands?|loves?|fears?|doubts?|lives?|wants?|wishes?|seeks?)\b",
    re.I,
)
"""A "he who" sentence whose verb is a state, not an act, states a rule ("He who knows only his own side
... knows little of that"); one naming a concrete act ("He who saves a drowning man ...") puts a case."""
_ANALOGY = re.compile(
    r"\b(?:exactly|just|precisely) as (?:if|though)\b|\bjust as\b|\b(?:it is|is|are|was) (?:just |exactly |much )?like\b"
    r"|\bparity of reasoning\b|\bby the same (?:method of )?reasoning\b|\bin like manner\b|\bin the same (?:way|manner)\b"
    r"|\bis as (?:great|much) a\b|\banalog(?:y|ous)\b"
    r"|\bthe case of [\w ]{2,40}? and [\w ]{2,40}?\b[^.;]{0,60}?\b(?:is|was|are|were) (?:\w+ )?(?:the same|alike)\b"
    r"|^(?:(?:And|But|For|So),?\s+)?As (?!much\b|many\b|soon\b|long\b|far\b|to\b|for\b|if\b|it\b|he\b|she\b|they\b|we\b|I\b)"
    r"[^.;?!]{10,120},\s+so\b",
    re.I,
)
_ANALOGY_OPENING = re.compile(r"^(?:In like manner|In the same (?:way|manner)|Just so|So too)\b")
MAX_PAIR_CHARS = 230
"""An analogy that opens by pointing back ("In like manner, ...") is quoted with the sentence it
completes when both together are at most this long."""


def _evidence(text: PassageText, flats: list[str], index: int) -> Claim | None:
    """What the sentence offers as grounds, quotable: an analogy ("This is exactly as if ...",
    "In like manner ..."), an example or case ("for instance", "He who ..."), or figures (two
    numbers or more: "eight civil wars and nineteen rebellions")."""
    flat = flats[index]
    analogy = _ANALOGY.search(flat)
    if analogy and _ANALOGY_OPENING.match(flat) and index > 0:
        before = text.sentences[index - 1]
        if before.paragraph == text.sentences[index].paragraph and not before.quoted:
            first = flats[index - 1]
            if len(first) + len(flat) >= MAX_PAIR_CHARS:
                first = opening_clause(first) or first  # "The only proof ... is that people hear it…"
            pair = f"{first} {flat}"
            quote = nest_quotes(pair) if len(pair) <= MAX_PAIR_CHARS and stands_alone(first) else None
            if quote and not not_a_claim(first):
                return Claim(index, quote, kind="analogy")
        return None
    kind, match = "analogy", analogy
    if match is None:
        kind, match = "example", _EXAMPLE.search(flat)
    if match is None:
        kind, match = "figures", _MEASURED.search(flat)
    figures = _FIGURE.findall(flat)
    if (
        match is None
        and len(figures) >= 2
        and not _DATED.search(flat)
        and any(f.lower() not in _SMALL for f in figures)
    ):
        kind, match = "figures", _FIGURE.search(flat)
    if match is None:
        return None
    if kind == "example" and _MAXIM.match(flat):
        return None  # "He who knows only his own side of the case, knows little of that.": a rule, no case
    if kind == "example" and _names_only(_EXAMPLE.sub(" ", flat)):
        return None  # "There are, for example, the Spartans and the Romans.": cases named, nothing said of them
    quote = _quote(flat, match.start(), match.end())
    if not quote or not _usable_part(quote) or not has_verb(quote):
        return None
    if kind == "figures" and (_BACK_REFERENCE.search(quote) or _PROPOSAL.search(quote) or not _FACT_VERB.search(quote)):
        return None  # figures of a plan proposed, or a list of them with no verb, are not evidence offered
    return Claim(index, quote, kind=kind)


def _names_only(flat: str) -> bool:
    """Nothing but names and function words: fewer than two lower-case words that carry meaning."""
    return sum(1 for w in re.findall(r"\b[a-z][\w’'-]*", flat) if w not in STOPWORDS and len(w) > 2) < 2


_FACT_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|did|does|amounts?|amounted|rose|fell|grew|stood|came|went|numbered)\b"
    r"|\b[a-z]{3,}ed\b"
)
_PROPOSAL = re.compile(r"\b(?:let|shall|should|ought|must|to be chosen|to be elected|to be appointed)\b", re.I)


# -- views ---------------------------------------------------------------------------------------


def _views(
    text: PassageText,
    author_words: set[str],
    known_names: set[str],
    is_name,
    held: set[int] | None = None,
    subject: str = "",
) -> list[View]:
    """The views the passage reports; `held` collects every sentence that reports someone's view,
    whether or not it can be quoted as one."""
    views: list[View] = []
    last_holder: dict[int, str] = {}  # paragraph -> the holder named last, for "he" and "they"
    for index, sentence in enumerate(text.sentences):
        flat = _flat(sentence)
        holder, at, head = _holder_of(
            flat, author_words, known_names, is_name, last_holder.get(sentence.paragraph, subject)
        )
        if not holder:
            continue
        last_holder[sentence.paragraph] = holder
        if sentence.quoted:
            continue
        if held is not None and (0 <= at < MAX_OPENING_CHARS or _ACCORDING.search(flat)):
            held.add(index)  # the sentence opens on its holder, or says "according to": the holder's throughout
        following = text.sentences[index + 1] if index + 1 < len(text.sentences) else None
        replied = (
            following is not None
            and following.paragraph == sentence.paragraph
            and bool(_REPLY_OPENING.match(_flat(following)))
        )
        # What the holder says may itself reject something ("Bettelheim explains how ... was
        # incorrect"): only the words up to the reporting verb say what the author makes of it.
        raised = (
            head < 0 or holder == _OBJECTORS or holder.startswith("those who ") or bool(_OBJECTING.search(holder))
        )  # raised to be answered: the sentence states the objection, not the answer to it
        head = len(flat) if head < 0 else head
        if raised:
            stance = "raised"
        elif _DISPUTE.search(flat[:head]) or replied:
            stance = "disputed"
        elif _ENDORSE.search(flat[:head]):
            stance = "endorsed"
        else:
            stance = "reported"
        quote = _view_quote(flat, holder, at, head)
        if (
            quote
            and (quote.startswith("[") or stands_alone(quote) or _POINTER_PHRASE.match(quote))
            and not not_a_claim(quote.rstrip("…"))
        ):
            views.append(View(holder, index, quote, stance))
    return views


def _holder_of(
    flat: str, author_words: set[str], known_names: set[str], is_name, previous: str
) -> tuple[str, int, int]:
    """Who the sentence reports, where their name stands and where the words that report them
    end (-1 for a view put in the passive, "it has been maintained by ...", which an author
    raises to answer); ("", -1, 0) when it reports no one."""
    those = _THOSE_WHO.match(flat)
    if those:
        return f"those who {those.group(1) or those.group(2)} so", 0, those.end()
    as_if = _TALK_AS_IF.match(flat)
    if as_if:
        return "those who talk so", 0, as_if.end()
    for pattern in (_VERDICT, _ACCORDING, _PASSIVE, _REPORT):
        for match in pattern.finditer(flat):
            group = next((i for i, g in enumerate(match.groups(), 1) if g), 0)
            if not group:
                continue
            if pattern is _REPORT and not _reports_a_view(match.group(0), flat[match.end() :]):
                continue
            if pattern is _REPORT and _passive(match.group(0)):
                continue  # "Florence has been described as ...": Florence is what is described
            if pattern is _PASSIVE and not _VIEW_NOUNS.search(flat[: match.start()]):
                continue  # "the wealth held by the Rothschilds": a thing held, not a view
            if pattern in (_REPORT, _VERDICT) and _not_the_subject(flat, match.start(group), match.group(0)):
                continue
            holder = _holder_name(
                match.group(group), match.start(group), flat, author_words, known_names, is_name, previous
            )
            if holder:
                return holder, match.start(), -1 if pattern is _PASSIVE else match.end()
    anonymous = _ANONYMOUS.match(flat)
    if anonymous:  # "It will be said that ...": an objection raised in order to be answered
        return _OBJECTORS, 0, anonymous.end()
    return "", -1, 0


def _passive(reported: str) -> bool:
    """ "... has been described", "... was called": the name is the one spoken of."""
    return bool(re.search(r"\b(?:been|be|is|are|was|were)\s+(?:\w+\s+)?\w+(?<!ing)$", reported))


_OBJECTING = re.compile(r"\b(?:objectors|opponents|critics|adversaries|enemies|antagonists|objector)\b")
_ANONYMOUS = re.compile(
    r"^(?:(?:But|Yet|Now|And),?\s+)?(?:it (?:will|may|might|could|can|must|has|have|had|is|was)(?: (?:perhaps|also|still|often|sometimes|be|been|now|then|further))*"
    r" (?:said|objected|urged|argued|maintained|alleged|claimed|contended|asserted|supposed|pretended)"
    r"(?!,? (?:truly|justly|with truth|correctly|rightly)\b)"
    r"|some (?:will |may |would )?(?:say|object|urge|argue|reply|answer|claim)|we (?:are|have been|shall be) told)\b",
    re.I,
)
_POINTER_PHRASE = re.compile(r"^(?:Against|To|In|On|For|From|Of|With) (?:this|these|that|those|such) [a-z]+\b")
"""A view may open by pointing back at what it answers ("Against this doctrine, however, arises
another class of objectors, who say ..."): its holder and content are in the sentence itself."""
_TALK_AS_IF = re.compile(
    r"^(?:(?:But|Yet|Now|And),?\s+)?(?:People|Men|Some|Many|Others|Critics|Writers|Moralists|They)\s+(?:often\s+|still\s+)?"
    r"(?:talk|speak|write|argue|reason|act|behave|proceed)\s+as\s+(?:if|though)\b"
)
"""An assumption the author puts to others in order to reject it ("People talk as if ...")."""
_THOSE_WHO = re.compile(
    r"^(?:(?:But|Yet|Now|And),?\s+)?(?:Those|They|Men|People|Writers) who (think|say|believe|hold|argue|maintain|suppose|imagine|claim|insist|fancy|assert)\b"
    r"(?!\s+(?:and|or|but|in|on|at|by|with|for|to|of|from|office|power)\b)(?<!hold)(?<!maintain)"
    r"|^(?:(?:But|Yet|Now|And),?\s+)?(?:Those|They|Men|People|Writers) who (hold|maintain)\b(?=\s+(?:that|the\s+(?:view|opinion|doctrine)|it\b))",
)
_OBJECTORS = "the objector"
"""The holder of an objection the author raises without naming anyone."""
_STRONG_REPORTING = re.compile(
    r"(?:argues|argued|arguing|claims|claimed|claiming|asserts|asserted|insists|insisted|"
    r"contends|contended|believes|believed|alleges|alleged|"
    r"denies|denied|proclaims|proclaimed|objects|objected|accuses|accused|denounces|denounced|"
    r"reproaches|reproached|criticises|criticised|criticizes|criticized|blames|blamed|rejects|rejected|"
    r"would have us believe|tells us|told us|recommends|recommended|advises|advised|prescribes|prescribed)$"
)
"""Verbs that report a view by themselves. "maintained", "assumed", "supposed", "charged" also
take plain objects ("Rome maintained friendly relations", "assumed power"): they report a view
only with one following ("that ...", a colon, a quotation)."""
_COMPLEMENT = re.compile(r"^[^.;]{0,60}?(?:\bthat\b|:|[“‘\"])|^\s+(?:as|how|why|what|whether)\s+\w+")


def _reports_a_view(reporting: str, after: str) -> bool:
    """A verb like "argues" reports a view by itself; "wrote", "said", "saw" only when a view
    follows ("that ...", a colon, a quotation): "Lenin wrote his article" reports none, nor does
    "never said what he did" (what someone says about a deed is no view)."""
    if re.search(r"\b(?:say|says|said|saying)$", reporting) and re.match(r"\s+(?:what|how|as)\b", after):
        return False
    return bool(_STRONG_REPORTING.search(reporting)) or bool(_COMPLEMENT.match(after))


_PREPOSITIONS = frozenset(
    """in of to from with at on about against for into upon among amongst over under between through toward
    towards like than beside besides near""".split()
)
_DETERMINER_WORDS = frozenset("the a an this that these those his her their our its my your".split())
_VIEW_NOUNS = re.compile(
    r"\b(?:it|view|views|opinion|opinions|doctrine|doctrines|theory|theories|argument|arguments|position|positions|"
    r"claim|claims|belief|beliefs|idea|ideas|thesis|principle|principles|notion|notions|contention|objection|objections|"
    r"proposition|maxim|dogma|tenet|interpretation|thing|things|this|that|what)\b[^.;:]{0,30}$",
    re.I,
)


def _not_the_subject(flat: str, at: int, reported: str = "") -> bool:
    """The name stands after a preposition ("in Lombardy", "from Epicurus to Bentham") or inside
    quotation marks: it is what the sentence is about, or words quoted, not someone whose view
    the sentence reports. (A camp after "of" that a relative clause reports is its subject:
    "another class of objectors, who say ...".)"""
    words = re.findall(r"[\w’'-]+", flat[:at].lower())
    while words and words[-1] in _DETERMINER_WORDS:
        words.pop()
    if words and words[-1] in _PREPOSITIONS:
        if not (words[-1] == "of" and re.search(r",?\s+who\s", reported) and flat[at : at + 1].islower()):
            return True
    before = flat[:at]
    return (
        before.count("“") > before.count("”")
        or before.count('"') % 2 == 1
        or len(re.findall(r"(?:^|\s)‘", before)) > len(re.findall(r"’(?![\w])", before))
    )


_WHAT_OPENING = re.compile(r"(?:(?:But|And|Now|So),?\s+)?(?:What|All that|This is what|That is what)\s+")
"""Words before a pronoun that still make it the subject of the report ("What he asserts is ...")."""


def _holder_name(
    raw: str, at: int, flat: str, author_words: set[str], known_names: set[str], is_name, previous: str
) -> str:
    """The holder as a question names them, or "" when the words are not a person or camp
    (the author, a pronoun with no one to stand for, a word capitalised only as an opener)."""
    words = raw.split()
    if not words:
        return ""
    if words[0].casefold() in _PRONOUNS:
        return previous if (previous and (at == 0 or _WHAT_OPENING.fullmatch(flat[:at]))) else ""
    if words[0].casefold() in _NOT_HOLDERS or any(re.sub(r"[’']s$", "", w).casefold() in author_words for w in words):
        return ""
    before = flat[:at].rstrip().rsplit(" ", 1)[-1].lower() if at else ""
    if raw[:1].islower():
        if raw in ("some", "many", "others", "men", "people", "persons", "some men", "many men"):
            if at > 0 and before not in _CLAUSE_OPENERS and not flat[:at].rstrip().endswith((",", ";", ":")):
                return ""  # "a wise and free people find it necessary": people described, not a camp reported
            return "those who say so" if at > 0 or raw != "some" else ""
        return "the " + raw
    name = re.sub(r"[’']s$", "", raw)
    if name.endswith(("ism", "isms")):
        return ""  # a doctrine holds no views; its followers do ("the leaders of Bolshevism")
    if before in _COMMON_NOUN_BEFORE or name.casefold() in TITLES_ALONE:
        return ""  # "It was a Pope who said ...": an office, not a person who can answer
    camp = name.endswith(("ists", "ites", "iks", "ians", "ers"))
    if not (camp or name.casefold() in known_names or all(is_name(w) for w in name.split())):
        return ""
    return ("the " + name) if before == "the" else name


def _view_quote(flat: str, holder: str, start: int, end: int) -> str | None:
    """The view as the question quotes it: the sentence, or its clause that reports the holder;
    a leading "He"/"They" made "[Liebman]"."""
    pronoun = re.match(r"^(He|She|They)\b", flat)
    if pronoun and start == 0:  # the pronoun is who holds the view, not the subject of a view reported later on
        replaced = f"[{holder.removeprefix('the ')}]"
        shift = len(replaced) - pronoun.end()
        flat = replaced + flat[pronoun.end() :]
        start, end = max(start + shift, 0), end + shift
    whole = _quote(flat, start, max(end, start + 1))
    if whole:
        return whole
    clause = quote_through(flat, start, max(end, start + 1))
    first = holder.removeprefix("the ").split()[0] if holder else ""
    if clause and first and clause.lstrip("…").startswith((first, "[", "According", "according")):
        return clause  # the clause that names the holder reads as a report of them
    return None


# -- concessions ---------------------------------------------------------------------------------


def _tension(text: PassageText, flats: list[str], index: int, own: set[int]) -> Tension | None:
    """A concession and what the author holds despite it, as two complete claims: "Although A,
    B" (the concession opens the sentence), or a sentence opened by "It is true that", "Of
    course", "Admittedly" ... followed by one opened by "But", "Yet", "However". Never a sentence
    cut at "but" or "though" in its middle: that is one claim, qualified, not two."""
    flat = flats[index]
    lead = _CONCESSION_LEAD.match(flat)
    if not lead:
        return None
    rest = flat[lead.end() :]
    if lead.group(1):  # "Although A, B": the main clause follows the comma that ends A
        split = re.search(r",\s+(?=(?:the|this|that|it|he|she|they|we|there|[A-Z])\b)", rest)
        if split and not _BUT.search(rest[: split.start()]):
            return _pair(index, rest[: split.start()], rest[split.end() :])
        return None
    if _BUT.search(rest):
        return None  # "Of course A, but B": one sentence qualified, not two claims
    following = index + 1
    if following in own and text.sentences[following].paragraph == text.sentences[index].paragraph:
        held = _HELD_OPENING.match(flats[following])
        if held:
            return _pair(index, rest, flats[following][held.end() :])
    return None


def _pair(index: int, granted_clause: str, held_clause: str) -> Tension | None:
    granted, held = _part(granted_clause), _part(held_clause)
    if granted and held:
        return Tension(index, granted, held)
    return None


_PART_SUBORDINATE = re.compile(
    r"^(?:though|although|if|when|whenever|wherever|unless|while|whilst|because|since|as|even if|even though|"
    r"whether|then|and|or|but|so|that)\b",
    re.I,
)
"""A clause that opens on a subordinating or linking word is not a claim of its own."""


def _part(clause: str) -> str | None:
    """A clause as one half of a two-part question: trimmed, lower-cased at the start unless it
    opens with a name, ended without its full stop, at most MAX_PART_CHARS (cut at a comma)."""
    clause = clause.strip(" ,;:—–")
    clause = re.sub(r"[.!]+$", "", clause)
    if _PART_SUBORDINATE.match(clause):
        return None  # "though a crime may not be against property, it may ...": the claim is not this clause
    if len(clause) > MAX_PART_CHARS:
        cut = clause.rfind(",", 0, MAX_PART_CHARS)
        if cut < 30:
            return None
        clause = clause[:cut] + "…"
    if len(clause.split()) < 4 or _PERSONAL.match(clause) or clause.startswith(("To ", "to ")):
        return None
    if not has_verb(clause):
        return None  # no verb: a phrase, not a claim to weigh
    if not_a_claim(clause) or not stands_alone(clause[:1].upper() + clause[1:]):
        return None  # talk about the text ("there is no reason to go into it here"), or a pointer back
    first = clause.split()[0]
    if first not in ("I",) and not (first[:1].isupper() and first[1:].islower() and first.lower() not in _NOT_HOLDERS):
        clause = clause[:1].lower() + clause[1:]
    elif first.lower() in _NOT_HOLDERS:
        clause = clause[:1].lower() + clause[1:]
    return nest_quotes(clause)


# -- the thesis ----------------------------------------------------------------------------------


_INNER_QUOTE = re.compile(r"‘[^’]*’")


def _quotes_at_length(quote: str) -> bool:
    """Someone else's words quoted at length (six words or more) inside the sentence: theirs, not
    the author's claim."""
    return any(len(inner.split()) >= 6 for inner in _INNER_QUOTE.findall(quote))


MIN_THESIS_STRENGTH = 0.35
"""A sentence that reads less plainly as a claim than this is never put up as a thesis: it must at
least state something in the author's own voice (claims.STATEMENT); a plainer claim, with the
words that mark one (ought, because, more ... than, every, folly), is preferred (PLAIN_CLAIM)."""
PLAIN_CLAIM = 0.5


def _theses(
    text: PassageText,
    own: list[int],
    weights: Mapping[str, float],
    examples: set[int],
    concepts: frozenset[str] = frozenset(),
    hypotheticals: frozenset[int] = frozenset(),
    is_name=lambda word: False,
    names: frozenset[str] = frozenset(),
) -> list[Claim]:
    """The author's claims, best first: each sentence that reads as a claim (claims.read_claim),
    scored by how central it is to the passage (two parts in five) and how plainly it states
    something a reader could dispute (three), so that a passage's short general sentence outranks
    the long one that merely shares most of its words."""
    bags: list[Counter[str]] = [Counter() for _ in text.sentences]
    for token in text.tokens:
        if is_content_word(token.text):
            bags[token.sentence][token.stem] += 1
    centroid: Counter = Counter()
    for index in own:
        centroid.update(bags[index])
    first_of_paragraph = {s.paragraph: i for i, s in reversed(list(enumerate(text.sentences)))}
    readings = []
    for index in own:
        sentence = text.sentences[index]
        quote = _thesis_quote(sentence)
        if quote is None or not _usable_part(quote) or quote.endswith("!") or _quotes_at_length(quote):
            continue
        reading = read_claim(without_lead_in(quote.rstrip("…")), is_name, names)  # "let me add" is no first person
        if reading.strength < MIN_THESIS_STRENGTH:
            continue
        central = _cosine(bags[index], centroid, weights)
        if first_of_paragraph.get(sentence.paragraph) == index:
            central *= 1.15
        held = len(concepts.intersection(bags[index]))
        central *= 1.0 + 0.15 * min(held, 2)
        readings.append((index, quote, reading, central))
    top = max((c for *_, c in readings), default=0.0) or 1.0
    scored = []
    for index, quote, reading, central in readings:
        score = 0.4 * central / top + 0.6 * reading.strength
        if _CONCLUSION.search(quote):
            score *= 1.1
        if _DATED.search(quote):
            score *= 0.7  # a dated event told, more often than a claim argued
        if _turns_from_a_concession(text, index):
            score *= 1.15  # "Undoubtedly: such teaching suffices ... But on every subject ...": the author's point
        if index in examples:
            score *= 0.85
        if index in hypotheticals:
            score *= 0.8
        scored.append(Claim(index, quote, round(score, 4), reading.kind, reading.strength, reading.aphorism))
    scored.sort(key=lambda c: (-c.score, c.sentence))
    return scored


TURN_WINDOW = 3
"""How many sentences before a "But ..." a concession may stand for the "But" to turn from it."""


def _turns_from_a_concession(text: PassageText, index: int) -> bool:
    """The sentence turns ("But ...", "Yet ...") from a point the same paragraph granted a few
    sentences before ("Undoubtedly", "it is true", "of course") and did not turn from at once:
    what the author holds against it."""
    sentence = text.sentences[index]
    if not _HELD_OPENING.match(_flat(sentence)):
        return False
    before = [text.sentences[i] for i in range(max(0, index - TURN_WINDOW), index)]
    return any(
        s.paragraph == sentence.paragraph
        and not s.quoted
        and (_CONCESSIVE.search(_flat(s)) or _CONCESSION_LEAD.match(_flat(s)))
        and not _BUT.search(_flat(s))  # "It must of course be seen so, but ...": it has turned already
        for s in before
    )


_DATED = re.compile(
    r"\b(?:1[6-9]|20)\d\d\b|\b(?:January|February|March|April|June|July|August|September|October|November|December)\b"
)
_ORDINAL = r"(?:First|Firstly|Second|Secondly|Third|Thirdly|Fourth|Fourthly|Fifth|Fifthly|Finally|Lastly)"
_FRAGMENT = re.compile(
    rf"^(?:\w+,\s+)?that\b|^{_ORDINAL}\W+(?:that|because)\b|^…|^{_ORDINAL}\.|^Because\b(?:,|[^,]*$)", re.I
)
"""A list item or an answer that completes the sentence before ("Secondly, that ...", "THIRDLY. -
...", "Because, the longer it is delayed ...")."""


def _thesis_quote(sentence: Sentence) -> str | None:
    """The sentence, or for a long one its opening clause when that stands as a claim; not an
    item of a list that only completes the sentence before ("Secondly, that ...")."""
    if _FRAGMENT.match(_flat(sentence)):
        return None
    flat = _flat(sentence)
    if rhetorical(flat):
        return nest_quotes(flat) if MIN_QUOTE_CHARS <= len(flat) <= MAX_QUOTE_CHARS else None
    whole = quotable(sentence)
    if whole:
        return whole
    flat = _flat(sentence)
    if flat.endswith("?") or not flat[:1].isupper():
        return None
    clause = opening_clause(flat)
    shorter = elide_parenthesis(flat)
    if clause is None and shorter != flat:  # the subject and the verb that carries the claim, the rest left out
        if len(shorter) <= MAX_QUOTE_CHARS and shorter.rstrip("”’\"')")[-1:] in ".!" and "(" not in shorter:
            return nest_quotes(shorter)
        return opening_clause(shorter)
    return clause


def opening_clause(flat: str) -> str | None:
    """A long sentence's opening main clause, up to a semicolon, dash or colon, when it stands
    as a claim of its own (a verb in it, not a subordinate clause; a colon only when what comes
    before it does not announce what follows, as "thus:" or "the following:" do)."""
    unlinked = re.sub(r"^(?:(?:And|But|For|So|Yet|Now|Thus|Then|Hence|Therefore|However|Indeed),?\s+)+", "", flat)
    if _SUBORDINATE.match(flat) or _SUBORDINATE.match(
        unlinked[:1].upper() + unlinked[1:]
    ):  # "Thus, even if", "And tho'"
        return None
    match = _CLAUSE_END.search(flat, MIN_QUOTE_CHARS)
    if (
        match
        and re.match(r"(?:but|yet|however)\b", flat[match.end() :], re.I)
        and _CONCESSIVE.search(flat[: match.start()])
    ):
        return None  # the opening clause is conceded; the claim is what follows the "but"
    if match and match.start() <= MAX_QUOTE_CHARS - 1:
        piece = flat[: match.start()].rstrip(",;: ")
        if match.group().strip() == ":" and _ANNOUNCES.search(piece):
            return None
        if (
            len(piece) >= MIN_QUOTE_CHARS
            and len(piece.split()) >= MIN_CLAUSE_WORDS
            and piece.count("(") == piece.count(")")
            and (_FINITE.search(piece) or has_verb(piece))
            and not dangles(piece)
        ):
            return nest_quotes(piece + "…")
    if match is None or match.start() > MAX_QUOTE_CHARS - 1:
        return _opening_before_comma(flat)
    return None


def _opening_before_comma(flat: str) -> str | None:
    """A long sentence with no clause break in reach, cut at the first comma that closes its main
    clause: what comes before has a verb, no parenthesis left open (an even number of commas:
    "X, whatever Y, is ..." is not closed after "Y"), and what follows only adds to it (a
    relative clause, a participle, a conjunction): "Justice is a name for certain classes of
    moral rules…"."""
    if _FREE_RELATIVE.match(flat):
        return None  # "Whatsoever he removes out of the state that nature hath provided, ... he hath mixed ..."
    for comma in re.finditer(r",\s+(\w+)", flat):
        piece = flat[: comma.start()]
        if len(piece) > MAX_QUOTE_CHARS - 1:
            return None
        if (
            len(piece.split()) >= MIN_CLAUSE_WORDS
            and piece.count(",") % 2 == 0
            and piece.count("(") == piece.count(")")
            and _FINITE.search(_LINK_WORDS.sub("", piece))
            and (comma.group(1).lower() in _ADDS_TO or comma.group(1).endswith(("ing", "ed")))
            and not dangles(piece)
            and not cuts_off_a_condition(piece, flat[comma.start() + 1 :])  # "Any person must ..., who would ..."
        ):
            return nest_quotes(piece + "…")
    return None


_FREE_RELATIVE = re.compile(
    r"^(?:(?:And|But|Now|So|For|Then|Thus|Hence)\b,?\s+)?(?:\w+\s+)?(?:Whatsoever|Whatever|Whoever|Whosoever|"
    r"Whichever|What|He who|He that|She who|They who|Those who|That which|All that|As much as|As many as)\b",
    re.I,
)
"""A sentence whose subject is a clause ("Whatsoever then he removes ...", "He that incloses land,
..."): its first commas fall inside the subject, before the verb that carries the claim."""
_ADDS_TO = frozenset("which who whom whose while whereas and since because though although even".split())
"""What may follow the comma a long sentence is cut at: what only adds to the clause before it.
("even if" leaves the claim standing; "if", "unless", "than", "not" often complete its meaning: "There is no difficulty in proving any
standard to work ill, if we suppose universal idiocy" is not cut.)"""
_LINK_WORDS = re.compile(r"^(?:\w+,\s+)+")


_CLAUSE_END = re.compile(r";\s|\s—\s|\s–\s|(?<=\w)--(?=\w)|:\s")
_ANNOUNCES = re.compile(r"\b(?:this|these|thus|following|follows|namely|viz|as|that|is|are|was|were)$", re.I)


def _cosine(bag: Counter, centroid: Counter, weights: Mapping[str, float]) -> float:
    """Cosine of two bags of stems, each stem weighted (a stem without a weight counts 1)."""
    if not bag:
        return 0.0
    dot = sum(n * centroid[s] * weights.get(s, 1.0) ** 2 for s, n in bag.items())
    norm_bag = math.sqrt(sum((n * weights.get(s, 1.0)) ** 2 for s, n in bag.items()))
    norm_all = math.sqrt(sum((n * weights.get(s, 1.0)) ** 2 for s, n in centroid.items()))
    return dot / (norm_bag * norm_all) if norm_bag and norm_all else 0.0


# -- helpers -------------------------------------------------------------------------------------


def _flat(sentence: Sentence) -> str:
    return flat_text(sentence)


def _quote(flat: str, start: int, end: int) -> str | None:
    """A whole sentence, or for a long one its opening stretch up to a clause break after the
    marker (its subject and verb kept): a clause cut out of the middle rarely reads as a claim."""
    if flat.count("(") != flat.count(")"):
        return None
    ending = flat.rstrip("”’\"')")[-1:] in ".!"
    if MIN_QUOTE_CHARS <= len(flat) <= MAX_QUOTE_CHARS and (flat[:1].isupper() or flat[:1] == "[") and ending:
        return nest_quotes(flat)
    clause = opening_clause(flat)
    if clause and start < len(clause) - 1:
        return clause
    cut = quote_through(flat, start, end)
    if (
        cut
        and not cut.startswith("…")
        and not _SUBORDINATE.match(cut)
        and cut.count("(") == cut.count(")")
        and has_verb(cut)
        and len(cut.split()) >= MIN_CLAUSE_WORDS
    ):
        return cut
    return _head_and_clause(flat, start)


_STRONG_BREAK = re.compile(r"[;:]\s+(?:and\s+|but\s+|so\s+)?|\s[—–]\s|(?<=\w)--(?=\w)")


_TAIL_LEANS = re.compile(
    r"(?:may|must|can|cannot|could|would|should|shall|will|is|are|was|were|has|have|had|hath|doth|does|do|did|ought|"
    r"because|since|for|as|which|who|whom|that|if|when|though|although|and|or|but|this|these|those|it|they|he|she|"
    r"without|with|in|of|by|to|from|on|at|upon|under)\b",
    re.I,
)


def _head_and_clause(flat: str, start: int) -> str | None:
    """For a long sentence whose point comes late, its opening clause and the clause holding the
    point, the stretch between left out ("No body could think himself injured by the drinking of
    another man … the case of land and water, where there is enough of both, is perfectly the
    same."): a quote never stops just before the point it is asked about, and stays in bound."""
    breaks = [b for b in _STRONG_BREAK.finditer(flat) if b.end() <= start]
    if not breaks:
        return None
    after = _STRONG_BREAK.search(flat, start)
    tail = flat[breaks[-1].end() : after.start() if after else len(flat)].strip()
    head = re.split(r",\s|[;:]\s|\s[—–]\s", flat, maxsplit=1)[0].strip()
    if after:
        tail = tail.rstrip(",;: ") + "…"
    quote = f"{head} … {tail}"
    if (
        len(quote) > MAX_QUOTE_CHARS
        or len(head.split()) < 5
        or len(tail.split()) < 5
        or head == flat[: len(head)]
        and len(head) >= breaks[-1].start()  # nothing left out
        or not (_FINITE.search(head) or has_verb(head))
        or not has_verb(tail)
        or _TAIL_LEANS.match(
            tail
        )  # "… will be wishing", "… because it is", "… this was the cause": no clause of its own
        or _SUBORDINATE.match(head)
        or dangles(head)
        or quote.count("(") != quote.count(")")
    ):
        return None
    return nest_quotes(quote)


def _sentences_with_slips(text: PassageText, is_known) -> set[int]:
    """Sentences holding a word that looks like an OCR slip: unknown to everyday English and
    to the library beyond this passage ("Iasting" for "lasting"). Such a sentence is not quoted."""
    return {
        t.sentence
        for t in text.tokens
        if t.text.isalpha() and len(t.text) > 3 and english_frequency(t.text.lower()) <= 1e-9 and not is_known(t)
    }
