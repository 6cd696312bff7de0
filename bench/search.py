"""Search benchmark: ingest a synthetic library, time our search, raw FTS5 and tantivy.

    python bench/search.py                    # 50 MB library, about 10 timed runs per query
    python bench/search.py --mb 2             # smoke run, well under a minute
    python bench/search.py --mb 50 --queries 740 --out /tmp/bench

What it does:

1. Builds a library of about `--mb` megabytes (10^6 bytes) of .txt files (plus a catalog.toml)
   from the five bundled texts in corpus/. Every copy is varied, deterministically (`--seed`):
   about one sentence in six comes from elsewhere in the corpus, some paragraphs are joined or
   split, they are shuffled and some dropped, about one content word in eight is swapped for a
   word drawn (by frequency) from the corpus vocabulary, and each copy coins a few hundred new
   words and names, so the vocabulary grows with the library (Heaps' law) and document
   frequencies look like those of a larger library, not of exact copies.
2. Ingests it with the real `texts.ingest` into a fresh database and reports throughput, the
   database size, the FTS5 index size (its shadow tables, by `dbstat`) and the paragraph count.
3. Times a fixed list of queries (rare and common words, several words, phrases, OR, prefix,
   exclusions, questions) through `bot.search.search` (warm), reporting p50/p99/mean in ms,
   overall and per query class. It also times two lower layers, to show where the time goes:
   `Store.match_paragraphs` called exactly as search() called it (captured by wrapping the
   method) and the raw FTS5 top 10 for the same expressions
   (`SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT 10`).
4. If the optional `tantivy` package is installed (`pip install -e '.[bench]'`), indexes the
   same text (the column paragraphs_fts indexes, read from the `paragraphs` table) with the
   en_stem tokenizer, runs the same FTS5 expressions translated one to one (AND -> Must,
   OR -> Should, NOT -> MustNot, phrases, prefix* as the index terms with that prefix), top 10,
   and prints our latencies as multiples of tantivy's.

Everything is written under `--out` (default bench/out, which git ignores): the generated
library, the database, the tantivy index and `search-<mb>mb.json` with every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/search.py` without installing the project
    sys.path.insert(0, str(ROOT))

from bot import texts  # noqa: E402
from bot.search.find import search  # noqa: E402
from bot.search.query import parse_query  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.texts import files as corpus_module  # noqa: E402
from bot.texts.segment import Pace  # noqa: E402
from bot.textutil import split_sentences  # noqa: E402

CORPUS_DIR = ROOT / "corpus"
MB = 1_000_000
LIMIT = 10

# (class, query). Classes are reported separately: their costs differ by orders of magnitude.
QUERIES: list[tuple[str, str]] = [
    ("rare", "Kronstadt"),
    ("rare", "Zinoviev"),
    ("rare", "Augean"),
    ("rare", "Bonapartism"),
    ("rare", "Menshevik"),
    ("common", "revolution"),
    ("common", "party"),
    ("common", "state"),
    ("common", "lenin"),
    ("common", "soviet"),
    ("multi", "eight hour day unemployment"),
    ("multi", "working class democracy"),
    ("multi", "bureaucracy soviet state"),
    ("multi", "peasant kulak grain"),
    ("multi", "Bukharin NEP peasants"),
    ("phrase", '"permanent revolution"'),
    ("phrase", '"socialism in one country"'),
    ("phrase", '"dictatorship of the proletariat"'),
    ("phrase", '"working class"'),
    ("phrase", '"state capitalism"'),
    ("or", "lenin OR trotsky"),
    ("or", "bureaucracy OR party OR state"),
    ("or", "revolution OR soviet"),
    ("or", "Kronstadt OR Thermidor"),
    ("or", "Menshevik OR Bolshevik"),
    ("prefix", "bureaucra*"),
    ("prefix", "revol*"),
    ("prefix", "Thermid*"),
    ("prefix", "prolet*"),
    ("exclude", "stalin -trotsky"),
    ("exclude", "revolution -permanent"),
    ("exclude", "party -communist"),
    ("exclude", 'lenin -"permanent revolution"'),
    ("natural", "why did Stalin win against the opposition"),
    ("natural", "what did Lenin think about the peasants"),
    ("natural", "how did the bureaucracy become a privileged caste"),
    ("natural", "was the Soviet Union state capitalist"),
]
CLASSES = list(dict.fromkeys(c for c, _ in QUERIES))


# -- 1. the synthetic library -------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+")
_SYLLABLES = (
    "ab ad al an ar as at ba be bo ca ce co da de di do el en er es ev ga go ha he in ir is ka ko la "
    "le li lo ma me mi mo na ne ni no ol on or os ov pa pe po ra re ri ro sa se si so ta te ti to "
    "ul un ur us va ve vi vo za ze zo"
).split()


def build_library(target_bytes: int, folder: Path, seed: int) -> dict:
    """Write varied copies of the bundled texts into `folder` until they reach `target_bytes`."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sources = [corpus_module.read_text(p) for p in sorted(CORPUS_DIR.glob("*.txt"))]
    lower, capital = Counter(), Counter()
    for source in sources:
        for block in source.blocks:
            if block.kind == "paragraph":
                for word in _WORD.findall(block.text):
                    if len(word) >= 4:
                        (capital if word[0].isupper() else lower)[word] += 1
    # Words seen in lower case are ordinary words; capitalised ones never seen so are names.
    names = Counter({w: n for w, n in capital.items() if w.lower() not in lower and not w.isupper()})
    lower_words, lower_cum = _cumulative(lower)
    pool = [s for source in sources for b in source.blocks if b.kind == "paragraph" for s in split_sentences(b.text)]
    rare_words = [w for w, n in lower.items() if n <= 3]
    name_list = list(names)

    catalog_lines, written, copies = [], 0, 0
    started = time.perf_counter()
    while written < target_bytes:
        rng = random.Random(seed * 1_000_003 + copies)
        source = sources[copies % len(sources)]
        # This copy's coinages: new spellings of rare words and new names (vocabulary growth).
        coined = {w: _coin(w, rng) for w in rng.sample(rare_words, min(300, len(rare_words)))}
        coined.update({w: _coin(w, rng).capitalize() for w in rng.sample(name_list, min(40, len(name_list)))})

        def vary(match: re.Match, rng=rng, coined=coined, rate=0.12) -> str:
            word = match.group(0)
            if word in coined:
                return coined[word]
            if len(word) >= 4 and word.islower() and rng.random() < rate:
                return rng.choices(lower_words, cum_weights=lower_cum)[0]
            return word

        paragraphs = [_vary_paragraph(b.text, rng, pool, vary) for b in source.blocks if b.kind == "paragraph"]
        paragraphs = _regroup(paragraphs, rng)
        rng.shuffle(paragraphs)
        paragraphs = iter([p for p in paragraphs if rng.random() >= 0.15])
        out = []
        for block in source.blocks:
            if block.kind != "paragraph":
                out.append(block.text)
                continue
            paragraph = next(paragraphs, None)
            if paragraph is not None:
                out.append(paragraph)
        out.extend(paragraphs)
        name = f"{source.slug}-{copies + 1:04d}.txt"
        data = ("\n\n".join(out) + "\n").encode("utf-8")
        (folder / name).write_bytes(data)
        written += len(data)
        catalog_lines += [
            f"[{json.dumps(name)}]",
            f"title = {json.dumps(f'{source.meta.title} (copy {copies + 1})')}",
            f"author = {json.dumps(source.meta.author)}",
            *([f"year = {source.meta.year}"] if source.meta.year else []),
            "",
        ]
        copies += 1
    (folder / corpus_module.CATALOG_NAME).write_text("\n".join(catalog_lines), encoding="utf-8")
    return {"files": copies, "bytes": written, "seconds": time.perf_counter() - started}


