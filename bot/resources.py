"""Where the files that ship with studybot live: the question templates and the bundled texts.

Both are top-level folders of the repository (`prompts/`, `corpus/`), reached from the package
through the links in `bot/data/`, so an editable install reads the repository's own files and a
wheel carries copies of them (setuptools follows the links when it builds one).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def _data(name: str) -> Path:
    return Path(str(resources.files("bot").joinpath("data", name))).resolve()


def prompts_dir() -> Path:
    """The folder of question and message templates."""
    return _data("prompts")


def bundled_corpus() -> Path:
    """The folder of texts every server's library starts with."""
    return _data("corpus")
