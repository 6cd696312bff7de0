"""Discussion-question quality figures, over every passage of a library.

    python bench/questions.py [FOLDER ...] [--show] [--json OUT]

With no folder, the bundled texts in corpus/; otherwise the texts in the folders given (ingested
into a temporary database). Prints, over all passages:

- key terms not key to their text: a single word is key when the text uses it at least
  KEY_RATIO times as often as everyday English does (wordfreq's English list, summed over the
  word's singular and plural) and that excess is no accident (log-likelihood G2 >= KEY_G2,
  p < 0.001, against the count English would predict); a phrase is a concept when the text
  repeats it. Counted over every term the analysis found and over the terms questions use.
  Terms the passage puts in quotation marks are counted apart (the passage is about the word).
- posts with a quoted-thesis question (a question of a thesis kind quoting at least
  MIN_QUOTE_CHARS characters of its passage);
- connection questions: the cosine similarity of the two passages (tf-idf over the keyword
  index's terms, idf from the whole library), and the share at or above SIMILAR;
- the kind mix, the share of "meaning"/"relation" kinds, questions with a second term, and
  questions repeated within a text;
- time per passage (generate_questions, warm library statistics).

The measures here are written independently of bot/questions, so that they check it rather
than repeat it. `--show` prints every post; `--json` writes the figures and posts.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import wordfreq  # noqa: E402

from bot import texts  # noqa: E402
from bot.questions import generate_questions  # noqa: E402
from bot.questions.analysis import analyse_passage, library_stats  # noqa: E402
from bot.questions.analysis.wording import short_title  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.terms.stems import index_term  # noqa: E402
from bot.textutil import squash, strip_markup  # noqa: E402

KEY_RATIO = 3.0
KEY_G2 = 10.83
SIMILAR = 0.15
MIN_QUOTE_CHARS = 40
THESIS_KINDS = ("claim", "thesis")
MEANING_KINDS = ("term", "meaning", "relation")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_STOP = frozenset(
    """the a an of and or to in on at by for with from as is are was were be been being it its this
    that these those he she they we i you his her their our not no but if than then so such
    which who whom what when where why how all any each some more most other into over under""".split()
)


# -- key to the text ------------------------------------------------------------------------------


class TextWords:
    """How often a text uses each lower-cased word form, and each phrase of up to four words."""

    def __init__(self, bodies: list[str]):
        words = [w.lower().replace("’", "'") for body in bodies for w in _WORD.findall(strip_markup(body))]
        self.total = max(len(words), 1)
        self.forms = Counter(words)
        self.flat = " " + " ".join(words) + " "

    def forms_of(self, word: str) -> list[str]:
        word = word.lower().replace("’", "'")
        forms = {word, word + "s", word + "es"}
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
        elif word.endswith("y"):
            forms.add(word[:-1] + "ies")
        if word.endswith("es"):
            forms.add(word[:-2])
        if word.endswith("s"):
            forms.add(word[:-1])
        return sorted(forms)

    def word_keyness(self, word: str) -> tuple[float, float, int]:
        """(ratio of the text's rate to English's, G2, uses in the text) over the word's forms."""
        forms = self.forms_of(word)
        uses = sum(self.forms[f] for f in forms)
        english = sum(wordfreq.word_frequency(f, "en") for f in forms)
        expected = max(english, 1e-9) * self.total
        ratio = uses / expected
        g2 = 2 * (uses * math.log(uses / expected) - (uses - expected)) if uses else 0.0
        return ratio, g2, uses

    def phrase_uses(self, phrase: str) -> int:
        words = [w.lower().replace("’", "'") for w in _WORD.findall(phrase)]
        return self.flat.count(" " + " ".join(words) + " ")

    def is_key(self, term: str) -> bool:
        words = [w for w in _WORD.findall(term) if w.lower() not in _STOP]
        if len(_WORD.findall(term)) > 1:
            return self.phrase_uses(term) >= 2
        if not words:
            return False
        ratio, g2, _ = self.word_keyness(words[0])
        return ratio >= KEY_RATIO and g2 >= KEY_G2


def quoted_in(term: str, body: str) -> bool:
    """The passage puts the term in quotation marks ("so-called 'synthesis'")."""
    pattern = r"[“\"‘']\s*" + re.escape(term) + r"\w{0,3}\s*[”\"’']"
    return re.search(pattern, strip_markup(body), re.I) is not None


# -- similarity of two passages ---------------------------------------------------------------------


def tfidf(body: str, doc_freq, paragraphs: int) -> dict[str, float]:
    counts = Counter(index_term(w) for w in _WORD.findall(strip_markup(body)) if w.lower() not in _STOP and len(w) > 2)
    return {s: n * math.log(paragraphs / max(doc_freq.get(s, 1), 1)) for s, n in counts.items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


# -- the run ----------------------------------------------------------------------------------------


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f}%)" if whole else "0/0"


