"""Settings from the environment and `.env`. Read once at start-up, passed down as a value."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

from bot.resources import bundled_corpus

log = logging.getLogger(__name__)
DEFAULT_LLM_TIMEOUT = 30.0

DEFAULT_DB = "studybot.db"


@dataclass(frozen=True)
class LlmConfig:
    """The optional language model that writes discussion questions (bot/llm.py)."""

    url: str
    """The chat-completions endpoint; a base URL ending in /v1 gets /chat/completions added."""
    model: str
    timeout: float = DEFAULT_LLM_TIMEOUT
    api_key: str | None = None

    def __repr__(self) -> str:  # the key never reaches a log
        key = "set" if self.api_key else "unset"
        return f"LlmConfig(url={self.url!r}, model={self.model!r}, timeout={self.timeout}, api_key={key})"

    @property
    def endpoint(self) -> str:
        url = self.url.rstrip("/")
        return url if url.endswith("/chat/completions") else url + "/chat/completions"


@dataclass(frozen=True)
class Settings:
    db_path: str = DEFAULT_DB
    corpus_dir: str = field(default_factory=lambda: str(bundled_corpus()))
    """The folder `run` and `ingest` load: the bundled texts unless STUDYBOT_CORPUS names another."""
    discord_token: str | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    log_level: str = "INFO"
    llm: LlmConfig | None = None
    """The optional language model that writes discussion questions."""
    health_file: str | None = None
    """Where `studybot run` keeps its health status for a supervisor (`studybot health` reads it)."""
    fetch_allow_hosts: frozenset[str] = frozenset()
    """Hosts or addresses that `ingest URL` may fetch although they are not public. Tests set it
    (STUDYBOT_FETCH_ALLOW_HOSTS=127.0.0.1) to reach a loopback server; production leaves it empty."""

    def __repr__(self) -> str:  # the token never reaches a log, not even by repr()
        token = "set" if self.discord_token else "unset"
        return f"Settings(db_path={self.db_path!r}, corpus_dir={self.corpus_dir!r}, discord_token={token})"


def load_settings(env_file: str | Path | None = None) -> Settings:
    """Environment variables win over `.env`, which wins over the defaults."""
    load_dotenv(env_file or Path.cwd() / ".env", override=False)
    env = os.environ
    return Settings(
        db_path=env.get("STUDYBOT_DB") or DEFAULT_DB,
        corpus_dir=env.get("STUDYBOT_CORPUS") or str(bundled_corpus()),
        discord_token=(env.get("DISCORD_TOKEN") or "").strip() or None,
        discord_api_base=env.get("DISCORD_API_BASE") or None,
        discord_gateway_url=env.get("DISCORD_GATEWAY_URL") or None,
        log_level=(env.get("STUDYBOT_LOG_LEVEL") or "INFO").upper(),
        llm=llm_config_from_env(env),
        health_file=env.get("STUDYBOT_HEALTH_FILE") or None,
        fetch_allow_hosts=frozenset(
            h.strip().lower() for h in (env.get("STUDYBOT_FETCH_ALLOW_HOSTS") or "").split(",") if h.strip()
        ),
    )


def llm_config_from_env(env: Mapping[str, str]) -> LlmConfig | None:
    """The model settings, or None when no model is configured (the URL or the model unset)."""
    url = (env.get("STUDYBOT_LLM_URL") or "").strip()
    model = (env.get("STUDYBOT_LLM_MODEL") or "").strip()
    if not url or not model:
        if url or model:
            log.warning("STUDYBOT_LLM_URL and STUDYBOT_LLM_MODEL must both be set; not using a model")
        return None
    timeout = DEFAULT_LLM_TIMEOUT
    raw_timeout = (env.get("STUDYBOT_LLM_TIMEOUT") or "").strip()
    if raw_timeout:
        try:
            timeout = float(raw_timeout)
            if not 0 < timeout <= 600:
                raise ValueError
        except ValueError:
            log.warning(
                "STUDYBOT_LLM_TIMEOUT=%r is not a number of seconds (0-600); using %s", raw_timeout, DEFAULT_LLM_TIMEOUT
            )
            timeout = DEFAULT_LLM_TIMEOUT
    api_key = (env.get("STUDYBOT_LLM_API_KEY") or "").strip() or None
    return LlmConfig(url=url, model=model, timeout=timeout, api_key=api_key)
