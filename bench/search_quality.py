"""Search quality on judged queries: nDCG@5, Recall@10, MRR, no-answer queries left empty, and
misspelt or variant queries answered in the top 5.

    python bench/search_quality.py [--eval FILE ...] [--db PATH] [--show-heldout]

By default it scores the public queries (`shared/eval/search-public.jsonl`, found beside the
checkout or above it) and the two halves of our own judged queries (`bench/eval/search-own.jsonl`
and `search-fresh.jsonl`, each written blind before any tuning on it): "tune", the half search
may be tuned on, and "heldout", the half it never is; then each batch's halves on their own.
Per-query lines are printed for the public set and the tuning half; the held-out half shows its
figures only (`--show-heldout` for its lines).

Runs the project's search (`bot.search.search`) and, as a baseline, plain FTS5 BM25 (all the
query's words, ranked by bm25, paragraph by paragraph) over the same database.
A result is relevant to a judgment when its paragraph contains the judged quote after both are
case-folded, stripped of accents and reduced to letters and digits.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import search, texts  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.textutil import squash  # noqa: E402

OWN_EVALS = (ROOT / "bench" / "eval" / "search-own.jsonl", ROOT / "bench" / "eval" / "search-fresh.jsonl")
"""Our judged queries, in the order written: the first batch (session 2), and a second written
blind by two readers in session 4 while search was tuned on the first batch's tune half only."""
K_NDCG, K_RECALL = 5, 10
VARIANT_KINDS = {"misspelling", "corpus_misspelling", "transliteration", "british_american", "morphological"}
"""Queries typed in another spelling or form than the text's: each should be answered in the top 5."""