def run(store: Store, show: bool) -> dict:
    library = texts.list_texts(store)
    stats = library_stats(store)
    by_title = {short_title(t.meta.title): t for t in library}
    all_passages = {t.slug: texts.passages(store, t) for t in library}
    words_of = {t.slug: TextWords([p.body for p in all_passages[t.slug]]) for t in library}

    first = next(iter(all_passages.values()))[0]
    generate_questions(store, first)  # warm: library statistics and templates read once

    timings: list[float] = []
    terms_all = terms_not_key = terms_quoted = 0
    q_terms = q_not_key = q_quoted = 0
    phrases = 0
    not_key_examples: Counter = Counter()
    posts = thesis_posts = 0
    kinds: Counter = Counter()
    questions_total = second_terms = 0
    repeated = 0
    connections: list[tuple[float, str]] = []
    per_post = Counter()
    dump = []
    for text in library:
        seen_texts: Counter = Counter()
        tw = words_of[text.slug]
        for passage in all_passages[text.slug]:
            started = time.perf_counter()
            questions = generate_questions(store, passage)
            timings.append(time.perf_counter() - started)
            analysis = analyse_passage(store, passage, text)
            posts += 1
            per_post[len(questions)] += 1
            body = squash(strip_markup(passage.body))
            for term in analysis.terms:
                terms_all += 1
                phrases += " " in term.text
                if not tw.is_key(term.text):
                    if quoted_in(term.text, passage.body):
                        terms_quoted += 1
                    else:
                        terms_not_key += 1
                        not_key_examples[term.text] += 1
            has_thesis = False
            for q in questions:
                questions_total += 1
                kinds[q.kind] += 1
                seen_texts[q.text] += 1
                if "term2" in q.slots:
                    second_terms += 1
                for slot in ("term", "term2", "concept"):
                    if slot in q.slots:
                        q_terms += 1
                        if not tw.is_key(q.slots[slot]):
                            if quoted_in(q.slots[slot], passage.body):
                                q_quoted += 1
                            else:
                                q_not_key += 1
                quote = q.slots.get("quote") or q.slots.get("thesis") or ""
                if q.kind in THESIS_KINDS and len(quote) >= MIN_QUOTE_CHARS:
                    pieces = [squash(p) for p in quote.split("…") if squash(p)]
                    if pieces and all(p in body for p in pieces):
                        has_thesis = True
                if q.kind == "connection":
                    other_text = by_title.get(q.slots.get("other_title", ""))
                    ordinal = int(q.slots.get("other_passage", "0") or 0)
                    if other_text is not None and 0 < ordinal <= len(all_passages[other_text.slug]):
                        other = all_passages[other_text.slug][ordinal - 1]
                        sim = cosine(
                            tfidf(passage.body, stats.doc_freq, stats.paragraphs),
                            tfidf(other.body, stats.doc_freq, stats.paragraphs),
                        )
                        connections.append((sim, f"{text.slug} {passage.ordinal} -> {other_text.slug} {ordinal}"))
            thesis_posts += has_thesis
            if show:
                print(f"\n== {text.slug} {passage.ordinal}  [{', '.join(t.text for t in analysis.terms)}]")
                for q in questions:
                    print(f"  ({q.kind}/{q.template}) {q.text}")
            dump.append(
                {
                    "text": text.slug,
                    "passage": passage.ordinal,
                    "terms": [t.text for t in analysis.terms],
                    "questions": [{"kind": q.kind, "template": q.template, "text": q.text} for q in questions],
                }
            )
        repeated += sum(n - 1 for n in seen_texts.values() if n > 1)

    sims = sorted(s for s, _ in connections)
    meaning = sum(kinds[k] for k in MEANING_KINDS)
    figures = {
        "texts": len(library),
        "passages": posts,
        "questions": questions_total,
        "key_terms_not_key": pct(terms_not_key, terms_all),
        "key_terms_quoted_not_key_by_frequency": terms_quoted,
        "key_terms_multiword": pct(phrases, terms_all),
        "question_terms_not_key": pct(q_not_key, q_terms),
        "question_terms_quoted_not_key_by_frequency": q_quoted,
        "posts_with_quoted_thesis": pct(thesis_posts, posts),
        "connection_questions": len(connections),
        "connections_similar": pct(sum(s >= SIMILAR for s in sims), len(sims)),
        "connection_similarity_median": round(statistics.median(sims), 3) if sims else None,
        "connection_similarity_min": round(sims[0], 3) if sims else None,
        "kinds": dict(kinds.most_common()),
        "meaning_relation_share": pct(meaning, questions_total),
        "questions_with_a_second_term": pct(second_terms, questions_total),
        "questions_repeated_within_a_text": repeated,
        "questions_per_post": dict(sorted(per_post.items())),
        "ms_per_passage_median": round(1000 * statistics.median(timings), 1),
        "ms_per_passage_p90": round(1000 * sorted(timings)[int(0.9 * (len(timings) - 1))], 1),
        "ms_per_passage_max": round(1000 * max(timings), 1),
        "not_key_examples": [w for w, _ in not_key_examples.most_common(15)],
        "connections": [f"{s:.2f} {where}" for s, where in sorted(connections, reverse=True)],
    }
    return {"figures": figures, "posts": dump}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", type=Path, help="folders of texts (default: corpus/)")
    parser.add_argument("--show", action="store_true", help="print every post's questions")
    parser.add_argument("--json", type=Path, help="write figures and posts to this file")
    args = parser.parse_args()
    folders = args.folders or [ROOT / "corpus"]
    with tempfile.TemporaryDirectory() as work:
        store = Store(Path(work) / "bench.db")
        try:
            outcomes = texts.ingest(store, folders)
            failed = [o for o in outcomes if o.status == "failed"]
            for o in failed:
                print(f"skipped {o.path}: {o.message}", file=sys.stderr)
            result = run(store, args.show)
        finally:
            store.close()
    print()
    for key, value in result["figures"].items():
        if key == "connections":
            print("connections (similarity, from -> to):")
            for line in value:
                print("   ", line)
        else:
            print(f"{key:45} {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
