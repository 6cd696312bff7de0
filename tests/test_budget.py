"""The request budget: requests start one at a time on a grid, RATE a second, whoever asks; a
late one does not slow the rest, an idle spell is never made up by a burst; answers to
interactions and the gateway are not counted. (Timings here are bounds a loaded machine meets;
speed itself is measured in bench/daily_posts.py.)"""

from __future__ import annotations

import asyncio
import time

from bot.adapter.budget import GLOBAL_LIMIT, RATE, RequestBudget, counted


async def starts(budget: RequestBudget, count: int) -> list[float]:
    moments: list[float] = []

    async def one() -> None:
        await budget.spend()
        moments.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(count)))
    return sorted(moments)


def most_in_any_window(moments: list[float], width: float) -> int:
    return max(sum(1 for m in moments if start <= m < start + width) for start in moments)


async def test_requests_asked_all_at_once_start_on_the_budgets_grid():
    budget = RequestBudget(rate=100)
    moments = await starts(budget, 40)
    assert budget.spent == 40
    assert moments[-1] - moments[0] >= 39 * budget.interval * 0.99  # never faster than the rate
    assert most_in_any_window(moments, 0.1) <= 10 + 2


async def test_an_idle_budget_does_not_save_up_a_burst():
    budget = RequestBudget(rate=50)
    await starts(budget, 5)
    await asyncio.sleep(0.3)  # idle: fifteen turns unused
    moments = await starts(budget, 10)
    gaps = [b - a for a, b in zip(moments, moments[1:])]
    assert min(gaps) >= budget.interval * 0.5, gaps


def test_the_budget_leaves_a_margin_under_discords_global_limit():
    assert RATE < GLOBAL_LIMIT and RATE >= GLOBAL_LIMIT * 0.9


def test_interaction_answers_and_the_gateway_are_not_counted():
    api = "https://discord.com/api/v10"
    assert counted(f"{api}/channels/1/messages")
    assert counted(f"{api}/channels/1/messages/2/threads")
    assert not counted(f"{api}/interactions/3/token/callback")
    assert not counted(f"{api}/webhooks/4/token/messages/@original")
    assert not counted("wss://gateway.discord.gg/?v=10", upgrade=True)