def public_eval() -> Path:
    """shared/eval/search-public.jsonl beside the checkout, or beside any folder above it (a
    worktree lives deeper than the main checkout)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "eval" / "search-public.jsonl"
        if candidate.exists():
            return candidate
    raise SystemExit("shared/eval/search-public.jsonl not found above this checkout; pass --eval FILE.")


@dataclass(frozen=True)
class Scores:
    ndcg: float
    recall: float
    rr: float
    empty: bool


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def judgment_quotes(judgment: dict) -> list[str]:
    return [squash(judgment["quote"])] + [squash(alt["quote"]) for alt in judgment.get("alt", [])]


def score(paragraphs: list[str], judgments: list[dict]) -> Scores:
    """Each result earns the grade of the best judgment no earlier result matched."""
    squashed = [squash(p) for p in paragraphs]
    matched: set[int] = set()
    gains, first_relevant = [], None
    for rank, paragraph in enumerate(squashed, start=1):
        best, best_grade = None, 0
        for index, judgment in enumerate(judgments):
            if index in matched:
                continue
            if any(q in paragraph for q in judgment_quotes(judgment)) and judgment["grade"] > best_grade:
                best, best_grade = index, judgment["grade"]
        if best is not None:
            matched.add(best)
            first_relevant = first_relevant or rank
        gains.append(best_grade)
    ideal = sorted((j["grade"] for j in judgments), reverse=True)
    dcg = sum(g / math.log2(r + 1) for r, g in enumerate(gains[:K_NDCG], start=1))
    idcg = sum(g / math.log2(r + 1) for r, g in enumerate(ideal[:K_NDCG], start=1))
    found = {
        i for i, j in enumerate(judgments) if any(any(q in p for q in judgment_quotes(j)) for p in squashed[:K_RECALL])
    }
    return Scores(
        ndcg=dcg / idcg if idcg else 0.0,
        recall=len(found) / len(judgments) if judgments else 0.0,
        rr=1 / first_relevant if first_relevant else 0.0,
        empty=not paragraphs,
    )


def ours(store: Store, query: str) -> list[str]:
    return [hit.paragraph for hit in search.search(store, query, limit=K_RECALL).hits]


def plain_bm25(store: Store, query: str) -> list[str]:
    """The baseline: an FTS5 index of the paragraphs as written (no canonical spelling), every
    word of the query required, bm25 order, nothing else."""
    _ensure_plain_index(store)
    words = ["".join(c for c in w if c.isalnum()) for w in query.split()]
    expression = " ".join(f'"{w}"' for w in words if w)
    if not expression:
        return []
    rows = store.query(
        "SELECT plain FROM temp.plain_fts WHERE plain_fts MATCH ? ORDER BY rank LIMIT ?",
        (expression, K_RECALL),
    )
    return [r["plain"] for r in rows]


def _ensure_plain_index(store: Store) -> None:
    if store.query("SELECT 1 FROM sqlite_temp_master WHERE name = 'plain_fts'"):
        return
    store.conn.execute(
        "CREATE VIRTUAL TABLE temp.plain_fts USING fts5(plain, tokenize='porter unicode61 remove_diacritics 2')"
    )
    store.conn.execute(
        """INSERT INTO temp.plain_fts (plain) SELECT pa.plain FROM paragraphs pa
           JOIN texts t ON t.id = pa.text_id AND t.is_current = 1"""
    )


def evaluate(store: Store, queries: list[dict], engine) -> tuple[dict, list[tuple[dict, Scores]]]:
    rows = [(q, score(engine(store, q["query"]), q["judgments"])) for q in queries]
    answerable = [(q, s) for q, s in rows if not q["no_answer"]]
    unanswerable = [(q, s) for q, s in rows if q["no_answer"]]
    variants = [(q, s) for q, s in answerable if VARIANT_KINDS & set(q["kinds"])]
    mean = lambda values: sum(values) / len(values) if values else 0.0  # noqa: E731
    summary = {
        "ndcg@5": mean([s.ndcg for _, s in answerable]),
        "recall@10": mean([s.recall for _, s in answerable]),
        "mrr": mean([s.rr for _, s in answerable]),
        "no_answer_empty": mean([1.0 if s.empty else 0.0 for _, s in unanswerable]),
        "no_answer_queries": len(unanswerable),
        "variants_top5": mean([1.0 if s.rr >= 1 / K_NDCG else 0.0 for _, s in variants]),
        "variant_queries": len(variants),
        "queries": len(rows),
    }
    return summary, rows


def summary_line(name: str, summary: dict) -> str:
    return (
        f"{name}: nDCG@5 {summary['ndcg@5']:.3f}  Recall@10 {summary['recall@10']:.3f}  MRR {summary['mrr']:.3f}  "
        f"no-answer empty {summary['no_answer_empty']:.0%} of {summary['no_answer_queries']}  "
        f"misspelt/variant in top 5 {summary['variants_top5']:.0%} of {summary['variant_queries']}  "
        f"({summary['queries']} queries)"
    )


def query_line(q: dict, s: Scores) -> str:
    top5 = "top5" if s.rr >= 1 / K_NDCG else "    "
    flag = ("empty" if s.empty else "NOT EMPTY") if q["no_answer"] else top5
    return (
        f"  {q['id']:<5} {','.join(q['kinds'])[:32]:<32} nDCG {s.ndcg:.2f} R@10 {s.recall:.2f} "
        f"RR {s.rr:.2f} {flag:<9} {q['query']}"
    )


def sets(args) -> list[tuple[str, list[dict], bool]]:
    """(name, queries, print their lines) for each set to score."""
    if args.eval:
        return [(str(path), load_queries(path), True) for path in args.eval]
    batches = [(path.stem, load_queries(path)) for path in OWN_EVALS]
    own = [q for _, queries in batches for q in queries]
    return [
        ("public", load_queries(public_eval()), True),
        ("tune", [q for q in own if q["split"] == "tune"], True),
        ("heldout", [q for q in own if q["split"] == "heldout"], args.show_heldout),
        *(
            (f"{split} of {name}", [q for q in queries if q["split"] == split], False)
            for name, queries in batches
            for split in ("tune", "heldout")
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, nargs="*", help="judged queries (JSON lines) instead of the default sets")
    parser.add_argument("--db", type=Path, help="an ingested database (default: ingest corpus/ afresh)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show-heldout", action="store_true", help="print the held-out queries one by one too")
    args = parser.parse_args()
    if args.db:
        store = Store(args.db)
    else:
        store = Store(Path(tempfile.mkdtemp()) / "quality.db")
        texts.ingest(store, [ROOT / "corpus"])
    results: dict = {}
    for set_name, queries, show in sets(args):
        results[set_name] = {}
        for name, engine in (("studybot", ours), ("plain FTS5 BM25", plain_bm25)):
            summary, rows = evaluate(store, queries, engine)
            results[set_name][name] = summary
            if args.json:
                continue
            print(("\n" if name == "studybot" else "") + summary_line(f"{set_name} / {name}", summary))
            if show and name == "studybot":
                for q, s in rows:
                    print(query_line(q, s))
    if args.json:
        print(json.dumps(results, indent=2))
    elif {"tune", "heldout"} <= results.keys():
        gap = results["heldout"]["studybot"]["ndcg@5"] - results["tune"]["studybot"]["ndcg@5"]
        print(f"\nheld-out nDCG@5 minus tune nDCG@5: {gap:+.3f}")


if __name__ == "__main__":
    main()
