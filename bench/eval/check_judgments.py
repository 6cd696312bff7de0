"""Check the judged search queries in search-own.jsonl against the texts in corpus/.

    python bench/eval/check_judgments.py [path/to/set.jsonl ...]

Plain Python, no project imports. For every judgment quote (and every `alt` quote) it checks that:
  - the file exists in corpus/;
  - the quote, case-folded, stripped of accents and reduced to letters and digits, occurs in the
    file exactly once (so it names one paragraph);
  - that one occurrence lies inside a single paragraph (a block between blank lines), since the
    scorer matches quotes against paragraphs;
  - the quote is 6-15 words long.
It also checks the records themselves: unique ids, known kinds, a split of "tune" or "heldout",
no_answer agreeing with empty judgments, grades 1 or 2, and no query repeating a public one.
Prints each failure and exits 1 if there is any.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = ROOT / "corpus"
PUBLIC = ROOT.parent / "shared" / "eval" / "search-public.jsonl"
KINDS = {
    "keyword",
    "name",
    "phrase",
    "topical",
    "question",
    "misspelling",
    "corpus_misspelling",
    "transliteration",
    "morphological",
    "british_american",
    "compound_hyphen",
    "synonym",
    "no_answer",
}


def squash(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c) and c.isalnum())


def count(haystack: str, needle: str) -> int:
    n, start = 0, haystack.find(needle)
    while start != -1:
        n += 1
        start = haystack.find(needle, start + 1)
    return n


class Texts:
    def __init__(self) -> None:
        self.cache: dict[str, tuple[str, list[str]]] = {}

    def get(self, name: str) -> tuple[str, list[str]] | None:
        if name not in self.cache:
            path = CORPUS / name
            if not path.is_file():
                return None
            raw = path.read_text(encoding="utf-8")
            blocks = [b for b in re.split(r"\n[ \t]*\n", raw) if b.strip()]
            self.cache[name] = (squash(raw), [squash(b) for b in blocks])
        return self.cache[name]


def check_quote(texts: Texts, where: str, name: str, quote: str) -> list[str]:
    problems = []
    words = len(quote.split())
    if not 6 <= words <= 15:
        problems.append(f"{where}: quote has {words} words (want 6-15): {quote!r}")
    text = texts.get(name)
    if text is None:
        return problems + [f"{where}: no such file corpus/{name}"]
    whole, blocks = text
    q = squash(quote)
    n = count(whole, q)
    if n == 0:
        problems.append(f"{where}: quote not found in {name}: {quote!r}")
    elif n > 1:
        problems.append(f"{where}: quote found {n} times in {name} (must be once): {quote!r}")
    elif not any(q in b for b in blocks):
        problems.append(f"{where}: quote spans a paragraph break in {name}: {quote!r}")
    return problems


def check_file(path: Path, public_queries: set[str]) -> tuple[list[str], int]:
    texts, problems, ids = Texts(), [], set()
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for rec in records:
        rid = rec.get("id", "?")
        for field in ("id", "query", "kinds", "no_answer", "multi_doc", "judgments"):
            if field not in rec:
                problems.append(f"{rid}: missing field {field}")
        if rid in ids:
            problems.append(f"{rid}: duplicate id")
        ids.add(rid)
        if "split" in rec and rec["split"] not in ("tune", "heldout"):
            problems.append(f"{rid}: split must be tune or heldout, not {rec['split']!r}")
        unknown = set(rec.get("kinds", [])) - KINDS
        if unknown:
            problems.append(f"{rid}: unknown kinds {sorted(unknown)}")
        if squash(rec.get("query", "")) in public_queries:
            problems.append(f"{rid}: query repeats a public query: {rec['query']!r}")
        judgments = rec.get("judgments", [])
        if rec.get("no_answer") != (not judgments):
            problems.append(f"{rid}: no_answer={rec.get('no_answer')} but {len(judgments)} judgments")
        if rec.get("no_answer") and "no_answer" not in rec.get("kinds", []):
            problems.append(f"{rid}: no_answer query without the no_answer kind")
        files = set()
        for k, j in enumerate(judgments, 1):
            where = f"{rid} judgment {k}"
            if j.get("grade") not in (1, 2):
                problems.append(f"{where}: grade must be 1 or 2")
            problems += check_quote(texts, where, j.get("file", ""), j.get("quote", ""))
            files.add(j.get("file"))
            for a in j.get("alt", []):
                problems += check_quote(texts, where + " alt", a.get("file", ""), a.get("quote", ""))
                files.add(a.get("file"))
        if judgments and rec.get("multi_doc") != (len(files) > 1):
            problems.append(f"{rid}: multi_doc={rec.get('multi_doc')} but files {sorted(files)}")
    return problems, len(records)


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or [HERE / "search-own.jsonl"]
    public_queries = set()
    if PUBLIC.is_file():
        public_queries = {squash(json.loads(line)["query"]) for line in PUBLIC.read_text().splitlines() if line.strip()}
    failed = False
    for path in paths:
        problems, n = check_file(path, public_queries if path.resolve() != PUBLIC.resolve() else set())
        for p in problems:
            print(f"{path.name}: {p}")
        print(f"{path.name}: {n} queries, {len(problems)} problems")
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
