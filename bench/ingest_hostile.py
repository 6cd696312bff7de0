"""Ingest speed and memory for hostile shapes of text, next to normal prose, at several sizes.

    python bench/ingest_hostile.py                       # 1, 4 and 16 MB: about 4 minutes
    python bench/ingest_hostile.py --sizes 2,10,50       # the 50 MB the file limit allows
    python bench/ingest_hostile.py --code /tmp/old --timeout 120   # another checkout (before a fix)

Each run ingests one generated file into a fresh database in a fresh process (`bot.texts.ingest`,
term lists included) and prints its wall time, MB/s, peak resident memory, how long another
writer (a probe connection writing every 50 ms, as the bot's posts would) waited at most for
SQLite's lock meanwhile, and what became of the file. MB/s is by the process's CPU time, which
other work on a shared machine disturbs less than wall time. Ingest time must grow linearly
with the input: MB/s stays about level across sizes for every shape (the `lin` row is MB/s at
the largest size over MB/s at the smallest: 1.0 is linear, 1/16 quadratic over 1-16 MB).
Fixed-size bombs (YAML aliases, deep nesting, devices) are run once, for time and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
MB = 1_000_000

CHILD = r"""
import json, resource, sqlite3, sys, threading, time
from pathlib import Path
from bot import texts
from bot.store import Store
db, path = sys.argv[1], Path(sys.argv[2])
store = Store(db)
waits, done = [0.0], threading.Event()
def probe():
    conn = sqlite3.connect(db, timeout=600, isolation_level=None)
    while not done.wait(0.05):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("COMMIT")
        waits.append(time.perf_counter() - start)
threading.Thread(target=probe, daemon=True).start()
start, cpu = time.perf_counter(), time.process_time()
try:
    outcomes = [(o.status, o.message, o.passages) for o in texts.ingest(store, [path])]
