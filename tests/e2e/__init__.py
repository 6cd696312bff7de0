"""End-to-end tests: the real discord.py client against tests.fake_discord."""