def _cumulative(counts: Counter) -> tuple[list[str], list[int]]:
    words, cum, total = [], [], 0
    for word, n in counts.items():
        total += n
        words.append(word)
        cum.append(total)
    return words, cum


def _vary_paragraph(text: str, rng: random.Random, pool: list[str], vary) -> str:
    """Swap about one sentence in six for one from anywhere in the corpus, then swap words.

    Short paragraphs get more swaps, or they would recur verbatim in every copy."""
    sentences = [rng.choice(pool) if rng.random() < 0.16 else s for s in split_sentences(text)]
    rate = 0.12 if len(sentences) > 2 else 0.3
    return _WORD.sub(lambda m: vary(m, rate=rate), " ".join(sentences))


def _regroup(paragraphs: list[str], rng: random.Random) -> list[str]:
    """Join some neighbouring paragraphs and split others at a sentence: lengths vary by copy."""
    out: list[str] = []
    for paragraph in paragraphs:
        roll = rng.random()
        if roll < 0.08 and out:
            out[-1] += " " + paragraph
        elif roll < 0.16 and len(sentences := split_sentences(paragraph)) >= 4:
            cut = rng.randint(1, len(sentences) - 1)
            out += [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
        else:
            out.append(paragraph)
    return out


def _coin(word: str, rng: random.Random) -> str:
    stem = word[: max(3, len(word) - rng.randint(1, 3))]
    return stem + "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 2)))


# -- 2. ingest and sizes ------------------------------------------------------------------------


def ingest(library: Path, db_path: Path) -> tuple[Store, dict]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    store = Store(db_path)
    files = sorted(library.glob("*.txt"))
    size = sum(p.stat().st_size for p in files)
    started = time.perf_counter()
    outcomes = texts.ingest(store, [library], Pace())
    seconds = time.perf_counter() - started
    failed = [o for o in outcomes if o.status == "failed"]
    if failed:
        print(f"warning: {len(failed)} files failed to ingest, e.g. {failed[0].message}")
    store.query("PRAGMA wal_checkpoint(TRUNCATE)")
    return store, {
        "files": len(files),
        "bytes": size,
        "seconds": seconds,
        "mb_per_s": size / MB / seconds,
        "passages": sum(o.passages for o in outcomes),
        "words": sum(o.words for o in outcomes),
    }


def sizes(store: Store, db_path: Path) -> dict:
    tables: dict[str, int] = {}
    try:
        for row in store.query("SELECT name, SUM(pgsize) AS bytes FROM dbstat GROUP BY name"):
            tables[row["name"]] = row["bytes"]
        method = "dbstat"
    except sqlite3.OperationalError:
        method = "unavailable"
    fts = {k: v for k, v in tables.items() if k.startswith("paragraphs_fts_")}
    counts = store.query("SELECT COUNT(*), SUM(LENGTH(plain)), (SELECT COUNT(*) FROM texts) FROM paragraphs")[0]
    return {
        "db_bytes": db_path.stat().st_size,
        "fts_index_bytes": sum(fts.values()) if fts else None,
        "method": method,
        "tables": dict(sorted(tables.items(), key=lambda kv: -kv[1])),
        "paragraphs": counts[0],
        "plain_chars": counts[1],
        "texts": counts[2],
    }


# -- 3. timing ----------------------------------------------------------------------------------


CLOCK = time.perf_counter_ns
"""Wall time by default; `--clock cpu` times the calling thread's CPU instead (search and its
SQLite calls run in it), which other processes on a busy shared machine disturb far less."""


def time_runs(fn, queries: list[str], repeat: int) -> dict[str, list[float]]:
    """Milliseconds per run for each query: one untimed warm-up run, then `repeat` timed ones."""
    for q in queries:
        fn(q)
    samples: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(repeat):  # round robin, so no query gets a cache all to itself
        for q in queries:
            t = CLOCK()
            fn(q)
            samples[q].append((CLOCK() - t) / 1e6)
    return samples


def summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "p50": _percentile(ordered, 50),
        "p99": _percentile(ordered, 99),
        "mean": statistics.fmean(ordered),
        "max": ordered[-1],
    }