except BaseException as error:
    outcomes = [("raised", f"{type(error).__name__}: {str(error)[:80]}", 0)]
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
done.set()
status, message, passages = outcomes[0]
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "wait_ms": max(waits) * 1000, "status": status, "message": message, "passages": passages}))
"""


def prose(size: int) -> str:
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    return (text * (size // len(text.encode()) + 1))[:size]


def repeated(unit: str, prefix: str = "", suffix: str = "") -> Callable[[int], str]:
    return lambda size: prefix + unit * max(1, (size - len(prefix) - len(suffix)) // len(unit.encode())) + suffix


PROSE_TAIL = prose(20_000)
SCALED: dict[str, tuple[str, Callable[[int], str], float]] = {
    # name: (suffix, make(size in bytes), scale). Shapes of many paragraphs run at 1/16 of the
    # sizes: at 1 MB they reach the 200,000 paragraphs a text may have (refusals are below).
    "prose (the bundled corpus)": (".txt", prose, 1),
    "tiny paragraphs 'Aa.\\n\\n'": (".txt", repeated("Aa.\n\n"), 1 / 16),
    "hyphen joins 'word-\\n\\n'": (".txt", repeated("word-\n\n"), 1),
    "unclosed '<!--' (.md)": (".md", repeated("<!--\n", suffix=PROSE_TAIL), 1),
    "one line 'word '": (".txt", repeated("word "), 1),
    "one line of sentences 'Aa. '": (".txt", repeated("Aa. "), 1),
    "one line of abbreviations 'Mr. '": (".txt", repeated("Mr. "), 1),
    "unclosed '[' and '](' (.md)": (".md", repeated("[ab ](x ", suffix=PROSE_TAIL), 1),
    "unclosed emphasis '_a ' (.md)": (".md", repeated("_a "), 1),
    "headings and short paragraphs (.md)": (".md", repeated("# Heading\n\nA short paragraph.\n\n"), 1 / 16),
    "lines without blank lines 'a\\n'": (".txt", repeated("a\n"), 1),
    "an e-text note, then one unbroken word (.html)": (
        ".html",
        repeated("a", prefix="<html><body><p>Produced by a volunteer.</p><p>", suffix="</p></body></html>"),
        1,
    ),
}
LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8)
)
FIXED: dict[str, tuple[str, Callable[[Path], None]]] = {
    "a million tiny paragraphs (5 MB)": (".txt", lambda p: p.write_text("Aa.\n\n" * 1_000_000)),
    "YAML aliases (billion laughs)": (".md", lambda p: p.write_text(f"---\n{LAUGHS}title: *i\n---\n{PROSE_TAIL}")),
    "YAML nested 20,000 deep": (
        ".md",
        lambda p: p.write_text(f"---\ntitle: {'[' * 20_000}{']' * 20_000}\n---\n{PROSE_TAIL}"),
    ),
    "TOML nested 20,000 deep": (
        ".md",
        lambda p: p.write_text(f"+++\ntitle = {'[' * 20_000}{']' * 20_000}\n+++\n{PROSE_TAIL}"),
    ),
    "TOML 20,000 dotted keys": (".md", lambda p: p.write_text(f"+++\n{'a.' * 20_000}b = 1\n+++\n{PROSE_TAIL}")),
    "year: .inf": (".md", lambda p: p.write_text(f"---\nyear: .inf\n---\n{PROSE_TAIL}")),
    "year = 1.5e300": (".md", lambda p: p.write_text(f"+++\nyear = 1.5e300\n+++\n{PROSE_TAIL}")),
    "symlink to /dev/zero": (".txt", lambda p: p.symlink_to("/dev/zero")),
    "symlink to /dev/urandom": (".txt", lambda p: p.symlink_to("/dev/urandom")),
    "FIFO": (".txt", lambda p: os.mkfifo(p)),
    "GB18030 Chinese": (
        ".txt",
        lambda p: p.write_bytes(("工人阶级的历史使命是建立社会主义社会。" * 3000).encode("gb18030")),
    ),
}


def run(code: Path, path: Path, work: Path, timeout: float, memory: int) -> dict:
    db = work / "bench.db"
    for stale in work.glob("bench.db*"):
        stale.unlink()  # a fresh database for every run

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(db), str(path)],
            cwd=code,
            env={**os.environ, "PYTHONPATH": str(code)},
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=bounded,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "status": "killed", "message": f"still running after {timeout:.0f} s"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"seconds": None, "status": "crashed", "message": (done.stderr.strip().splitlines() or ["?"])[-1][:100]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def describe(result: dict) -> str:
    if result["status"] in ("added", "updated", "unchanged"):
        return f"{result['status']}, {result['passages']} passages"
    return f"{result['status']}: {result['message'][:90]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,4,16", help="MB (10^6 bytes) per scaled shape, comma-separated")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose bot/ is timed")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is killed")
    parser.add_argument("--memory", type=float, default=2.0, help="address-space limit per run, GB")
    parser.add_argument("--out", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--only", help="run only shapes whose name contains this")
    args = parser.parse_args()
    sizes = [float(s) for s in args.sizes.split(",")]
    memory = int(args.memory * 1024**3)
    work = args.out or Path(tempfile.mkdtemp(prefix="ingest-hostile-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"code: {args.code}   sizes: {', '.join(f'{s:g} MB' for s in sizes)}   work: {work}\n")
    header = f"{'shape':<38} {'MB':>6} {'wall s':>7} {'cpu s':>7} {'MB/s':>6} {'peak MB':>7} {'wait ms':>7}  outcome"
    print(header + "\n" + "-" * len(header))
    for name, (suffix, make, scale) in SCALED.items():
        if args.only and args.only not in name:
            continue
        rates = []
        for size in sizes:
            path = work / f"scaled{suffix}"
            path.write_text(make(int(size * scale * MB)), encoding="utf-8")
            megabytes = path.stat().st_size / MB
            result = run(args.code, path, work, args.timeout, memory)
            path.unlink()
            if result["seconds"] is None:
                print(f"{name:<38} {megabytes:>6.2f} {'-':>7} {'-':>7} {'-':>6} {'-':>7} {'-':>7}  {describe(result)}")
                continue
            rate = megabytes / max(result["cpu"], 1e-3)
            if result["status"] != "failed":
                rates.append(rate)
            print(
                f"{name:<38} {megabytes:>6.2f} {result['seconds']:>7.2f} {result['cpu']:>7.2f} {rate:>6.2f} "
                f"{result['peak_mb']:>7.0f} {result['wait_ms']:>7.0f}  {describe(result)}"
            )
        if len(rates) >= 2:
            print(f"{'':<38} {'lin':>6} {'':>7} {'':>7} {rates[-1] / rates[0]:>6.2f}")
    print()
    for name, (suffix, make) in FIXED.items():
        if args.only and args.only not in name:
            continue
        path = work / f"fixed{suffix}"
        make(path)
        result = run(args.code, path, work, args.timeout, memory)
        path.unlink()
        seconds = f"{result['seconds']:.2f}" if result["seconds"] is not None else "-"
        peak = f"{result['peak_mb']:.0f}" if "peak_mb" in result else "-"
        print(f"{name:<38} {'':>6} {seconds:>7} {'':>7} {'':>6} {peak:>7} {'':>7}  {describe(result)}")


if __name__ == "__main__":
    main()
