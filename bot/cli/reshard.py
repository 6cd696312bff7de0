"""`studybot reshard`: move servers to the databases of a new shard layout (bot/service/reshard.py).
Registered on the main group in bot/cli/__init__.py."""

from __future__ import annotations

from pathlib import Path

import click

from bot.service.reshard import reshard as move_servers
from bot.shards import MAX_SHARD_COUNT, run_options


@click.command("reshard")
@click.option(
    "--from",
    "sources",
    multiple=True,
    required=True,
    metavar="DB",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A database of the current layout (repeat it for each cluster's).",
)
@click.option(
    "--to-dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to make the new databases (nothing there is overwritten).",
)
@click.option(
    "--shard-count", required=True, type=click.IntRange(1, MAX_SHARD_COUNT), metavar="N", help="The new shard count."
)
@click.option(
    "--shards-per-cluster",
    default=1,
    show_default=True,
    type=click.IntRange(1, MAX_SHARD_COUNT),
    metavar="K",
    help="Shards each new cluster (process) runs: one database per cluster.",
)
def reshard(sources: tuple[Path, ...], to_dir: Path, shard_count: int, shards_per_cluster: int) -> None:
    """Copy every server's rows into the database of the cluster that owns it under a new shard
    count, and check them (the sources are left as they were). Stop the bot first."""
    made = move_servers(list(sources), to_dir, shard_count, shards_per_cluster, progress=click.echo)
    servers = sum(m.servers for m in made)
    click.echo(f"Moved {servers} servers into {len(made)} databases in {to_dir}; every server's rows checked.")
    renumbered = sum(m.renumbered for m in made)
    if renumbered:
        click.echo(
            f"{renumbered} posts, groups or suggestions clashed with another source's ids and were numbered anew: "
            "the buttons on those old posts are refused with a sentence (they name another server's post); "
            "members use /today instead."
        )
    click.echo("Start each cluster on its database:")
    for m in made:
        click.echo(f"  studybot --db {m.path} run {run_options(m.cluster)}")
