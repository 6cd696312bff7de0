"""Settings from the environment and `.env`. Read once at start-up, passed down as a value."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

from bot.llm import LlmConfig, llm_config_from_env

DEFAULT_DB = "studybot.db"
DEFAULT_CORPUS = "corpus"


@dataclass(frozen=True)
class Settings:
    db_path: str = DEFAULT_DB
    corpus_dir: str = DEFAULT_CORPUS
    discord_token: str | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    log_level: str = "INFO"
    llm: LlmConfig | None = None
    """The optional language model that writes discussion questions."""

    def __repr__(self) -> str:  # the token never reaches a log, not even by repr()
        token = "set" if self.discord_token else "unset"
        return f"Settings(db_path={self.db_path!r}, corpus_dir={self.corpus_dir!r}, discord_token={token})"


def load_settings(env_file: str | Path | None = None) -> Settings:
    """Environment variables win over `.env`, which wins over the defaults."""
    load_dotenv(env_file or Path.cwd() / ".env", override=False)
    env = os.environ
    return Settings(
        db_path=env.get("STUDYBOT_DB") or DEFAULT_DB,
        corpus_dir=env.get("STUDYBOT_CORPUS") or DEFAULT_CORPUS,
        discord_token=(env.get("DISCORD_TOKEN") or "").strip() or None,
        discord_api_base=env.get("DISCORD_API_BASE") or None,
        discord_gateway_url=env.get("DISCORD_GATEWAY_URL") or None,
        log_level=(env.get("STUDYBOT_LOG_LEVEL") or "INFO").upper(),
        llm=llm_config_from_env(env),
    )