def _percentile(ordered: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def by_class(samples: dict[str, list[float]]) -> dict[str, dict]:
    out = {}
    for cls in CLASSES:
        out[cls] = summary([v for c, q in QUERIES if c == cls for v in samples[q]])
    out["all"] = summary([v for values in samples.values() for v in values])
    return out


class Recorder:
    """The FTS5 calls `search()` makes, captured by wrapping Store.match_paragraphs, so the lower
    layers and tantivy replay exactly what our search asked FTS5 for (whatever search.py does
    to the query first: spelling, canonical forms, any-word or all-words expressions)."""

    def __init__(self, store: Store):
        self.store = store
        self.calls: dict[str, list[tuple[str, object, int]]] = {}

    def record(self, query: str) -> None:
        original = self.store.match_paragraphs
        seen: list[tuple[str, object, int]] = []

        def spy(expression, text_ids, limit):
            seen.append((expression, text_ids, limit))
            return original(expression, text_ids, limit)

        self.store.match_paragraphs = spy
        try:
            search(self.store, query, limit=LIMIT)
        finally:
            del self.store.match_paragraphs  # back to the class's method
        if not seen:  # search no longer goes through match_paragraphs: fall back to the parser
            parsed = parse_query(query)
            seen = [(parsed.to_fts(len(parsed.included) < 2), None, LIMIT)]
        self.calls[query] = seen


class RawFts:
    """The FTS5 floor: rowids of the top 10 by BM25 for each expression search() sent."""

    SQL = "SELECT rowid FROM paragraphs_fts WHERE paragraphs_fts MATCH ? ORDER BY rank LIMIT ?"

    def __init__(self, store: Store, calls: dict):
        self.conn, self.calls = store.conn, calls

    def __call__(self, query: str) -> list[int]:
        rows: list[int] = []
        for expression, _, _ in self.calls[query]:
            rows = [r[0] for r in self.conn.execute(self.SQL, (expression, LIMIT))]
        return rows

    def count(self, query: str) -> int:
        """How many paragraphs match the first expression: what ORDER BY rank has to score."""
        sql = "SELECT COUNT(*) FROM paragraphs_fts WHERE paragraphs_fts MATCH ?"
        return self.conn.execute(sql, (self.calls[query][0][0],)).fetchone()[0]


def matcher(store: Store, calls: dict):
    """Store.match_paragraphs with the arguments search() gave it (joins; its own LIMIT)."""

    def run(query: str):
        rows = []
        for expression, text_ids, limit in calls[query]:
            rows = store.match_paragraphs(expression, text_ids, limit)
        return rows

    return run


# -- 4. tantivy ---------------------------------------------------------------------------------


_FTS_TOKEN = re.compile(r'"(?:[^"]|"")*"\*?|\(|\)|\bAND\b|\bOR\b|\bNOT\b|\S+')


class Tantivy:
    """The same paragraphs in a tantivy index (en_stem), asked the same FTS5 expressions.

    The expressions our query builder emits use a small part of FTS5's syntax ("phrase",
    "prefix"*, AND, OR, NOT, brackets); they are translated one to one: AND -> Must, OR ->
    Should, NOT -> MustNot, a phrase -> a term or phrase query on the analysed words, a prefix ->
    the index terms starting with it (as FTS5 expands a prefix over its stemmed terms)."""

    def __init__(self, store: Store, folder: Path):
        import tantivy

        self.t = tantivy
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("body", tokenizer_name="en_stem")
        builder.add_integer_field("id", stored=True, indexed=False, fast=True)
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(folder))
        # en_stem as tantivy defines it, to analyse query words the way documents were.
        self.analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(40))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("english"))
            .build()
        )
        # Index what FTS5 indexes: the column paragraphs_fts is built on (plain, or a derived one).
        columns = [r[1] for r in store.conn.execute("PRAGMA table_info(paragraphs)")]
        self.column = _fts_column(store) if _fts_column(store) in columns else "plain"
        started = time.perf_counter()
        writer = self.index.writer(heap_size=256 * 1024 * 1024, num_threads=2)
        for pid, text in store.conn.execute(f"SELECT id, {self.column} FROM paragraphs ORDER BY id"):
            writer.add_document(tantivy.Document(id=pid, body=text))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.build_seconds = time.perf_counter() - started
        self.searcher = self.index.searcher()
        self.bytes = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        self.segments = self.searcher.num_segments
        self.calls: dict = {}

    # expression -> Query ------------------------------------------------------------------
    def translate(self, expression: str):
        tokens = _FTS_TOKEN.findall(expression)
        query, _ = self._or(tokens, 0)
        return query

    def _or(self, tokens, i):
        parts, i = self._and(tokens, i)
        parts = [parts]
        while i < len(tokens) and tokens[i] == "OR":
            part, i = self._and(tokens, i + 1)
            parts.append(part)
        parts = [p for p in parts if p is not None]
        if len(parts) <= 1:
            return (parts[0] if parts else None), i
        return self.t.Query.boolean_query([(self.t.Occur.Should, p) for p in parts]), i

    def _and(self, tokens, i):
        must, must_not = [], []
        first, i = self._unit(tokens, i)
        must.append(first)
        while i < len(tokens) and tokens[i] in ("AND", "NOT"):
            op = tokens[i]
            part, i = self._unit(tokens, i + 1)
            (must if op == "AND" else must_not).append(part)
        must = [q for q in must if q is not None]
        must_not = [q for q in must_not if q is not None]
        if len(must) == 1 and not must_not:
            return must[0], i
        if not must:
            return None, i
        occ = self.t.Occur
        return self.t.Query.boolean_query([(occ.Must, q) for q in must] + [(occ.MustNot, q) for q in must_not]), i

    def _unit(self, tokens, i):
        token = tokens[i]
        if token == "(":
            query, i = self._or(tokens, i + 1)
            return query, i + 1  # the closing bracket
        return self._phrase(token), i + 1

    def _phrase(self, token: str):
        t = self.t
        prefix = token.endswith("*")
        text = token.rstrip("*")
        if text.startswith('"'):
            text = text[1:-1].replace('""', '"')
        if prefix:
            words = text.split()
            stem = words[-1].lower()
            terms = self.searcher.terms_with_prefix("body", stem, limit=256)
            if not terms:
                return None
            queries = [t.Query.term_query(self.schema, "body", term, index_option="freq") for term, _ in terms]
            return queries[0] if len(queries) == 1 else t.Query.boolean_query([(t.Occur.Should, q) for q in queries])
        words = self.analyzer.analyze(text)
        if not words:
            return None
        if len(words) == 1:
            return t.Query.term_query(self.schema, "body", words[0], index_option="freq")
        return t.Query.phrase_query(self.schema, "body", words)

    def __call__(self, query: str) -> list[int]:
        hits = []
        for expression, _, _ in self.calls[query]:
            q = self.translate(expression)
            hits = self.searcher.search(q, LIMIT, count=False).hits if q is not None else []
        if not hits:
            return []
        return self.searcher.fast_field_values("id", [address for _, address in hits])


