"""Start the bot for `studybot run`, turning start-up failures into one sentence each."""

from __future__ import annotations

import logging

import discord

from bot.adapter.client import StudyBot
from bot.adapter.endpoints import point_discord_at
from bot.config import Settings
from bot.errors import ConfigError
from bot.service import Lease
from bot.shards import EVERY_SHARD, Cluster
from bot.store import Store

log = logging.getLogger(__name__)


def run_bot(settings: Settings, store: Store, lease: Lease | None = None, cluster: Cluster = EVERY_SHARD) -> bool:
    """Run until stopped; True when SIGTERM stopped it (the caller, once it has cleaned up, ends
    the process by that signal, as a supervisor expects)."""
    point_discord_at(settings.discord_api_base, settings.discord_gateway_url)
    discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice is used
    token = settings.discord_token
    if not token:
        raise ConfigError("No DISCORD_TOKEN is set; put the bot's token in .env (see .env.example and the README).")
    bot = StudyBot(
        store,
        llm=settings.llm,
        lease=lease,
        stop_on_sigterm=True,
        health_file=settings.health_file,
        limits=settings.library,
        cluster=cluster,
    )
    try:
        # log_handler=None: logging is already set up, and discord.py must not print the token.
        bot.run(token, log_handler=None)
    except discord.LoginFailure as error:
        raise ConfigError(
            "Discord rejected the token; copy a fresh one from the Developer Portal (Bot > Reset Token) into DISCORD_TOKEN in .env."
        ) from error
    except discord.PrivilegedIntentsRequired as error:
        raise ConfigError(
            "Discord refused the connection over privileged intents; studybot needs none, so check the token belongs to this bot."
        ) from error
    except (OSError, discord.GatewayNotFound) as error:
        raise ConfigError(
            f"Could not reach Discord ({error.__class__.__name__}); check the network, or DISCORD_API_BASE and DISCORD_GATEWAY_URL if set."
        ) from error
    if lease is not None and lease.lost.is_set():
        raise lease.lost_error()
    return bot.terminated
