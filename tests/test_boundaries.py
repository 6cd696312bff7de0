"""The core never imports discord; only bot/adapter does."""

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_core_modules_do_not_import_discord():
    core = [p for p in BOT.rglob("*.py") if "adapter" not in p.parts]
    assert core
    offenders = [p.name for p in core if "discord" in imported_modules(p)]
    assert offenders == []


def test_only_the_store_writes_sql():
    keywords = ("INSERT INTO", "INSERT OR", "UPDATE ", "DELETE FROM", "CREATE TABLE", "CREATE VIRTUAL", "PRAGMA ")
    offenders = [
        p.name
        for p in BOT.rglob("*.py")
        if "store" not in p.relative_to(BOT).parts and any(k in p.read_text() for k in keywords)
    ]
    assert offenders == []