def _fts_column(store: Store) -> str:
    """The first column of paragraphs_fts (the text it indexes)."""
    return [r[1] for r in store.conn.execute("PRAGMA table_info(paragraphs_fts)")][0]


# -- reporting ----------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list], aligns: str | None = None) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    aligns = aligns or "l" + "r" * (len(headers) - 1)

    def line(values):
        return "  ".join(v.ljust(w) if a == "l" else v.rjust(w) for v, w, a in zip(values, widths, aligns))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)])


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def _ratio(a: float, b: float | None) -> float | None:
    return a / b if b else None


def mib(n: int | None) -> str:
    return "-" if n is None else f"{n / MB:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=50, help="library size in MB (10^6 bytes); default 50")
    parser.add_argument(
        "--queries",
        type=int,
        default=10 * len(QUERIES),
        help=f"timed query runs per engine, spread evenly over the {len(QUERIES)} queries "
        f"(default {10 * len(QUERIES)}: 10 each)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out", help="work folder (default bench/out)")
    parser.add_argument("--seed", type=int, default=1917)
    parser.add_argument("--no-tantivy", action="store_true", help="skip the tantivy comparison")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time the database an earlier run built in --out (same --mb) instead of building and "
        "ingesting again; ingest figures are carried over from that run's json",
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="time each query by the wall clock (default) or by the CPU time of the thread running it",
    )
    args = parser.parse_args(argv)
    global CLOCK
    CLOCK = time.thread_time_ns if args.clock == "cpu" else time.perf_counter_ns

    repeat = max(1, round(args.queries / len(QUERIES)))
    tag = f"{args.mb:g}mb"
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    library, db_path, tantivy_dir = out / f"library-{tag}", out / f"search-{tag}.db", out / f"tantivy-{tag}"
    results: dict = {
        "config": {
            "mb": args.mb,
            "seed": args.seed,
            "clock": args.clock,
            "repeat_per_query": repeat,
            "limit": LIMIT,
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "machine": f"{platform.machine()}, {os.cpu_count()} cpus",
        }
    }

    previous = out / f"search-{tag}.json"
    if args.reuse and db_path.exists() and previous.exists():
        print(f"Reusing {db_path} (opening it runs any new migrations) ...", flush=True)
        earlier = json.loads(previous.read_text())
        results["library"], results["ingest"] = earlier["library"], earlier["ingest"]
        started = time.perf_counter()
        store = Store(db_path)
        results["open_seconds"] = time.perf_counter() - started
        ing = results["ingest"]
        print(f"  opened in {results['open_seconds']:.1f} s; ingest figures are from the earlier run")
    else:
        print(f"Building a {args.mb:g} MB library in {library} ...", flush=True)
        results["library"] = lib = build_library(int(args.mb * MB), library, args.seed)
        print(f"  {lib['files']} files, {mib(lib['bytes'])}, generated in {lib['seconds']:.1f} s")
        print("Ingesting with texts.ingest ...", flush=True)
        store, ing = ingest(library, db_path)
        results["ingest"] = ing
    results["sizes"] = sz = sizes(store, db_path)
    print(
        f"  {mib(ing['bytes'])} in {ing['seconds']:.1f} s: {ing['mb_per_s']:.2f} MB/s; "
        f"{sz['texts']} texts, {ing['passages']} passages, {sz['paragraphs']} paragraphs, "
        f"{ing['words']:,} words"
    )
    print(
        f"  database {mib(sz['db_bytes'])}; FTS5 index {mib(sz['fts_index_bytes'])} "
        f"({sz['method']}; paragraphs table {mib(sz['tables'].get('paragraphs'))})"
    )

    texts = [q for _, q in QUERIES]
    recorder = Recorder(store)
    for q in texts:
        recorder.record(q)
    calls = recorder.calls
    raw = RawFts(store, calls)
    counts = {q: raw.count(q) for q in texts}

    print(f"Timing {len(texts)} queries x {repeat} runs (warm) ...", flush=True)
    engines: dict[str, dict[str, list[float]]] = {}
    engines["ours"] = time_runs(lambda q: search(store, q, limit=LIMIT), texts, repeat)
    engines["match_sql"] = time_runs(matcher(store, calls), texts, repeat)
    engines["fts5_raw"] = time_runs(raw, texts, repeat)

    tv = None
    if not args.no_tantivy:
        try:
            import tantivy  # noqa: F401
        except ImportError:
            print(
                "tantivy is not installed, so there is no tantivy comparison; "
                "install it with `pip install -e '.[bench]'`."
            )
        else:
            print("Indexing the same paragraphs with tantivy ...", flush=True)
            tv = Tantivy(store, tantivy_dir)
            tv.calls = calls
            results["tantivy_index"] = {
                "seconds": tv.build_seconds,
                "bytes": tv.bytes,
                "segments": tv.segments,
            }
            print(f"  {tv.build_seconds:.1f} s, {mib(tv.bytes)}, {tv.segments} segment(s)")
            engines["tantivy"] = time_runs(tv, texts, repeat)

    overlap = {}
    if tv is not None:
        for q in texts:
            a, b = set(raw(q)), set(tv(q))
            overlap[q] = len(a & b)

    # -- tables
    per_query = []
    for cls, q in QUERIES:
        row = {
            "class": cls,
            "query": q,
            "matches": counts[q],
            "fts_calls": [{"expression": e, "limit": n} for e, _, n in calls[q]],
        }
        for name, samples in engines.items():
            row[name] = summary(samples[q])
        if overlap:
            row["top10_overlap_fts5_tantivy"] = overlap[q]
        per_query.append(row)
    results["queries"] = per_query
    results["classes"] = {name: by_class(samples) for name, samples in engines.items()}

    print()
    print(
        "Per query, p50 ms (matches = paragraphs FTS5 has to score for search()'s expression;"
        " * = search() asked FTS5 twice)"
    )
    headers = ["class", "query", "matches", "ours", "match_sql", "fts5_raw"]
    if tv:
        headers += ["tantivy", "ovl@10"]
    rows = []
    for r in per_query:
        row = [
            r["class"],
            r["query"][:42],
            f"{r['matches']}{'*' if len(r['fts_calls']) > 1 else ''}",
            r["ours"]["p50"],
            r["match_sql"]["p50"],
            r["fts5_raw"]["p50"],
        ]
        if tv:
            row += [r["tantivy"]["p50"], r["top10_overlap_fts5_tantivy"]]
        rows.append(row)
    print(table(headers, rows, "llr" + "r" * (len(headers) - 3)))

    print()
    print(
        "Per class, ms: ours = bot.search.search; match_sql = Store.match_paragraphs as search()"
        " called it; raw = rowids of the FTS5 top 10; tantivy = top 10 for the same expressions"
    )
    headers = ["class", "ours p50", "p99", "mean", "match p50", "p99", "raw p50", "p99"]
    if tv:
        headers += ["tantivy p50", "p99", "ours/tv p50", "p99"]
    rows = []
    for cls in [*CLASSES, "all"]:
        o, m, r = (results["classes"][e][cls] for e in ("ours", "match_sql", "fts5_raw"))
        row = [cls, o["p50"], o["p99"], o["mean"], m["p50"], m["p99"], r["p50"], r["p99"]]
        if tv:
            t = results["classes"]["tantivy"][cls]
            row += [t["p50"], t["p99"], _ratio(o["p50"], t["p50"]), _ratio(o["p99"], t["p99"])]
        rows.append(row)
    print(table(headers, rows))
    if tv:
        ratio = results["classes"]["ours"]["all"]["p99"] / results["classes"]["tantivy"]["all"]["p99"]
        print(
            f"\nOverall, our p99 is {ratio:.0f}x tantivy's "
            f"({results['classes']['ours']['all']['p99']:.1f} ms vs "
            f"{results['classes']['tantivy']['all']['p99']:.2f} ms)."
        )

    path = out / f"search-{tag}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"\nFigures written to {path}")
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
