"""Which text a file becomes: readable slugs in any script, and two files never one text."""

from pathlib import Path

import pytest

from bot import search, texts
from bot.texts.names import MAX_SLUG_CHARS, slug_for

PROSE = " ".join(f"Sentence number {i} says something about the party and the state." for i in range(80))


def write(path: Path, first_line: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{first_line}\n\n{PROSE}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "stem, slug",
    [
        ("Война и мир", "voyna-i-mir"),
        ("日本語", "ri-ben-yu"),
        ("한국어", "han-gug-eo"),
        ("Ἀριστοτέλης", "aristotelis"),
        ("Über die Straße", "uber-die-strasse"),
        ("Same Name", "same-name"),
        ("same_name", "same-name"),
    ],
)
def test_a_slug_spells_any_script_in_ascii(stem, slug):
    assert slug_for(stem) == slug


def test_a_slug_is_short_enough_to_autocomplete_and_never_empty():
    assert len(slug_for("Кропоткин " * 60)) <= MAX_SLUG_CHARS
    assert slug_for("¿¡…!?") == "text"


def test_texts_named_in_other_scripts_are_two_texts(empty_store, tmp_path):
    """`one/日本語.txt` then `two/Война и мир.txt` used to print 'updated text', and the first was gone."""
    [first] = texts.ingest(empty_store, [write(tmp_path / "one" / "日本語.txt", "Kronstadt essay.")])
    [second] = texts.ingest(empty_store, [write(tmp_path / "two" / "Война и мир.txt", "Thermidor essay.")])
    assert (first.status, first.slug) == ("added", "ri-ben-yu")
    assert (second.status, second.slug) == ("added", "voyna-i-mir")
    assert {t.slug for t in empty_store.texts()} == {"ri-ben-yu", "voyna-i-mir"}
    assert search.search(empty_store, "Kronstadt").hits and search.search(empty_store, "Thermidor").hits


def test_files_whose_names_give_one_slug_stay_four_texts(empty_store, tmp_path):
    names = ["same name.txt", "same-name.txt", "same_name.md", "Same Name.txt"]
    for number, name in enumerate(names):
        write(tmp_path / name, f"Version {number} here.")
    outcomes = texts.ingest(empty_store, [tmp_path])
    assert [o.status for o in outcomes] == ["added"] * 4
    slugs = [o.slug for o in outcomes]
    assert len(set(slugs)) == 4 and all(s.startswith("same-name") for s in slugs)
    renamed = [o for o in outcomes if o.slug != "same-name"]
    assert len(renamed) == 3 and all(f"so this one is '{o.slug}'" in o.message for o in renamed)
    # Each text holds its own file's words.
    for outcome in outcomes:
        text = texts.resolve_text(empty_store, outcome.slug)
        number = names.index(outcome.path.name)
        assert texts.passage(empty_store, text, 1).body.startswith(f"Version {number} here.")


def test_ingesting_again_finds_each_file_its_own_text(empty_store, tmp_path):
    for number, name in enumerate(["same name.txt", "same-name.txt", "Same Name.txt"]):
        write(tmp_path / name, f"Version {number} here.")
    first = {o.path.name: o.slug for o in texts.ingest(empty_store, [tmp_path])}
    write(tmp_path / "same-name.txt", "Version 1 changed.")
    again = {o.path.name: (o.status, o.slug) for o in texts.ingest(empty_store, [tmp_path])}
    assert again == {
        "Same Name.txt": ("unchanged", first["Same Name.txt"]),
        "same name.txt": ("unchanged", first["same name.txt"]),
        "same-name.txt": ("updated", first["same-name.txt"]),
    }
    assert len(empty_store.texts()) == 3


def test_a_file_of_the_same_name_elsewhere_does_not_replace_a_text(empty_store, tmp_path):
    texts.ingest(empty_store, [write(tmp_path / "one" / "essay.txt", "Kronstadt first.")])
    [other] = texts.ingest(empty_store, [write(tmp_path / "two" / "essay.txt", "Thermidor second.")])
    assert (other.status, other.slug) == ("added", "essay-2")
    assert search.search(empty_store, "Kronstadt").hits and search.search(empty_store, "Thermidor").hits


def test_replace_makes_another_file_the_new_version_of_the_text_its_name_gives(empty_store, tmp_path):
    texts.ingest(empty_store, [write(tmp_path / "one" / "essay.txt", "Kronstadt first.")])
    [outcome] = texts.ingest(empty_store, [write(tmp_path / "two" / "essay.txt", "Thermidor second.")], replace=True)
    assert (outcome.status, outcome.slug) == ("updated", "essay")
    assert [t.slug for t in empty_store.texts()] == ["essay"]
    assert not search.search(empty_store, "Kronstadt").hits
    # From now on the new file is the text's source: changing it updates the text.
    write(tmp_path / "two" / "essay.txt", "Thermidor third.")
    assert texts.ingest(empty_store, [tmp_path / "two" / "essay.txt"])[0].status == "updated"


def test_replace_puts_a_file_that_became_name_2_in_place_of_the_text_of_its_name(empty_store, tmp_path):
    texts.ingest(empty_store, [write(tmp_path / "one" / "essay.txt", "Kronstadt first.")])
    [clash] = texts.ingest(empty_store, [write(tmp_path / "two" / "essay.txt", "Thermidor second.")])
    assert clash.slug == "essay-2"
    [outcome] = texts.ingest(empty_store, [tmp_path / "two" / "essay.txt"], replace=True)
    assert (outcome.status, outcome.slug) == ("updated", "essay")
    essay = texts.resolve_text(empty_store, "essay")  # the slug, though essay-2 has the same title
    assert essay.slug == "essay" and texts.passage(empty_store, essay, 1).body.startswith("Thermidor second.")


def test_the_same_text_from_a_moved_folder_is_not_a_new_text(empty_store, tmp_path):
    texts.ingest(empty_store, [write(tmp_path / "old" / "essay.txt", "Kronstadt first.")])
    (tmp_path / "old").rename(tmp_path / "new")
    [moved] = texts.ingest(empty_store, [tmp_path / "new"])
    assert (moved.status, moved.slug) == ("unchanged", "essay")
    write(tmp_path / "new" / "essay.txt", "Kronstadt edited.")
    [edited] = texts.ingest(empty_store, [tmp_path / "new"])
    assert (edited.status, edited.slug) == ("updated", "essay")
    assert len(empty_store.texts()) == 1


def test_a_text_stored_with_a_relative_path_is_still_its_files(empty_store, tmp_path, monkeypatch):
    """Databases from before kept the path as typed (`corpus/x.txt`, from the folder of `run`)."""
    monkeypatch.chdir(tmp_path)
    texts.ingest(empty_store, [write(tmp_path / "corpus" / "essay.txt", "Kronstadt first.")])
    empty_store.query("UPDATE texts SET path = 'corpus/essay.txt'")
    write(tmp_path / "corpus" / "essay.txt", "Kronstadt edited.")
    [outcome] = texts.ingest(empty_store, [Path("corpus")])
    assert (outcome.status, outcome.slug) == ("updated", "essay")
