"""Reading deploy/: the systemd unit's fields, the Dockerfile's instructions and what
.dockerignore leaves out of the build context (tests/test_deploy.py, tests/e2e/test_deploy_start.py)."""

from __future__ import annotations

import configparser
import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "studybot.service"
DOCKERFILE = ROOT / "deploy" / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"


def unit_sections(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True, delimiters=("=",), comment_prefixes=("#",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  (systemd keys are case-sensitive)
    parser.read_string(text)
    return parser


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments left out."""
    found, pending = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        pending += " " + stripped.removesuffix("\\").strip()
        if not stripped.endswith("\\"):
            keyword, _, rest = pending.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
            pending = ""
    return found


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves `path` out of the build context: the last pattern matching it or one
    of its folders decides, `!` letting it back in."""
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    verdict = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        body = pattern.removeprefix("!").rstrip("/")
        bodies = [body, body.removeprefix("**/")] if body.startswith("**/") else [body]
        if any(
            fnmatch.fnmatchcase(c, b) or (b != body and fnmatch.fnmatchcase(c.rsplit("/", 1)[-1], b))
            for c in candidates
            for b in bodies
        ):
            verdict = not keep
    return verdict


def dockerignore_patterns() -> list[str]:
    return [line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Launch:
    """How a deploy file starts studybot: the command, the environment it sets, where it runs,
    and the command a supervisor runs to check it (the Dockerfile's HEALTHCHECK)."""

    argv: list[str]
    env: dict[str, str]
    workdir: str
    health: list[str] | None = None


def unit_launch() -> Launch:
    service = unit_sections(UNIT.read_text())["Service"]
    env = dict(pair.split("=", 1) for pair in service["Environment"].split())
    return Launch(service["ExecStart"].split(), env, service["WorkingDirectory"])


def docker_launch() -> Launch:
    steps = instructions(DOCKERFILE.read_text())
    env = dict(pair.split("=", 1) for kind, args in steps if kind == "ENV" for pair in args.split())
    workdir = [args for kind, args in steps if kind == "WORKDIR"][-1]
    health = json.loads(dict(steps)["HEALTHCHECK"].split("CMD", 1)[1])
    return Launch(json.loads(dict(steps)["CMD"]), env, workdir, health)


def relocated(launch: Launch, root: Path, programs: Path) -> Launch:
    """The launch with every absolute path it names moved under `root` (folders made), and a
    program given by absolute path taken from `programs` (this checkout's venv)."""

    def move(value: str) -> str:
        if not value.startswith("/"):
            return value
        moved = root / value.lstrip("/")
        (moved if "." not in moved.name else moved.parent).mkdir(parents=True, exist_ok=True)
        return str(moved)

    program, *args = launch.argv
    program = str(programs / Path(program).name) if program.startswith("/") else program
    return Launch([program, *args], {k: move(v) for k, v in launch.env.items()}, move(launch.workdir), launch.health)
