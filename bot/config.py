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


MIB = 1024 * 1024


@dataclass(frozen=True)
class LibraryLimits:
    """What organisers may add to their server's library from Discord (/library add)."""

    upload_bytes: int = 25 * MIB
    """The largest attachment or page read: Discord's own limit for a bot's server by default."""
    server_texts: int = 20
    """Texts a server may hold of its own (the shared ones do not count)."""
    server_bytes: int = 50 * MIB
    """Their text, in UTF-8 bytes (an EPUB or PDF counts for the text read from it)."""
    fetch_allow_hosts: frozenset[str] = frozenset()
    """Hosts `/library add url:` may fetch although they are not public (tests only)."""


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
    library: LibraryLimits = LibraryLimits()
    """Bounds of what organisers add from Discord."""

    def __repr__(self) -> str:  # the token never reaches a log, not even by repr()
        token = "set" if self.discord_token else "unset"
        return f"Settings(db_path={self.db_path!r}, corpus_dir={self.corpus_dir!r}, discord_token={token})"


def load_settings(env_file: str | Path | None = None) -> Settings:
    """Environment variables win over `.env`, which wins over the defaults."""
    load_dotenv(env_file or Path.cwd() / ".env", override=False)
    env = os.environ
    allow_hosts = frozenset(
        h.strip().lower() for h in (env.get("STUDYBOT_FETCH_ALLOW_HOSTS") or "").split(",") if h.strip()
    )
    return Settings(
        db_path=env.get("STUDYBOT_DB") or DEFAULT_DB,
        corpus_dir=env.get("STUDYBOT_CORPUS") or str(bundled_corpus()),
        discord_token=(env.get("DISCORD_TOKEN") or "").strip() or None,
        discord_api_base=env.get("DISCORD_API_BASE") or None,
        discord_gateway_url=env.get("DISCORD_GATEWAY_URL") or None,
        log_level=(env.get("STUDYBOT_LOG_LEVEL") or "INFO").upper(),
        llm=llm_config_from_env(env),
        health_file=env.get("STUDYBOT_HEALTH_FILE") or None,
        fetch_allow_hosts=allow_hosts,
        library=LibraryLimits(
            upload_bytes=_megabytes(env, "STUDYBOT_UPLOAD_MB", LibraryLimits.upload_bytes),
            server_texts=_number(env, "STUDYBOT_SERVER_TEXTS", LibraryLimits.server_texts),
            server_bytes=_megabytes(env, "STUDYBOT_SERVER_MB", LibraryLimits.server_bytes),
            fetch_allow_hosts=allow_hosts,
        ),
    )


def _number(env: Mapping[str, str], name: str, default: int, scale: int = 1) -> int:
    """A positive whole number from the environment (times `scale`); the default, with a
    warning, when it is not one."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
        if not 0 < value <= 10**6:
            raise ValueError
    except ValueError:
        log.warning("%s=%r is not a positive number; using %s", name, raw, default // scale)
        return default
    return int(value * scale)


def _megabytes(env: Mapping[str, str], name: str, default: int) -> int:
    return _number(env, name, default, scale=MIB)


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
