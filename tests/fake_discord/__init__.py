"""A loopback fake of Discord's gateway and REST API for end-to-end tests of studybot.

The real, unmodified discord.py client connects to it over 127.0.0.1; tests then act as
Discord's users (``invoke_slash``, ``click``, ``submit_modal``, ``send_user_message``), break
things (``fail_next``, ``set_bot_can_send``, ``delete_channel``, ``drop_gateway``) and look at
the result (``messages``, ``threads``, ``commands``, ``requests``, interaction handles).

    async with FakeDiscord() as fake, run_client(fake, client):
        handle = await fake.invoke_slash(fake.world.guild_id, fake.world.general.id,
                                         fake.world.reader.id, 'ping')
        assert (await handle.response())['data']['content'] == 'pong'
"""

from .errors import ApiError
from .faults import Fault, Window
from .harness import FAST_CLIENT_OPTIONS, env_for, point_client_at, run_client
from .interactions import InteractionHandle
from .rest import RecordedRequest
from .server import FakeDiscord, WaitTimeout
from .world import World

__all__ = [
    "ApiError",
    "FAST_CLIENT_OPTIONS",
    "FakeDiscord",
    "Fault",
    "InteractionHandle",
    "RecordedRequest",
    "WaitTimeout",
    "Window",
    "World",
    "env_for",
    "point_client_at",
    "run_client",
]
