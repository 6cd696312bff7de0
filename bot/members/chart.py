"""The group's progress as a picture: the plan, the passages posted, and the median member's
reads, day by day. Drawn with matplotlib's Agg renderer (no display, no global pyplot state, so
safe on the core's threads); imported when first drawn, since it takes a second to load."""

from __future__ import annotations

import bisect
import io
import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.models import DeliveryStatus, Group
from bot.reading.plans import schedule_of
from bot.store import Store

MAX_DAYS = 3 * 366
"""The longest span drawn (a plan of 1,000 passages at one a day): a point a day."""
SIZE = (9.0, 4.5)
DPI = 100


@dataclass(frozen=True)
class ChartData:
    title: str
    total: int
    """Passages in the text."""
    days: tuple[date, ...]
    plan: tuple[int, ...]
    """Passages the plan has scheduled by each day (every post day posting)."""
    posted: tuple[int, ...]
    """Passages posted by each day (up to today)."""
    median_read: tuple[float, ...]
    """The median member's passages read by each day (up to today)."""
    members: int


def chart_data(store: Store, group: Group, now: datetime) -> ChartData:
    """The series, from the first post to the plan's end (or today, if later)."""
    text = store.get_text(group.text_id)
    posts = store.deliveries_of(group.id, DeliveryStatus.POSTED)
    schedule = schedule_of(group)
    zone = ZoneInfo(group.timezone)
    today = schedule.local_date(now)
    start = posts[0].local_date if posts else today
    first = posts[0].first_ordinal if posts else group.next_ordinal
    days: list[date] = []
    plan: list[int] = []
    scheduled = first - 1
    day = start
    while len(days) < MAX_DAYS and (scheduled < text.passage_count or day <= today):
        if schedule.is_post_day(day):
            scheduled = min(text.passage_count, scheduled + group.pace)
        days.append(day)
        plan.append(scheduled)
        day += timedelta(days=1)
    posted_by: dict[date, int] = {}
    count = 0
    for post in posts:
        count += post.last_ordinal - post.first_ordinal + 1
        posted_by[post.local_date] = count
    posted, running = [], 0
    for day in days:
        if day > today:
            break
        running = posted_by.get(day, running)
        posted.append(running)
    reads = store.group_read_times(group.id)
    ends = [datetime.combine(d, time.max, tzinfo=zone) for d in days[: len(posted)]]
    median_read = [
        float(statistics.median(bisect.bisect_right(times, end) for times in reads.values())) if reads else 0.0
        for end in ends
    ]
    return ChartData(
        title=text.meta.title,
        total=text.passage_count,
        days=tuple(days),
        plan=tuple(plan),
        posted=tuple(posted),
        median_read=tuple(median_read),
        members=len(reads),
    )


def draw(data: ChartData) -> bytes:
    """A PNG of the chart."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE, dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    days = date2num(list(data.days))
    axes.plot(days, data.plan, linestyle="--", color="#9aa5ad", label="plan")
    done = days[: len(data.posted)]
    axes.step(done, data.posted, where="post", color="#5b7f95", linewidth=2, label="posted")
    who = "member" if data.members == 1 else f"median of {data.members} members"
    axes.step(done, data.median_read, where="post", color="#c9733d", linewidth=2, label=f"read ({who})")
    axes.set_ylim(0, max(1, data.total) * 1.05)
    axes.set_ylabel("passages")
    axes.set_title(data.title if len(data.title) <= 70 else data.title[:69] + "…", fontsize=11)
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.xaxis_date()
    axes.grid(alpha=0.3)
    axes.legend(loc="upper left", fontsize=9)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
