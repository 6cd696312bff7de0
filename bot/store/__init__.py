"""The SQLite store: schema, migrations and every query. Only this package writes SQL.

`Store` opens a database (a writer, or `readonly=True` for commands that only look);
`check_database` and `repair_database` are `studybot doctor`.
"""

from bot.store.additions import LibraryChange, apply_counts
from bot.store.database import MAX_ID, Store
from bot.store.doctor import Checkup, Finding
from bot.store.doctor import check as check_database
from bot.store.doctor import repair as repair_database
from bot.store.texts import utcnow_text

__all__ = [
    "MAX_ID",
    "Checkup",
    "Finding",
    "LibraryChange",
    "Store",
    "apply_counts",
    "check_database",
    "repair_database",
    "utcnow_text",
]
