"""What a sentence does in an argument: whether it states a claim a reader could dispute, and of
which kind, so that a question quotes only claims and asks of each what suits it (a rule: should
we accept it? a cause: is that the cause? a generalisation: what are the counterexamples?).

Not claims, and never quoted as one:
- headings, whether on a line of their own or run into the text ("OF MONARCHY As the exalting
  ...", "Which is the easiest plan, X or Y; With some remarks."): mostly capitals, a heading word
  and a number, or a capitalised title running into a new sentence;
- introductions to a quotation ("I offer them the following extracts ...");
- talk about the text itself ("I have dwelt on this point", "In a former page I mentioned",
  "We shall examine presently", "The reader will pardon this digression");
- narrative: what particular people did, told in the past tense with no judgement in it
  ("The Jews ... proposed making him a king"). Such a sentence may still be an example the
  argument rests on, which is asked about as evidence, not as a claim.

A claim's kind comes from the words that carry it: normative (ought, should, right, duty),
definition (is a name for, we mean, consists in), causal (produces, leads to, depends on),
comparative (more ... than, different things, not so much ... as), general (all, every, no,
whatever, a subject with no article: "Expedience and right are ..."), evaluative (good, evil,
folly, false, dangerous). A short general sentence in the present tense, standing alone (an
aphorism: "Expedience and right are different things."; "Virtue is not hereditary.") is what a
facilitator quotes first. Everything here is a fixed set of patterns over one sentence: linear
in its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.questions.analysis.everyday import english_frequency

CLAIM_KINDS = (
    "conclusion",
    "definition",
    "normative",
    "causal",
    "classification",
    "comparative",
    "general",
    "evaluative",
)
"""The kinds a claim can be read as, in the order a sentence with several cues is read: a sentence
drawn as a conclusion ("therefore", "it follows") is asked whether it follows, whatever else it is;
one that classes a thing ("Slavery is a violation of ...", "Men are nothing but raw material") is
asked whether the label fits, not for a counterexample to a rule."""

RHETORICAL = "rhetorical"
"""The kind of a question the author asks to make a point, not to learn the answer ("By what right
...?", "Have we ever known them demand the impossible?", "Is it not evident that ...?"): a claim
put as a question, asked about as the answer the author expects."""
STATEMENT = "statement"
"""The kind of a claim in the present tense that no cue marks further."""
APHORISM_CHARS = 120
"""An aphorism is short: at most this many characters."""

_LETTERS = re.compile(r"[^\W\d_]")
_HEADING_WORD = re.compile(
    r"^(?:CHAPTER|Chapter|BOOK|Book|PART|Part|SECTION|Section|APPENDIX|Appendix|PREFACE|Preface|INTRODUCTION|"
    r"LECTURE|Lecture|LETTER|ESSAY|NOTE|POSTSCRIPT|ARTICLE|Article)\b(?:\s+(?:[IVXLC]+|\d+|[A-Z]+)\b)?"
)
_FUNCTION_CAPITAL = (
    r"(?:The|A|An|It|In|As|When|This|That|These|We|There|If|But|And|On|To|For|Of|Our|Their|His|Its|"
    r"Thus|Yet|Although|While|Since|From|With|By|At)"
)
# A capitalised title running into the next sentence: a title word, then a sentence opening
# ("Succession As the exalting ...", "SUCCESSION The ..."), which running prose never has.
_RUN_IN_TITLE = re.compile(rf"\b[A-Z][a-zA-Z’'-]+\s+{_FUNCTION_CAPITAL}\s+[a-z]")
_CAPS_RUN = re.compile(r"^(?:[A-Z][A-Z’'-]+[,;:]?\s+){2,}(?:[a-z]+\s+)?[A-Z][a-z]")
_IMPERATIVE = re.compile(
    r"^(?:(?:But|And|Now|O|Oh|Then|So),?\s+)?(?:Give|Tell|Call|Say|Look|Remember|Read|Take|Put|See|Go|Come|Ask|Behold|Mark|"
    r"Hear|Judge|Think|Show|Bring|Leave|Cease|Stop|Beware|Learn|Know|Speak|Send|Keep|Make|Do|Be|Grant|Suppose|Admit|"
    r"Imagine|Picture|Observe|Note|Consider)\b(?!\s+(?:it|they|he|she|we|I)\b)"
)
_LABEL = re.compile(r"^((?:[\w’'-]+\s+){0,3}[\w’'-]+):\s")
_INTERROGATIVE_START = re.compile(r"^(?:Which|Whether)\b")
_QUOTATION_INTRO = re.compile(
    r"\bin (?:his|her|their|its|a) (?:letter|speech|address|message|despatch|dispatch|memorial|proclamation|"
    r"manifesto) (?:of|to|dated)\b|"  # "QUEEN ANNE, in her letter of the 1st July, 1706, ... makes some observations"
    r"\bthe following\b|\bas follows\b|\bin (?:these|the following) words\b|\bthus\s*(?::|--|—|;|…|$)|"
    r"\b(?:I|we) (?:quote|cite|subjoin|give|offer|insert) (?:them |you |here |below )?(?:the|this|these|a|an)\s+"
    r"(?:words|passage|extracts?|lines|remarks?|observations?|letter)\b",
    re.I,
)
_DISCOURSE_VERB = (
    r"(?:dwelt|dwell|mentioned|mention|remarked|remark|said|say|shown|show|noticed|notice|observed|observe|"
    r"proceed|return|turn|pass|come|offer|attempt|endeavour|endeavor|begin|conclude|repeat|add|digress|"
    r"illustrate|examine|consider|discuss|explain|speak|treat|deal|enter|inquire|touch|refer|put|state|prolong|"
    r"continue|pursue|resume|outline|sketch|summari[sz]e|review|trace|"
    r"give|quote|cite|point out|insist|answer|reply|prove|demonstrate|substantiate|make (?:such|this|that|the|an?) "
    r"(?:assertion|claim|point|case))"
)
_SELF_REFERENCE = re.compile(
    rf"^(?:(?:But|And|Now|Here|So|Again|First|Lastly|Finally|However|Below|Above|Next),?\s+)?(?:I|We)\s+(?:have\s+|had\s+|shall\s+|will\s+|can\s+|could\s+|may\s+|might\s+|now\s+|not\s+|"
    rf"already\s+|likewise\s+|also\s+|here\s+|then\s+|next\s+|briefly\s+|presently\s+|first\s+|further\s+)*"
    rf"{_DISCOURSE_VERB}\b"
    r"|\bin an? (?:former|previous|earlier|later|following|preceding|subsequent) (?:page|chapter|section|part|place|letter|essay)\b"
    # The author announcing what they will do next ("Wishing to answer these objections, I will recall ...";
    # "I am now going to prove ..."): a plan for the text, not a claim about the world.
    r"|\b(?:I|we) (?:will|shall) (?:now |first |briefly |therefore |here |then |next )*(?:recall|show|prove|describe|"
    r"mention|cite|quote|relate|point out|examine|consider|speak|discuss|treat|begin|add|set out|take up)\b"
    r"|\b(?:I|we) (?:am|are) (?:now |here )?(?:going|about) to\b"
    r"|\b(?:impossible|not possible|unnecessary|needless|no need) (?:here )?to (?:follow|trace|give|describe|relate|"
    r"recount|enter into|discuss|dwell on|go into|detail)\b[^.;]{0,80}\bhere\b"
    r"|\b(?:the|our) (?:reader|readers)\b|\bthis digression\b|\bto recapitulate\b|\bso far as to\b|^So much for\b"
    r"|\b(?:it has|has it) (?:already |often |before )?been (?:remarked|said|shown|observed|mentioned|noticed)\b"
    r"|\bwe (?:shall|will|must|may) (?:now |presently |next |first |then |afterwards )*(?:examine|see|consider|return|"
    r"turn|inquire|proceed|show|speak|treat|discuss|look|pass|enter)\b|^Having thus\b|^Before (?:proceeding|going)\b"
    r"|\b(?:I|we) (?:now |next )?(?:proceed|come|return|turn) (?:now )?to\b|\bthe (?:following|present) (?:pages|chapter|essay|section)\b"
    r"|\b(?:in|of) this (?:essay|chapter|work|treatise|book|section|pamphlet|article|letter|lecture)\b"
    r"|\bthe (?:exposition|account|explanation|analysis|discussion|illustrations?|remarks|observations) (?:which )?(?:I|we) "
    r"(?:have|had) (?:now |already |here |just )?(?:given|offered|made|presented|attempted)\b"
    r"|\bno (?:need|reason|room|space|occasion) (?:here )?to (?:go into|discuss|dwell|examine|enter|repeat)\b"
    r"|\bthe (?:above|preceding|foregoing) (?:passage|remarks|pages|extract)\b"
    r"|\b(?:which|that) (?:chiefly |most |really )?(?:concerns|interests|occupies) (?:us|me|mankind|the reader|our attention)\b"
    r"|\blet us (?:now |therefore |then |first |next |briefly )*(?:advert|turn|consider|examine|see|look|proceed|return|"
    r"inquire|pass|begin|review|recapitulate)\b|\bin the sequel\b|\bwill (?:appear|be seen|be shown) (?:hereafter|presently|"
    r"later|below)\b|\b(?:it is )?(?:not |un)?(?:necessary|needful|needless) (?:here )?to (?:speak|dwell|say|enter|discuss|"
    r"repeat|insist|enlarge)\b|\b(?:considerations|remarks|arguments|observations|illustrations) which have (?:now |here |"
    r"already |just )?been (?:adduced|offered|given|stated|made|presented)\b",
    re.I,
)
_PRESENT = re.compile(
    r"\b(?:is|are|am|isn[’']t|aren[’']t|has|have|does|do|doth|hath|can|cannot|can[’']t|must|should|ought|will|shall|"
    r"may|might|would|could|be|becomes|remains|seems|appears|makes|means|depends|consists|lies|requires|belongs)\b"
    r"|\b\w+eth\b"
)
_PAST = re.compile(
    r"\b(?:was|were|had|did|went|came|took|gave|made|said|told|wrote|fought|sent|began|rose|fell|stood|brought|"
    r"led|held|left|met|ran|saw|set|won|lost|became|knew|found|got|kept|struck|drove|fled|sat|spoke|chose|"
    r"replied|answered|proposed|marched|declared|refused|offered|returned|reigned|died|lived|succeeded)\b"
    r"|\b[a-z]{3,}ed\b"
)
_DATE_OR_FIGURE = re.compile(r"\b\d|\b(?:ago|yesterday|last (?:war|year|month|week|century))\b", re.I)

_COUNT = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|a hundred|a thousand"
)
_CUES = {
    "conclusion": re.compile(
        r"^(?:(?:And|But|Now),?\s+)?(?:So\b(?!\s+(?:much|many|few|great|far|long|that)\b)"
        r"(?!\s+[a-z]+\s+(?:is|are|was|were|had|has|have|did|does|do)\b)"  # "So uncertain is ... that": a degree
        r"|(?:Thus|Hence|Therefore|Consequently|Wherefore|Accordingly|As a (?:result|consequence)|In consequence)\b"
        r"(?!\s+(?:much|far|long)\b))"
        r"|\btherefore\b|\bit (?:therefore |then |thus )?follows\b|\bwe (?:may|must|can) (?:therefore |then |thus )?conclude\b"
        r"|(?<!\bBut),\s*(?:then|thus|hence|consequently|accordingly),|^(?:I|We) (?:hold|say|conclude|maintain|affirm) (?:then|therefore|thus)\b",
        re.I,
    ),
    "classification": re.compile(
        # a bare subject set in a class ("Slavery is a violation, sanctioned by law, of the rights of the person"),
        # or a thing reduced to another ("Men, therefore, are nothing but raw material")
        r"^(?:(?:But|And|Yet|Now|Thus|Hence|So|Therefore),?\s+)?(?!(?:It|This|That|There|Here|He|She|They|We|You|What|Which|Who|"
        r"Such|One|Each|Everything|Nothing|Something|Anything|All)\b)[A-Z][a-z-]+(?:\s+(?:and|or)\s+[a-z-]+)?,?\s+(?:is|are)\s+"
        r"(?:(?:then|therefore|thus|also|only|merely|simply|itself|not|always),?\s+)*(?:a|an)\s+[a-z]"
        r"|\b(?:is|are|be)\s+(?:nothing (?:else )?(?:but|than|more than)|merely|mere|no more than|nothing but)\s+(?!(?:a |an |the )?(?:matter|question) of\b)",
        re.I,
    ),
    "definition": re.compile(
        r"\b(?:is|are|be) (?:a name for|what we mean|the name of)\b|\bwe mean\b|\b(?:is|are) (?:that|those) (?:which|who)\b|"
        r"\b(?:means|meant) (?:that|only|nothing|no more)\b|\bconsists? (?:in|of)\b|\b(?:is|be|are) defined\b|"
        r"\bmay be defined\b|^(?:We|I) (?:call|name|term)\b|\bis synonymous\b|\bis (?:the )?(?:essence|meaning|definition) of\b|"
        r"\bconstitutes? (?:the )?(?:essence|nature|definition|meaning)\b|"
        r"\bwhat (?:essentially )?constitutes\b|\b(?:is|are|be|was|were)\s+(?:\w+\s+)?the (?:business|task|office|function|province) of\b"
        r"|^To [a-z]+\b[^.;]{0,60}\bis\b[^.;]{0,30}\bto [a-z]+",
        re.I,
    ),
    "normative": re.compile(
        r"\b(?:ought|should(?!\s+be\s+(?:clear|obvious|evident|noted|remembered|said|added|observed|understood)\b)|"
        r"duty to|a duty to|obliged|bound to|(?:a|no|the) right to|"
        r"(?:has|have|had) a right|deserves?|deserving|entitled|justified in|justifiable|unjustifiable|let us|let the|"
        r"we are to|is to be|are to be|ought not|let (?:their|his|her|its|our|them|it|a|an|every|each|no|all))\b"
        # a rule of who owns what ("so much is his property", "makes it his property")
        r"|\b(?:is|are|becomes?|makes? (?:it|them)) (?:his|her|their|its|one[’']s|my|our|your) (?:own )?(?:property|right)\b",
        re.I,
    ),
    "causal": re.compile(
        r"\b(?:led to|leads? to|leading to|result(?:ed|s)? (?:in|from)|the result of|(?<!\bto )(?<!\bthe )caus(?:es|ed)|because of|"
        r"owing to|(?<!\brent )(?<!\btaxes )(?<!\bdebts )(?<!\bmoney )due to|gives? rise to|gave rise to|brought about|the (?:root|roots|source|origin) of|"
        r"stems? from|springs? from|sprang from|arises? from|arose from|grew out of|"
        # "X is the product of Y" says what made X; "can use the product of" names a thing, no cause.
        r"(?:is|are|was|were|be|been|as) (?:\w+ )?(?:the|a|an) (?:product|consequence|consequences|outcome|effect|effects) of|"
        r"produces|(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )produced|determin(?:es|ed) by|"
        r"secures|secured|ensures|ensured|prevents?|preserves?|destroys?|makes? (?:for|against)|tends? to|"
        r"the reason (?:why|for)|explains? why|accounts? for|causal|promoted|fostered|encouraged|"
        # "because" with a clause of its own ("idle because the owners invest abroad"), not "legitimate because rational"
        r"because (?=(?:the|a|an|they|he|she|it|we|I|you|men|people|his|her|their|its|our|this|that|these|those|of)\b)|"
        r"cause and (?:effect|consequence))\b"
        r"|\bthe (?:more|less|\w+er)\b[^.;]{0,60},\s*the (?:more|less|\w+er)\b"
        # Talk of causes is causal only when the sentence says what they are ("the cause of war is ..."):
        # "the causes of faction cannot be removed" names causes, and says nothing of what causes what.
        r"|\bthe (?:cause|causes) of\b[^.;,]{0,40}\b(?:is|are|was|were|lies|lay|lie)\b",
        re.I,
    ),
    "comparative": re.compile(
        r"(?:\b(?:more|(?<!\bnothing )(?<!\bno )less|greater|smaller|better|worse|higher|lower|sooner|stronger|weaker)\b[^.;:]{0,60}?"
        r"|\brather\s+(?!than\b)[^.;:]{0,60}?)\bthan\b"  # "rather than part with": instead of, no comparison
        r"(?!\s+(?:\d|"
        + _COUNT
        + r"|another\b|any other\b))"  # "more than six": a count; "more than another": no one more
        r"|\bas (?!well\b|soon\b|far\b|long\b|to\b|if\b|though\b|it\b|they\b|he\b|she\b|we\b|I\b|much\b|many\b)[a-z]+\b[^.;:,]{0,30}?\bas\b"
        r"(?!\s+(?:possible|he|she|they|we|I|you|one|it|could|can|ever)\b)"  # "as many as he could": how many, not a comparison
        r"|\b(?:more|less) so\b|\bnot so much\b|\bdifferent things\b|\bdiffer(?:s|ent)? (?:from|in)\b|\bthe same (?:as|thing)\b"
        r"|\bincomparably\b|\bsuperior to\b|\binferior to\b",
        re.I,
    ),
    "general": re.compile(
        r"^(?:(?:But|And|Yet|Now|Thus|Hence|So|Therefore|Wherefore|For|Indeed),?\s+)?"
        r"(?:All(?!\s+(?:that|this|these|the while)\b)|Every|Each|No(?!\s+(?:more|longer|sooner|doubt|less|matter)\b)|None|Nothing|Everything|Whatever|Whoever|Wherever|Whenever|Men|People|Mankind|"
        r"Man|Nations|Governments|He who|They who|Those who|One who|Any)\b"
        r"|\b(?:always|never|invariably|universally|in general|as a rule|everywhere|all men|the only|the sole|"
        r"solely|nothing but|alone is|alone can|must|cannot|necessarily|inevitabl\w*)\b"
        # what a thing needs ("the truth depends on a balance of reasons"): a condition that holds or fails,
        # not a cause to be explained another way
        r"|\b(?:depends?|dependent) (?:on|upon)\b",
        re.I,
    ),
    "evaluative": re.compile(
        r"\b(?:good|bad|evil|evils|best|worst|wise|wisdom|unwise|foolish|folly|absurd\w*|false|falsity|falsehood|"
        r"true|truth|errors?|erroneous|mistak\w+|dangerous|danger|useful|useless|pernicious|beneficial|"
        r"injurious|harmful|noble|contemptible|ridiculous|farcical|shame\w*|disgrace\w*|oppressions?|"
        r"tyranny|tyrannical|ruin\w*|impossible|necessary|necessity|essential|sacred|unfit|proper|improper|"
        r"reasonable|unreasonable|rational|irrational|natural|unnatural|intrinsically|valuable|worthless|"
        r"convenient|inconvenient|safe|unsafe|secure|insecure|happy|unhappy|misery|miserable|important|"
        r"trifling|vain|certain|uncertain|real|imaginary|delusion|right|wrong|just|unjust|fair|unfair|sinful|"
        r"legitimate|illegitimate|worthy|unworthy|morally|immoral|sins?|crimes?|criminal|guilty|innocent|"
        r"blame\w*|praise\w*|curse\w*)\b",
        re.I,
    ),
}
# The subject of a general statement, with no article: "Expedience and right are ...",
# "Will is the child of desire", "Questions of ultimate ends are not ...".
_BARE_SUBJECT = re.compile(
    r"^(?:(?:But|And|Yet|Now|Thus|Hence|So|Therefore|Wherefore|For|Indeed),?\s+)?([A-Z][a-z-]+)\b"
)
_NOT_BARE = frozenset(
    """the a an this that these those it its he she they we i you our their his her my your some such there
    here in on at to for of by with from as if when while though although since because but and or nor so
    yet thus hence then now what which who whom whose where why how let no not all every each any both
    either neither one two many much more most few several what whatever whoever mr mrs dr sir another other
    certain had has have is are was were did do does should would could shall let ye thou you call give say
    see take make never always only however moreover nevertheless nonetheless still again besides accordingly
    consequently certainly indeed also then hence thus therefore wherefore finally firstly secondly lastly
    meanwhile instead otherwise perhaps surely clearly obviously undoubtedly naturally later afterwards
    soon today yesterday now here there without within besides except by of on from for under upon after
    before through against among beyond during despite across along around behind below beneath beside between
    near toward towards until unto into onto like unlike over to""".split()
)
_RARE = 1e-6
"""A word everyday English uses less often than this (wordfreq) is rare: a foreign, technical or
coined word."""
_EXPLAINS_A_WORD = re.compile(
    r"\b(?:is|are|was|were) (?:synonymous with|a form of|derived from|of the same origin|the same word)\b"
    r"|\b(?:comes?|came|derives?|derived|springs?) from\b|\b(?:originally )?(?:meant|means|signifies|signified)\b"
    r"|\betymolog\w*|\b(?:the )?(?:original|literal|primitive) (?:meaning|sense)\b",
    re.I,
)


def explains_a_word(flat: str, subject: str) -> bool:
    """A sentence explaining a rare or foreign word (its origin, its sense): "Recht, from which came
    right and righteous, is synonymous with law."; "La justice, in French, is the established term
    for judicature." It informs; it states nothing to dispute."""
    if _IN_A_LANGUAGE.search(flat):
        return True
    return english_frequency(subject.lower()) < _RARE and bool(_EXPLAINS_A_WORD.search(flat))


_IN_A_LANGUAGE = re.compile(
    r"^[^,;]{1,40},?\s+in (?:French|Latin|Greek|German|Hebrew|Italian|Spanish|Russian|Arabic|Sanskrit|Dutch)\b"
)


_STANCE = re.compile(
    r"\b(?:I|we) (?:(?:do|must|cannot|can|should|will|still|therefore|firmly|fully|earnestly|now|also)\s+)*"
    r"(?:believe|hold|maintain|contend|affirm|deny|reject|reprobate|account|consider|apprehend|dispute|conclude|"
    r"think|insist|submit|know|doubt|question|am (?:persuaded|convinced|satisfied|sure|certain)|are (?:persuaded|convinced))\b"
    r"|\b(?:appears|seems) to (?:me|us)\b"
)
"""The author saying in so many words what they hold ("I believe that ...", "I reprobate ...")."""
_POINTER_INSIDE = re.compile(
    r"\b(?:this|these|those)\s+(?!is\b|are\b|was\b|were\b|will\b|would\b|may\b|must\b|can\b|has\b|have\b)[a-z]+"
    r"|\bthe (?:former|latter|above|foregoing)\b|\bsuch an? [a-z]+ as this\b|\bthis last\b",
    re.I,
)
_ASIDE = re.compile(
    r",\s*(?:I|we) (?:feel (?:certain|sure|confident)|dare ?say|suppose|fancy|imagine|believe|think|am sure|"
    r"trust|hope|should think|must say|confess|own)\s*[,;—]"
    r"|^(?:(?:But|And|Yet),?\s+)?There (?:are|is|may be) (?:possibly|perhaps|probably|doubtless|no doubt) some\b"
)
"""The author's hedge set between commas (", I feel certain,") or on some few ("There are possibly some
..."): the sentence is an aside, seldom the point."""
_ADMITTED = re.compile(
    r"^(?:(?:But|And|Now),?\s+)?(?:To a certain extent,?\s+|In some (?:degree|measure),?\s+)?it is "
    r"(?:admitted|granted|conceded|allowed|acknowledged|agreed)\b",
    re.I,
)
"""A point the author grants ("To a certain extent it is admitted, that ..."), the set-up for what follows."""
_COUNTED = re.compile(
    r"^(?:(?:But|And|Yet|Now),?\s+)?[A-Z][a-z-]+(?:\s+(?:and|or)\s+[a-z-]+)?\s+(?:is|are)\s+(?:the\s+)?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|many|several)\s"
)
"""A bare subject counted ("Vulgarity and stupidity are two vivid facts"): says how many, sets no rule."""
_VALUE_WORD = (
    _CUES["evaluative"].pattern.removesuffix(")\\b")
    + r"|wonderful|admirable|beautiful|ugly|excellent|fine|worse|better|of (?:great |real |some |no |little )?value)\b"
)
_VALUE_BECAUSE = re.compile(
    _VALUE_WORD + r",?\s+(?:(?:simply|only|merely|precisely|just|chiefly|partly)\s+)?because\b", re.I
)
"""A verdict and its ground ("wonderful because it brought an ideal"): "because" gives a reason, no cause."""
_VERDICT_OPENING = re.compile(
    r"^(?:(?:But|And|Yet|Now|So),?\s+)?It (?:is|was|would be|were) (?:(?:both|quite|very|most|equally|therefore|thus|"
    r"also|not|surely|clearly|simply)\s+)*" + _VALUE_WORD + r"(?:\s+(?:and|or)\s+\w+)?\s+(?:to|that)\b",
    re.I,
)
"""A sentence opened by a verdict ("It is immoral to ..."): a judgement, whatever causes its clauses name."""
_AT_TIMES = re.compile(r"\b(?:often|sometimes|frequently|occasionally|at times|now and then)\b", re.I)
_DEPICTED = re.compile(
    r"\b(?:is|are|was|were) (?:\w+ )?(?:represented|described|depicted|portrayed|painted|shown) as\b"
)
"""How a story or picture shows someone ("is represented as a good citizen"): a description, no conclusion."""
_HEDGED = re.compile(r"\b(?:not|cannot|can[’']t|never) (?:always|all|every|invariably|universally)\b", re.I)
# A sentence opening with a preposition or participle, whose only verbs are in relative clauses,
# is a fragment of the sentence before ("Without law, without government, without any other mode
# of power than what is founded on ...", "Held together by ..., which, is ...").
_LIST_FRAGMENT = re.compile(
    r"^(?:Without|With|Besides|Except|By|In|Of|On|From|For|Under|Upon|After|Before|Through|Against|Among|Beyond|"
    r"Being|Having|Held|[A-Z][a-z]+ed|[A-Z][a-z]+ing)\b"
)
_ITEM_LEAD = re.compile(
    r"^(?:(?:First|Second|Third|Fourth|Fifth|Sixth|Next|Last|Then|Also|And)(?:ly)?|Finally|In the (?:first|second|third|"
    r"next|last) place),\s+"
)
_RELATIVE_CLAUSE = re.compile(
    r"\b(?:which|who|whom|whose|what|that|where|when|than|before|after|until|unless|if|because|since|while|as)\b,?[^,;:]*"
)
_MAIN_VERB = re.compile(
    r"\b(?:is|are|am|was|were|has|have|had|does|do|did|doth|hath|can|cannot|must|should|ought|will|shall|may|might|"
    r"would|could)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself)\b")


_DETERMINER_BEFORE = frozenset("the a an of these those this that its their his her our my your some any all".split())
_PARTICIPLE_ONLY = re.compile(r"^(?:The|A|An)\s+\w+(?:\s+\w+)?\s+(?:always\s+|never\s+|still\s+|often\s+)?\w+ing\b")


def has_verb(clause: str) -> bool:
    """Some word of the clause can be its verb: an auxiliary or common verb, or a word in -ed or
    -s that does not follow a determiner (so "robs", "caused", not "these inadequacies"). Without
    a tagger this is a guard against quoting a bare phrase as a claim ("Remarkable, certainly, but
    not surprising."; "The parliament always following the strongest side."), no more."""
    if _MAIN_VERB.search(clause) or _PRESENT.search(clause) or _PAST.search(clause):
        return True
    if _PARTICIPLE_ONLY.match(clause):
        return False
    words = re.findall(r"[\w’'-]+", clause)
    return any(
        len(w) > 3
        and w.islower()
        and w.endswith(("ed", "s"))
        and not w.endswith("ss")
        and (i == 0 or words[i - 1].lower() not in _DETERMINER_BEFORE and not _NUMBER.match(words[i - 1]))
        for i, w in enumerate(words)
    )


_NUMBER = re.compile(
    r"^(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundred|"
    r"thousand|several|many|few|both)(?:-\w+)?$",
    re.I,
)


_STRICT_PRESENT = re.compile(
    r"\b(?:is|are|am|isn[’']t|aren[’']t|has|have|does|do|doth|hath|can|cannot|can[’']t|must|ought|will|shall|may|"
    r"becomes|remains|seems|appears|makes|means|depends|consists|lies|requires|belongs|gives|takes|holds)\b|\b\w+eth\b"
)
"""A verb in the present (modals like "would" and "should" left out: they are as often the past of
"will" and "shall" in a story: "there was no intention it ever should be")."""
_TOLD_IN_THE_PAST = re.compile(
    r"\b(?:was|were|had|did|went|came|took|fought|began|rose|fell|ran|saw|won|became|knew|got|drove|fled|sat|spoke|chose)\b"
    # a participle after "be" or "have" is no past ("should not be told to the public", "has made")
    r"|(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?<!\bis )(?<!\bare )(?<!\bhas )(?<!\bhave )"
    r"\b(?:gave|made|said|told|wrote|sent|stood|brought|led|held|left|met|lost|found|kept|struck)\b"
    r"|(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bbe )(?<!\bbeen )(?<!\bbeing )(?<!\bis )(?<!\bare )(?<!\bof )"
    r"(?<!\bhas )(?<!\bhave )(?<!-)\b[a-z]{3,}ed\b"
)
_HYPOTHETICAL = re.compile(
    r"(?<!\bas he )(?<!\bas she )(?<!\bas they )(?<!\bas we )(?<!\bas I )\b(?:would|could|might)\b"
)
"""What would or could be ("How gladly would these millions set to work!"): no story told ("as
many as he could lay hands on" is one)."""
_METHOD = re.compile(
    r"^(?:(?:But|And|Now|So),?\s+)?It (?:seems|is|will be|would be) (?:to me |to us )?(?:sufficient|enough) to "
    r"(?:take|cite|mention|consider|examine|recall|quote|name|instance|point to|look at)\b"
)
"""The author choosing the cases to discuss ("It seems to me sufficient to take all those emperors ..."):
how the argument proceeds, not what it claims."""
_DEED = re.compile(
    r"\b(?:went|came|took|sent|fled|marched|fought|met|ran|struck|drove|killed|burned|burnt|seized|sold|bought|"
    r"asked|replied|returned|arrived|entered|escaped|attacked|besieged|captured|crossed|landed|sailed)\b"
)
"""Someone doing something in the past ("The duke came to the city with his troops"): a story."""
_CONTENT_OF_A_PAST_VIEW = re.compile(
    r"^(?:(?:And|But|Now),?\s+)?(?:It|This|That|Theirs|His|Hers|The (?:idea|principle|aim|plan|view|belief|hope|"
    r"demand|conclusion|programme|program|resolution|watchword|motto)(?: of [\w ]{1,40}?)?) was,? that\b"
)
"""What a view or resolution of the past said ("It was that the unions would have to take hold of
production"): a report of what others held, not a claim the author argues for."""
_ACTOR = re.compile(
    r"^(?:(?:For|And|But|Then|So|Now|Thus),?\s+)?(?:he|she|they|we|I)\s+(?:\w+\s+)?(?:had|was|were|did|went|came|"
    r"took|gave|made|sent|fled|\w+ed)\b",
    re.I,
)
"""A person doing something, as the subject of a sentence in the past: a story ("For he had killed
...", not "We not uncommonly hear the doctrine inveighed against")."""
_FUTURE_IN_THE_PAST = re.compile(
    r"\b(?:(?:was|were|had been)\s+(?:\w+\s+)?(?:known|said|expected|feared|hoped|thought|believed|decided|agreed|"
    r"understood|suggested|announced|rumoured|reported)|knew|expected|feared|hoped|promised|decided|agreed|announced)\s+"
    r"that\b[^.;]*?\b(?:would|could|might)\b"
)
"""What was known or feared then would happen ("It was known that the Board would look to Carnegie"):
a story's future, told in the past, not a hypothetical."""
_CONJECTURED_PAST = re.compile(
    r"\b(?:must|may|might|could|would|cannot|can[’']t|(?:was|were) (?:supposed|said|thought|believed|reported|alleged|known) to)"
    r"\s+(?:not\s+|never\s+|surely\s+|well\s+)?have\s+"
    r"(?:\w+ly\s+)?(?:been|had|done|gone|seen|said|known|felt|held|beheld|[a-z]{2,}(?:ed|en|wn|ght|ung|ade|old|ost|ound))\b"
)
"""What must or may have happened ("must have beheld a new dawn", "may have felt", "was supposed to have
stolen"): a guess or a rumour about a
past, told like a story; read as the past it tells ("had beheld")."""
_PLUPERFECT = re.compile(
    r"\bhad\s+(?:(?:first|then|still|already|long|never|not|just|once|now)\s+)*(?:to\s+[a-z]+|been|[a-z]{2,}(?:ed|en|wn|ght))\b"
)
"""A pluperfect ("had first to heal", "had been driven", "had fought"): a story's earlier time."""
_PARTICIPIAL_LIFE = re.compile(
    r"^(?:(?:Forced|Obliged|Compelled|Driven|Born|Brought up|Raised|Educated|Trained|Sent|Left|Deprived|Orphaned|"
    r"Exiled|Banished|Arrested|Released|Freed|Unable|Having)\b)[^;:]{0,120},\s+(?:he|she|they|[A-Z][a-z]+)\b"
)
"""A life told by its circumstances ("Forced to earn his living, Proudhon could not continue his
studies"; "Having failed, she left"): biography, whatever the modal in its main clause."""
_CHANGE_REPORTED = re.compile(
    r"\b(?:increased|decreased|grew|rose|fell|declined|doubled|trebled|tripled|multiplied|diminished|dwindled|"
    r"shrank|expanded)\b"
)
"""A change reported in the past ("wealth increased", "the numbers rose"): a fact to look up."""
_JUDGED_THEN = re.compile(r"\b(?:was|were)\s+(?:\w+\s+)?(?:more|less|better|worse|\w+er)\b[^.;:]{0,40}?\bthan\b")
"""A past comparison that is a judgement ("the party was far more democratic than its critics say"),
not a quantity reported ("wealth increased faster than ...")."""
"""A verb in the past: an irregular past, or a word in -ed that no article or auxiliary makes an
adjective or a present perfect ("the governed", "is required", "has proved")."""
_COUNT_SUBJECT = re.compile(
    r"^(?:(?:But|And|Yet|Now|So|Then),?\s+)?(?:\d[\d,.]*\s|(?:hundreds|thousands|millions|dozens|scores) of\b|"
    r"(?:" + _COUNT + r") or (?:" + _COUNT + r")\b)",
    re.I,
)
"""A sentence whose subject is a count ("Hundreds of blast-furnaces stand idle", "Three or four
passers-by asked ..."): a figure or a scene reported, to be looked up or imagined, not disputed.
("One cannot serve two masters", "Two things are needed": no count, a claim.)"""
_CITES = re.compile(
    r"\b(?:cries|cried|saith|says|said|writes|wrote|declares|declared|speaks|spake)(?: out)?,\s+[“\"‘]?[A-Z]"
    r"|\b(?:as it is written|in the words of|the (?:scripture|text) says)\b"
)
"""A sentence quoting someone's words as an authority ("Cain ... cries out, Every one that findeth me
shall slay me"): a proof-text; the claim is what the author makes of it, not the quotation."""


_RHETORICAL = re.compile(
    r"^(?:(?:But|And|Yet|Now|Then|For|Or|So),?\s+)?(?:By what (?:right|title|law|authority)|With what (?:right|justice|face)|"
    r"What right|Who (?:can|could|would|will|shall|dares?|ever)|How (?:can|could|should|dare)|Is (?:it|this|that|there) not|"
    r"Are (?:they|we|these|there) not|Was (?:it|this|that) not|Can (?:any|anyone|anybody|one|we|it|there)|Could (?:any|anyone|"
    r"we|it)|Have we (?:ever|not)|Has (?:any|anyone|there ever)|Does (?:any|anyone|it not)|Did (?:any|anyone|it not)|"
    r"Why should|Why (?:then|not)|Where (?:is|are|was) (?:the|there)|What (?:is|are) (?:this|these|such) but|"
    r"Is (?:it|this) (?:possible|just|right|reasonable|fair)|Must (?:we|it|they) not|Ought (?:we|they|not))\b"
)
MIN_RHETORICAL_WORDS = 6
"""A rhetorical question that carries a claim is a full clause, not a bare "Why not?"."""


def rhetorical(flat: str) -> bool:
    """A question the author asks to make a point: a question mark, and an opening that expects
    no answer but the author's ("By what right ...", "Have we ever ...", "Is it not ...")."""
    return (
        flat.rstrip("”’\"')").endswith("?")
        and len(flat.split()) >= MIN_RHETORICAL_WORDS
        and bool(_RHETORICAL.match(flat))
    )


@dataclass(frozen=True)
class Reading:
    """How a sentence reads as a claim."""

    kind: str
    """One of CLAIM_KINDS or STATEMENT, or "" when it is not a claim (see `not_a_claim`)."""
    strength: float
    """0 for no claim; otherwise how plainly it states something to dispute, up to 1."""
    aphorism: bool = False
    not_a_claim: str = ""
    """Why it is not a claim: "heading", "quotation", "self-reference", "narrative" (a story or a
    report of what happened), "figure" (a count reported), "citation" (words quoted as authority),
    "fragment", "word"; else ""."""


_MEASURE = re.compile(
    r"\b(?:amount|distance|number|total|sum|length|breadth|width|extent|area|population|mean|average)\b[^.;]{0,50}?"
    r"\b(?:is|are|was|were|will be|would be|amounts? to|comes? to|exceeds?|"
    r"(?:does|do|did|will|would|can|could|may)(?: not)?(?: probably)? exceed)\s+(?:about |nearly |only |upwards of |at least |"
    r"(?:more|less|fewer) than |not (?:more|less) than )?(?:\d|(?:" + _COUNT + r"|a hundred|a thousand|a million)\b)",
    re.I,
)
"""A sentence reporting a figure ("the amount will be eight hundred and sixty-eight miles"): a
reader can only look it up, not argue with it."""


_SUPPOSING = re.compile(r"^(?:(?:But|And|Now|Then),?\s+)?(?:Grant|Suppose|Admit|Imagine|Assume)\b")
"""A premise granted for argument's sake ("Grant it; whether true or false, it matters not"): a step
of the argument, not a claim of its own."""
_ADDRESS = re.compile(r"^(?:(?:O|Oh|Ah|And|But|Yet),?\s+)?(?:Your|Thy|Thine|Thou|Thee|Ye)\b")
"""Words addressed to someone ("Your large eyes must have beheld ...", "Thou hast ..."): an apostrophe,
spoken to a person, not a claim put to the reader."""
_REPORTED_BELIEF = re.compile(
    r"^(?:(?:But|And|Yet|Now|So),?\s+)?(?:[A-Z][\w.’'-]+\s+){0,3}[A-Z][\w’'-]+,?(?:\s+[^,;]{1,50},)?\s+(?:(?:also|too|still|"
    r"even|evidently|apparently|clearly)\s+)?(?:seems? to (?:think|believe|hold|suppose|imagine)|thinks|believes|supposes|"
    r"imagines|holds that|maintains that|teaches that|pretends that|fancies)\b"
)
"""Someone else's belief reported ("Pothier seems to think that property exists by divine right",
"Sainte Beuve, like many others, seems to think so"): their view, asked about as theirs, never as
the author's claim."""


_RECEIVED_OPINION = re.compile(
    r"\b(?:has|have) come to be (?:considered|regarded|seen|thought|looked upon|accepted)\b"
    r"|\b(?:is|are|was|were) (?:generally|commonly|often|usually|widely|universally|popularly) (?:considered|regarded|held|"
    r"believed|thought|supposed|accepted)\b",
    re.I,
)
"""A received opinion the author sets up ("Experience has come to be considered the best school of life";
"Property is commonly held to be a natural right"): what people think, which the passage goes on to
test, not the author's claim."""
_REPORTED_SAYING = re.compile(
    r"^(?:(?:But|And|Yet|Now|So),?\s+)?(?!(?:I|We|It)\b)(?:[A-Z][\w.’'-]*)(?:,?\s+[\w.’'-]+){0,6}?,?\s+(?:once\s+|then\s+|also\s+)?"
    r"(?:said|declared|wrote|argued|claimed|maintained|insisted|announced|proclaimed|replied|answered|told (?:us|them|the \w+)"
    r"|(?:has |have |had )?left (?:it )?on record)"
    r",?\s+that\b"
)
"""What someone said ("The minister said that we must make war on plunder"): their words, reported, and
no generalisation of the author's, whatever "must" it carries."""


def tells_the_past(flat: str) -> bool:
    """The sentence speaks of the past only ("Mistakes were thus inevitable", "the renegade had betrayed
    them"), not of how things are: a verdict on events told, in a story."""
    tensed = _CONJECTURED_PAST.sub(" had happened ", flat)
    return bool(_TOLD_IN_THE_PAST.search(tensed)) and not _STRICT_PRESENT.search(tensed)


def not_a_claim(flat: str) -> str:
    """Why a sentence of the passage can never be quoted as anyone's claim ("" when it can):
    a heading (alone or run into the text), an introduction to a quotation, talk about the text,
    a command to someone ("Give us proof of your sincerity ...")."""
    for test, why in _NOT_A_CLAIM:
        if test(flat):
            return why
    return ""


_ABOUT_THE_BOOK = re.compile(
    r"\b(?:this|the present|my) (?:little |short |present |humble |slight )?(?:treatise|volume|book|pamphlet|tract|"
    r"edition|translation|manuscripts?)\b"
    r"|\b(?:what|that which|all that) (?:I|we) (?:have )?(?:wrote|written)\b"
    r"|\b(?:I|we) (?:\w+ ){0,3}(?:ought to|must|should|will|shall|have to|need to|mean to|intend to|propose to) (?:first |now |here |briefly )?"
    r"(?:explain (?:myself|ourselves|what)|define|inquire|examine|investigate|consider|show|prove|discuss|treat of|speak of)\b"
    r"|\bbefore (?:I|we) (?:proceed|go (?:on|further))\b|\bit (?:will|would|shall) be (?:possible|necessary|time|convenient|"
    r"enough) to (?:examine|consider|discuss|return|treat|see|speak|deal)\b"
    r"|\b(?:I|we) (?:cannot|can not|must not|will not|shall not) (?:omit|pass over|pass by|leave out|forbear|refrain from)\b"
    r"|\bsufficient (?:for|as) an? (?:example|instance|illustration)\b|\b(?:offered|offer|presented|present|given) to "
    r"the public\b|\bmy (?:reader|readers)\b|\b(?:space|room|time|limits?|scope) (?:will|does|do|would|did) not (?:admit|allow|permit)\b",
    re.I,
)
"""The author speaking of their own book ("This little treatise is part of a longer work"; "the least
unworthy of being offered to the public"; "It is never my intention to surprise my reader"): a remark
about the text, not a thesis of it."""
_BIOGRAPHY = re.compile(
    r"^(?!(?:The|A|An|This|That|These|Those|Our|His|Her|Their|Its|Every|No|Each|All|Such)\b)"
    r"[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]*){1,3},?\s+(?:is|was|has been|had been|became|remains)\s+"
    r"(?:(?:a|an|the|now|then|also|formerly|currently|emeritus|senior|associate|assistant|visiting)\s+)*"
    r"(?:[\w-]+\s+){0,2}?(?:professor|lecturer|editor|author|translator|director|member|fellow|president|founder|chairman|"
    r"secretary|graduate|teacher|correspondent|contributor|scholar|historian|economist|journalist)\b"
)
"""A line of someone's post ("Thomas DiLorenzo is professor of economics at Loyola College"): a fact to
look up, as front or back matter gives it, not a claim to argue."""
_LIFE_EVENT = re.compile(
    r"^(?:(?:But|And|Then|So),?\s+)?(?!(?:The|A|An|This|That|It)\b)[A-Z][\w.’'-]+"
    r"(?:(?:\s+[A-Z][\w.’'-]*){1,3},?\s+(?:was born|died|married|graduated)\b"
    # one name alone ("Rome died of its own greatness" is no life) needs the event's time
    r"|,?\s+(?:was born|died|married|graduated)\s+(?:(?:in|on|at)\s+(?:\d|[A-Z])|(?:\w+\s+){1,2}(?:years?|months?|days?|weeks?)\b))"
)
"""An event of someone's life ("Frédéric Bastiat died on Christmas Eve, 1850, and did not live to observe
..."; "But Alexander died five years after ..."): a story told, whatever "would" follows in it."""
_SOURCE = re.compile(
    r"\b(?:is|are|was|were|be)\s+(?:first\s+|also\s+|already\s+)?(?:found|met with|stated|expressed|formulated|"
    r"anticipated|foreshadowed)\b(?:\s+first)?,?[^.;]{0,40}?\bin\s+(?:the\s+(?:works?|writings?)\s+of\s+)?[A-Z][a-z]"
    r"|\bfrom (?:which|whom) [A-Z][\w’'-]+ (?:\w+ly )?(?:borrowed|took|derived|drew)\b"
    r"|\b(?:is|are)\b[^.;]{0,20}?\bavailable in\s+(?:(?:a|an|the)\s+)?(?:[A-Z]|(?:new\s+|English\s+)?(?:edition|translation|paperback)\b)"
)
"""Where an idea comes from, among writers ("It seems to be found first, rather vaguely, in Richard
Hooker's Ecclesiastical Polity, from which Locke largely borrowed"): a history of ideas to look up."""
_COPULA = re.compile(r"\b(?:is|are|be|was|were)\b")
_RELATIVE = re.compile(r"\b(?:that|who|whom|whose|which)\b", re.I)
_COPULA_END = re.compile(
    r"\b(?:is|are|be|was|were)\s+(?:not\s+|never\s+|no\s+longer\s+|always\s+|still\s+)?(?:the\s+|a\s+|an\s+)?"
    r"(?P<word>[a-z]{3,})\s*(?:[.;:,!…]|$)"
)


def analytic(flat: str) -> bool:
    """A sentence true by its words alone: its predicate repeats its subject's noun ("But the whole
    minus a part cannot be the whole"; "Law is law"). Nothing in it to counter; it is a step, not a claim.
    A subject with a clause of its own ("A right that cannot be enforced is not a right") makes a
    point, and is no tautology. One pass over the sentence."""
    first = _COPULA.search(flat)
    if first is None:
        return False
    subject = flat[: first.start()]
    if _RELATIVE.search(subject):
        return False
    words = set(re.findall(r"[a-z]+", subject.lower()))
    for match in _COPULA_END.finditer(flat):
        word = match.group("word")
        if word in _NOT_BARE or word in ("same", "case", "one", "thing"):
            continue
        if word in words:
            return True
    return False


def is_heading(flat: str) -> bool:
    """A heading, or a sentence with a heading run into it."""
    letters = _LETTERS.findall(flat)
    if not letters:
        return True
    capitals = sum(c.isupper() for c in letters)
    if capitals > 0.5 * len(letters) and len(letters) > 3:
        return True
    if _HEADING_WORD.match(flat) or _CAPS_RUN.match(flat) or _INTERROGATIVE_START.match(flat):
        return True
    label = _LABEL.match(flat)  # "First Published: Working People, December 1976."
    if label and not re.search(r"\b(?:is|are|was|were|has|have|had|be)\b", label.group(1)):
        return True
    return bool(_RUN_IN_TITLE.search(flat[1:]))


_VALEDICTION = re.compile(
    r"^\W*(?:(?:very|most|ever|yours)\s+)?(?:truly|sincerely|faithfully|respectfully|gratefully|cordially|affectionately)"
    r"(?:\s+and\s+\w+ly)?,?\s+yours\b|^\W*yours,?\s+(?:very\s+)?(?:truly|sincerely|faithfully|respectfully)\b",
    re.I,
)
"""A letter's close ("Very truly and gratefully yours, FREDERICK DOUGLASS ..."): a signature, no claim."""
_NOT_A_CLAIM: tuple[tuple[Callable[[str], object], str], ...] = (
    (is_heading, "heading"),
    (_IMPERATIVE.match, "imperative"),
    (_ADDRESS.match, "address"),
    (_SUPPOSING.match, "imperative"),
    (_REPORTED_BELIEF.match, "reported"),
    (_REPORTED_SAYING.match, "reported"),
    (_RECEIVED_OPINION.search, "reported"),
    (_QUOTATION_INTRO.search, "quotation"),
    (_SELF_REFERENCE.search, "self-reference"),
    (_MEASURE.search, "figure"),
    (_ABOUT_THE_BOOK.search, "self-reference"),
    (_BIOGRAPHY.match, "biography"),
    (_VALEDICTION.match, "address"),
    (_LIFE_EVENT.match, "narrative"),
    (_SOURCE.search, "attribution"),
    (analytic, "analytic"),
)
"""Each test, in order, and what a sentence that meets it is instead of a claim (see not_a_claim)."""


def read_claim(
    flat: str, is_name: Callable[[str], bool] = lambda word: False, names: frozenset[str] = frozenset()
) -> Reading:
    """What kind of claim the sentence states, and how plainly; `is_name(word)`: the text only
    ever writes the word with a capital (a person, place, people), which tells a name in the
    middle of a sentence; `names`: the names the passage uses, lower-cased (people, camps,
    places), which tells one at its start ("Expedience" opens a sentence, and is no name)."""
    if rhetorical(flat):
        return Reading(RHETORICAL, 0.6)
    reason = not_a_claim(flat)
    if reason:
        return Reading("", 0.0, not_a_claim=reason)
    listed = _ITEM_LEAD.sub("", flat)  # "Fourthly, by acquiring so much power ...": an item of a list
    listed = listed[:1].upper() + listed[1:]
    main = _RELATIVE_CLAUSE.sub(" ", listed)
    after_opening = main.split(" ", 1)[-1]  # "Held together by ...": the opening participle is no main verb
    if (
        _LIST_FRAGMENT.match(listed) and not _MAIN_VERB.search(main) and not _TOLD_IN_THE_PAST.search(after_opening)
    ) or not has_verb(flat):
        return Reading("", 0.0, not_a_claim="fragment")  # "Without law, without government, ..."
    bare = _BARE_SUBJECT.match(flat)
    if (bare and bare.group(1).lower() not in names and explains_a_word(flat, bare.group(1))) or (
        _IN_A_LANGUAGE.search(flat)
    ):
        return Reading("", 0.0, not_a_claim="word")  # "Recht ... is synonymous with law": a word explained
    if _METHOD.search(flat):
        return Reading(
            "", 0.0, not_a_claim="self-reference"
        )  # "It seems to me sufficient to take all those emperors ..."
    if _CONTENT_OF_A_PAST_VIEW.match(flat):
        return Reading(
            "", 0.0, not_a_claim="narrative"
        )  # "It was that the labour unions would have to ...": a view reported
    if _COUNT_SUBJECT.match(flat):
        return Reading("", 0.0, not_a_claim="figure")
    if _CITES.search(flat):
        return Reading("", 0.0, not_a_claim="citation")
    hedged = _HEDGED.sub(" ", flat)  # "cannot always" generalises nothing
    cues = [kind for kind in CLAIM_KINDS if _CUES[kind].search(hedged if kind == "general" else flat)]
    present = bool(_PRESENT.search(flat)) or not _PAST.search(flat)
    words = re.findall(r"[^\W\d_][\w’'-]*", flat)
    named = any(w.lower() in names for w in words) or any(is_name(w) for w in words[1:] if w[:1].isupper())
    generic = bool(
        bare
        and bare.group(1).lower() not in _NOT_BARE
        and bare.group(1).lower() not in names
        and not is_name(bare.group(1))  # "God, who hath given the world to men ...": one being, no class
        and not named  # "Foreign countries send Paris corn and meat": a fact about a place
        and not (bare.group(1).endswith("ly") and flat[bare.end() : bare.end() + 1] == ",")  # "Originally, ..."
    )
    tensed = _CONJECTURED_PAST.sub(" had happened ", flat)  # "must have beheld" tells the past, as "had beheld" does
    if _PARTICIPIAL_LIFE.match(flat) and not _STRICT_PRESENT.search(tensed) and not {"causal", "normative"} & set(cues):
        return Reading("", 0.0, not_a_claim="narrative")  # "Forced to earn his living, X could not continue ..."
    if (
        _TOLD_IN_THE_PAST.search(tensed)
        and not _STRICT_PRESENT.search(tensed)
        and not _HYPOTHETICAL.search(_FUTURE_IN_THE_PAST.sub(" ", tensed))
    ):
        # Told in the past: what happened, not a rule ("Whatever triumphs it obtained, it had to share
        # ..."), a comparison of then ("The wealth of the bourgeoisie increased faster than ...") or a
        # duty ("there was no intention it ever should be"). A cause or a verdict on it stays a claim.
        if _CHANGE_REPORTED.search(flat) and not {"causal", "evaluative"} & set(cues):
            return Reading("", 0.0, not_a_claim="narrative")  # "The wealth of the bourgeoisie increased faster ..."
        cues = [
            kind
            for kind in cues
            if kind in ("causal", "evaluative", "definition") or kind == "comparative" and _JUDGED_THEN.search(flat)
        ]
        generic = False
        if not cues and (
            named
            or _DATE_OR_FIGURE.search(flat)
            or _ACTOR.match(tensed)
            or _DEED.search(flat)
            or _PLUPERFECT.search(tensed)
        ):
            return Reading("", 0.0, not_a_claim="narrative")  # "For he had killed as many of the lords as he could ..."
    if _COUNTED.search(flat) or _AT_TIMES.search(flat):
        # "Vulgarity and stupidity are two very vivid facts": a count of things; "Shallow speakers often talk
        # of ...": what happens at times. Neither sets a rule a counterexample could break.
        generic = False
        if "general" in cues:
            cues.remove("general")
    if "causal" in cues and (_VERDICT_OPENING.match(flat) or not _CUES["causal"].search(_VALUE_BECAUSE.sub(" ", flat))):
        # "It is immoral to use X to relieve the evils that result from X", "wonderful because it brought an
        # ideal": a verdict and the grounds for it, asked whether it is right, not whether the cause is real
        cues.remove("causal")
        if "evaluative" not in cues:
            cues.append("evaluative")
    if _DEPICTED.search(flat) and "conclusion" in cues:
        cues.remove("conclusion")  # "And so the young man is represented as a good citizen": a description
    if named and "general" in cues and not generic:
        cues.remove("general")  # "so uncertain is the fate of war ... that Henry was taken": one case, not a rule
    if not present and not cues and _PAST.search(flat) and (named or _DATE_OR_FIGURE.search(flat)):
        return Reading("", 0.0, not_a_claim="narrative")
    if not present and _PAST.search(flat) and named and cues in (["evaluative"], ["comparative"]):
        return Reading("", 0.0, not_a_claim="narrative")  # a story told with an adjective in it
    strength = 0.35
    strength += sum(0.1 if kind == "evaluative" else 0.15 for kind in cues[:3])
    if generic:
        strength += 0.15
        if "general" not in cues:
            cues.append("general")
    if _POINTER_INSIDE.search(flat):
        strength -= 0.15  # "these two things", "this course of experience": a reader needs the sentence before
    if _ASIDE.search(flat) or _ADMITTED.search(flat):
        strength -= 0.2  # ", I feel certain," hedges an aside; "it is admitted that" grants a point to move past
    elif _STANCE.search(flat):
        strength += 0.2
    elif _FIRST_PERSON.search(flat) and not cues:
        strength -= 0.1  # the author's own doings, not a claim about the world
    aphorism = (
        len(flat) <= APHORISM_CHARS
        and present
        and not named
        and not _DATE_OR_FIGURE.search(flat)
        and not _FIRST_PERSON.search(flat)
        and (generic or "general" in cues or "normative" in cues or "comparative" in cues)
    )
    if aphorism:
        strength += 0.25
    kind = next((k for k in CLAIM_KINDS if k in cues), STATEMENT)
    return Reading(kind, round(min(strength, 1.0), 3), aphorism)
