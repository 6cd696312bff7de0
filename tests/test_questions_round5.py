"""Specifications for the questions of passages that argue nothing (a story, an address, a guess
about the past), that report another's view, or that are mostly someone else's words. Every
passage here is written for the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.questions.analysis.claims import read_claim
from bot.questions.generate import QuestionKind
from tests.test_questions import one_passage_post

ARGUMENT_FRAMES = ("Is this convincing", "Does this hold", "counterexample", "order of causes", "good grounds")


@pytest.mark.parametrize(
    ("sentence", "why"),
    [
        ("Your patient, steady hands must have known every tool in the shop.", "address"),
        ("Thou hast given thy strength to strangers.", "address"),
        ("The wound in her spirit had first to close.", "narrative"),
        ("She must have watched the barges leave the harbour at dawn.", "narrative"),
        ("Driven from the village, Marek could not finish his schooling.", "narrative"),
        ("Grant it; whether wise or foolish, the custom stands.", "imperative"),
        ("Suppose the guild were dissolved tomorrow.", "imperative"),
        ("Thornbury seems to think that rent exists by the law of nature.", "reported"),
        ("Old Hallam, like many of his friends, believes that the poor are idle by choice.", "reported"),
        ("It was feared that the magistrates of Brena would side with the mill owners.", "narrative"),
    ],
)
def test_sentences_that_argue_nothing_are_no_claims(sentence, why):
    assert read_claim(sentence, names=frozenset({"marek", "thornbury", "hallam", "brena"})).not_a_claim == why


@pytest.mark.parametrize(
    "sentence",
    [
        "Men must have bread before they can think of liberty.",
        "The council ought to have refused the loan.",
        "It is the business of government to keep the roads open.",
        "Rent is a tax levied by idleness upon labour.",
    ],
)
def test_claims_stay_claims(sentence):
    assert read_claim(sentence).kind


def test_a_position_stated_only_to_be_rejected_is_never_asked_about_as_the_authors(tmp_path: Path):
    questions = one_passage_post(
        tmp_path,
        "Every grazier may turn his cattle on the common pasture as often as he likes. "
        "But, no; every grazier may not do this, for the pasture would be bare within a season. "
        "Common land is held in trust for all who will come after us. "
        "Whoever takes more than his share takes from his neighbour's children.",
    )
    assert questions
    assert not any("turn his cattle on the common pasture as often" in q.text for q in questions)


def test_a_reported_belief_is_not_fact_checked_as_the_authors(tmp_path: Path):
    questions = one_passage_post(
        tmp_path,
        "Property in land is older than any charter of kings. "
        "Thornbury seems to think that rent exists by the law of nature. "
        "But rent is a tax levied by idleness upon labour, and no law of nature levies taxes.",
    )
    assert questions
    for q in questions:
        if "rent exists by the law of nature" in q.text:
            assert "Thornbury" in q.text and not any(frame in q.text for frame in ARGUMENT_FRAMES), q.text


LIFE = (
    "In 1871 Marta Kell left the mill town of Brena with her mother and two sisters. "
    "Her father had died in the strike of the previous winter. "
    "The family settled in a tenement by the docks, where Marta found work in a shirt factory. "
    "The foreman cut their wages twice in one year. "
    "Marta refused to sign the new contract, and she was dismissed. "
    "Instead of one master, she found a dozen of them, each meaner than the last. "
    "She joined the union of the garment workers the following spring."
)


def test_a_life_story_gets_a_story_question_and_no_argument_frame_on_its_events(tmp_path: Path):
    questions = one_passage_post(tmp_path, LIFE)
    assert any(q.kind == QuestionKind.STORY for q in questions), [q.text for q in questions]
    story = next(q for q in questions if q.kind == QuestionKind.STORY)
    quoted = story.slots.get("lesson") or story.slots["deed"]
    assert quoted in LIFE
    for q in questions:
        if q.kind in ("thesis", "assumption"):
            assert not any(frame in q.text for frame in ARGUMENT_FRAMES), q.text


QUOTED = (
    "Of the school he founded, the teacher writes to a friend:\n\n"
    "“The child is not a vessel to be filled but a fire to be kindled. We do not teach the child "
    "obedience; we teach the child to question, to test, to judge. The school that makes the child "
    "obedient makes the citizen a subject, and the subject a slave. Let the child learn from things, "
    "not from catechisms, and the child will learn to think for himself.”\n\n"
    "“Our schools,” he adds, “will be hated by every priest and every policeman, and rightly so.”"
)


def test_a_passage_mostly_in_anothers_words_never_puts_them_in_the_authors_mouth(tmp_path: Path):
    """With no speaker named, nothing of the quotation is asked about as anyone's: only questions
    that quote nothing."""
    questions = one_passage_post(tmp_path, QUOTED)
    assert questions
    assert all(q.kind == QuestionKind.REFLECTION and not q.slots.keys() - {"author", "passage"} for q in questions), [
        q.text for q in questions
    ]


def test_a_quotation_is_asked_about_as_its_speakers_words(tmp_path: Path):
    questions = one_passage_post(tmp_path, QUOTED.replace("the teacher writes to a friend", "writes Anselm Rovere"))
    assert questions
    assert any("Rovere" in q.text for q in questions), [q.text for q in questions]
    assert all("Writer" not in q.text or "quote" in q.text for q in questions), [q.text for q in questions]


def test_a_concept_used_once_in_passing_is_not_asked_about(tmp_path: Path):
    questions = one_passage_post(
        tmp_path,
        "The harvest was poor, and the tenants of the valley were hungry through the winter. "
        "Landlordism is a tax levied by idleness upon labour. "
        "Whoever works the field should eat its bread before any man who only owns it.",
    )
    assert questions
    assert not any(q.slots.get("concept") == "landlordism" for q in questions), [q.text for q in questions]


def test_a_name_is_never_asked_about_as_a_concept():
    from bot.questions.generate import _is_name

    plain = "The theory was stated first by Hobbes, and the State he imagined is a state of fear."
    assert _is_name("Hobbes", plain)
    assert not _is_name("State", plain), "an everyday word written with a capital is still a concept"
    assert not _is_name("sovereignty", plain)
