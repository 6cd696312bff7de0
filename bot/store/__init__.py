"""The SQLite store: schema, migrations and every query. Only this package writes SQL.

`Store` opens a database (a writer, or `readonly=True` for commands that only look);
`check_database` and `repair_database` are `studybot doctor`, `back_up` is `studybot backup`;
`LeaseBook` keeps the writer's lease.
"""

from bot.store.additions import LibraryChange, apply_counts
from bot.store.backup import BackupMade, back_up
from bot.store.database import MAX_ID, Store, busy, closed
from bot.store.doctor import Checkup, Finding
from bot.store.doctor import check as check_database
from bot.store.doctor import repair as repair_database
from bot.store.lease import Claimant, Holder, LeaseBook, read_lease_holder
from bot.store.texts import utcnow_text
from bot.store.turns import ingest_turn

__all__ = [
    "MAX_ID",
    "BackupMade",
    "Checkup",
    "Claimant",
    "Finding",
    "Holder",
    "LeaseBook",
    "LibraryChange",
    "Store",
    "apply_counts",
    "back_up",
    "busy",
    "closed",
    "check_database",
    "ingest_turn",
    "read_lease_holder",
    "repair_database",
    "utcnow_text",
]
