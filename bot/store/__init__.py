"""The SQLite store: schema, migrations and every query. Only this package writes SQL."""

from bot.store.database import Store
from bot.store.texts import utcnow_text

__all__ = ["Store", "utcnow_text"]
