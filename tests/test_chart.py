"""The progress chart: plan, posted and the median member's reads, for a group of 1 and of 500
members and a plan of 3 and of 300 passages; each image is a PNG that decodes, at its size,
with something drawn on it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image

from bot import texts
from bot.members import chart
from bot.reading import posting
from tests.helpers import TINY_PACE, at, start_plan

WORDS = "the reading group met again to talk about the passage of the day".split()


@pytest.fixture
def long_text(tiny_store, tmp_path):
    """A text of 300 one-paragraph passages, beside the tiny library (whose seeds text has 3)."""
    body = "\n\n".join(f"{' '.join(WORDS[: 8 + n % 5])} number {n}." for n in range(300))
    path = tmp_path / "long" / "long-text.md"
    path.parent.mkdir()
    path.write_text(f"---\ntitle: A Long Text\nauthor: Anon\n---\n# Part one\n\n{body}\n", encoding="utf-8")
    texts.ingest(tiny_store, [path], TINY_PACE)
    return "long-text"


def group_with(store, text: str, posts: int, members: int):
    """A daily plan with `posts` posts made; member k has read the first k % posts + 1 of them,
    an hour after each came out."""
    group = start_plan(store, text=text)
    made = []
    for n in range(posts):
        moment = at(4, 9) + timedelta(days=n)
        for due in posting.claim_due_posts(store, moment):
            posting.complete(store, due.delivery, 1000 + n, None, moment)
            made.append((due.delivery, moment))
    for k in range(members):
        for delivery, moment in made[: k % posts + 1]:
            store.mark_read(
                group.id,
                5000 + k,
                group.text_id,
                delivery.first_ordinal,
                delivery.last_ordinal,
                moment + timedelta(hours=1),
            )
    return store.get_group(group.id), at(4, 12) + timedelta(days=posts - 1)


def check_png(png: bytes) -> None:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes the whole image
    assert image.format == "PNG" and image.size == (int(chart.SIZE[0] * chart.DPI), int(chart.SIZE[1] * chart.DPI))
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20  # lines, text and a legend, not a blank page
    assert 5_000 < len(png) < 500_000


@pytest.mark.parametrize("members", [1, 500])
@pytest.mark.parametrize("text,posts", [("gardener-seeds", 3), ("long-text", 300)])
def test_the_chart_renders_for_small_and_large_groups_and_plans(tiny_store, long_text, members, text, posts):
    group, now = group_with(tiny_store, text, posts, members)
    data = chart.chart_data(tiny_store, group, now)
    assert data.members == members and data.total == posts
    assert data.posted[-1] == posts and data.plan[-1] == posts
    assert len(data.posted) == len(data.median_read) == posts
    expected_median = sorted(k % posts + 1 for k in range(members))[(members - 1) // 2 : members // 2 + 1]
    assert data.median_read[-1] == sum(expected_median) / len(expected_median)
    check_png(chart.draw(data))


def test_a_plan_not_yet_posted_still_draws(tiny_store):
    group = start_plan(tiny_store, text="gardener-seeds")
    data = chart.chart_data(tiny_store, group, at(4, 8))
    assert data.members == 0 and data.posted == (0,) and data.plan[-1] == 3
    check_png(chart.draw(data))
