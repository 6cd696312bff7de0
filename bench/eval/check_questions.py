"""Check the generated questions against a small judged development set.

    python bench/eval/check_questions.py [FOLDER ...] [--set questions-dev.jsonl] [--quiet]

With no folder, the bundled texts in corpus/ (only the set's records for texts found are
checked). Each record of the set names a passage (`text`, `passage`), says what a good
facilitator's question would be about (`about`), and lists the openings of sentences a good
question may quote (`good`) and of sentences no question should quote (`bad`: headings,
narrative, transitions, fragments, conceded points). Prints each post with its verdict and:

- posts whose first question quotes a good sentence, and whose questions quote any;
- posts with a question quoting a bad sentence (each listed);
- questions per post.

A quote counts as a good or bad sentence when it starts (after "…" and a bracketed holder)
with the listed opening, or holds it. This is a rough check of the pieces a question is made
of, not a verdict on the question: read the posts too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.questions import generate_questions  # noqa: E402
from bot.store import Store  # noqa: E402

_QUOTED = re.compile(r"“(.+?)”(?=[\s?,.]|$)")


def norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("’", "'").replace("‘", "'")).strip()


def quotes_of(question: str) -> list[str]:
    return [norm(q) for q in _QUOTED.findall(question) if len(q) > 20]


def matches(quote: str, openings: list[str]) -> bool:
    return any(norm(o) and norm(o) in quote for o in openings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--set", type=Path, default=HERE / "questions-dev.jsonl")
    parser.add_argument("--quiet", action="store_true", help="figures only")
    args = parser.parse_args()
    records = [json.loads(line) for line in args.set.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as work:
        store = Store(Path(work) / "check.db")
        try:
            texts.ingest(store, args.folders or [ROOT / "corpus"])
            by_slug = {t.slug: t for t in texts.list_texts(store)}
            posts = first_good = any_good = with_bad = questions = 0
            for record in records:
                text = by_slug.get(record["text"])
                if text is None:
                    continue
                passage = texts.passage(store, text, record["passage"])
                made = generate_questions(store, passage)
                posts += 1
                questions += len(made)
                quoted = [quotes_of(q.text) for q in made]
                good = [any(matches(q, record["good"]) for q in qs) for qs in quoted]
                bad = [any(matches(q, record["bad"]) for q in qs) for qs in quoted]
                first_good += bool(good and good[0])
                any_good += any(good)
                with_bad += any(bad)
                if not args.quiet:
                    print(f"\n== {record['text']} {record['passage']}: {record['about']}")
                    for q, g, b in zip(made, good, bad, strict=True):
                        mark = "BAD " if b else "good" if g else "    "
                        print(f"  [{mark}] ({q.kind}/{q.template}) {q.text}")
        finally:
            store.close()
    print()
    print(f"posts                               {posts}")
    print(f"first question quotes a good one    {first_good}/{posts}")
    print(f"some question quotes a good one     {any_good}/{posts}")
    print(f"posts quoting a bad one             {with_bad}/{posts}")
    print(f"questions per post                  {questions / max(posts, 1):.2f}")


if __name__ == "__main__":
    main()
