"""The fake's own smoke tests use its fixtures."""

from tests.fake_discord.fixtures import fake_discord, start_client  # noqa: F401  (pytest fixtures)
