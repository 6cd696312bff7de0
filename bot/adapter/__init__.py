"""The Discord adapter: turns Discord interactions into core calls and replies into messages.

No SQL and no text processing here; see bot/commands.py for what each command does.
"""
