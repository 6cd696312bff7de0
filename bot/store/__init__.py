"""The SQLite store: schema, migrations and every query. Only this package writes SQL."""

from bot.store.database import Store
from bot.store.texts import utcnow_text
from bot.store.turns import ingest_turn

__all__ = ["Store", "ingest_turn", "utcnow_text"]
