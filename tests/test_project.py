"""The promises the README makes about setting up and testing."""

from tests.conftest import ROOT


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    return [line.strip() for line in block.strip().splitlines()]


def test_readme_opens_with_two_commands_run_and_test():
    run, test = readme_commands()
    assert run.endswith("studybot run")
    assert test.endswith("pytest")


def test_ci_runs_the_readme_test_command():
    _, test = readme_commands()
    assert test in (ROOT / ".ci" / "run").read_text()


def test_ci_lints_formats_and_type_checks_before_the_tests():
    _, test = readme_commands()
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    checks = [".venv/bin/ruff check .", ".venv/bin/ruff format --check .", ".venv/bin/mypy"]
    install = test.rsplit(" && ", 1)[0]
    places = [lines.index(step) for step in [install, *checks, test]]
    assert places == sorted(places)


def test_env_example_names_every_setting_and_no_token():
    example = (ROOT / ".env.example").read_text()
    for name in ("DISCORD_TOKEN=", "STUDYBOT_DB=", "STUDYBOT_CORPUS=", "DISCORD_API_BASE"):
        assert name in example
    token_line = next(line for line in example.splitlines() if line.startswith("DISCORD_TOKEN="))
    assert token_line == "DISCORD_TOKEN="


def test_readme_layout_names_every_package_and_module_of_bot():
    layout = (ROOT / "README.md").read_text().split("## Layout", 1)[1].split("```", 2)[1]
    bot = ROOT / "bot"
    packages = [p.name + "/" for p in bot.iterdir() if (p / "__init__.py").exists()]
    modules = [p.name for p in bot.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert packages and modules
    missing = [name for name in packages + modules if name not in layout]
    assert missing == []


def test_every_feature_package_states_its_public_api():
    for package in ("texts", "search", "questions", "reading", "terms", "store"):
        init = ROOT / "bot" / package / "__init__.py"
        assert init.read_text().lstrip().startswith('"""'), f"bot/{package}/__init__.py has no docstring"
