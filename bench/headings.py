"""How heal's heading pass (bot/texts/headings.py) scales: time to heal texts of growing size,
real and built to be hard (all headings, all marks, one long contents list, place-and-date
lines), at 1x, 4x and 16x. Linear means the 16x time is about 16 times the 1x time.

    python bench/headings.py
    python bench/headings.py --repeat 5
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.texts.heal import heal  # noqa: E402

PROSE = "The river rose in the spring and the mills along its banks stood idle for a month.\n\n"
CORPUS = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt")))

INPUTS: dict[str, Callable[[int], str]] = {
    "bundled corpus": lambda k: CORPUS * k,
    "gutenberg book": lambda k: (
        "THE MILLS\n\nBY\n\nJANE HOLLOWAY\n\n\n\nCONTENTS\n\n"
        + "".join(f"CHAPTER {n}. THE PART {n}\n\n" for n in range(1, 40 * k))
        + "".join(f"CHAPTER {n}.\n\n\nTHE PART {n}.\n\n" + PROSE * 20 for n in range(1, 40 * k))
    ),
    "headings only": lambda k: "A TITLE IN CAPITALS\n\n" * (5000 * k) + PROSE,
    "bare marks": lambda k: "CHAPTER IV.\n\n" * (5000 * k) + PROSE,
    "one long contents": lambda k: "CONTENTS\n\n" + "CHAPTER I. A PART\n" * (10000 * k) + "\n" + PROSE,
    "place and date lines": lambda k: (PROSE + "London, May 1, 1850\n\n") * (2500 * k),
}


def timed(text: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        heal(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the best is shown (default 3)")
    args = parser.parse_args()
    print(f"{'input':22} {'MB at 1x':>9} {'1x ms':>9} {'4x ms':>9} {'16x ms':>9} {'16x/1x':>7}")
    for name, build in INPUTS.items():
        size = len(build(1).encode()) / 1e6
        times = [timed(build(k), args.repeat) * 1000 for k in (1, 4, 16)]
        print(f"{name:22} {size:9.2f} {times[0]:9.1f} {times[1]:9.1f} {times[2]:9.1f} {times[2] / times[0]:7.1f}")


if __name__ == "__main__":
    main()
