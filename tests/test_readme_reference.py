"""The README's command reference and the CLI agree: every command and option a heading shows
exists, every command has a section, and every option of a command is mentioned in its section."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperGroup

from minsheng_cli.cli.app import app

README = Path(__file__).resolve().parent.parent / "README.md"
HEADING = re.compile(r"^### (.*`minsheng .*)$", re.MULTILINE)
SIGNATURE = re.compile(r"`minsheng ((?:rollup )?\w[\w-]*)([^`]*)`")
"""`minsheng NAME …`, and for a group's command `minsheng rollup NAME …`."""
OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
ALWAYS = {"--help"}


def commands() -> dict[str, Any]:
    """The app's commands by name, as Click (Typer's) sees them; a group's as "GROUP NAME"."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        if isinstance(command, TyperGroup):
            found.update({f"{name} {sub}": c for sub, c in command.commands.items()})
        else:
            found[name] = command
    return found


def options_of(command: Any) -> set[str]:
    return {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}


def sections() -> dict[str, tuple[str, str]]:
    """Each command's README section: its heading's signature and the section's whole text."""
    text = README.read_text(encoding="utf-8")
    found: dict[str, tuple[str, str]] = {}
    headings = list(HEADING.finditer(text))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        following = text.find("\n## ", heading.end())
        if following != -1:
            end = min(end, following)
        for name, signature in SIGNATURE.findall(heading.group(1)):
            found[name] = (signature, text[heading.start() : end])
    return found


def test_every_command_has_a_section() -> None:
    missing = sorted(set(commands()) - set(sections()))
    assert not missing, f"commands without a `### minsheng NAME …` section in the README: {missing}"


def test_every_section_names_a_command_that_exists() -> None:
    unknown = sorted(set(sections()) - set(commands()))
    assert not unknown, f"README sections for commands the CLI does not have: {unknown}"


def test_every_option_in_a_heading_exists() -> None:
    known = commands()
    wrong = [
        f"{name} {option}"
        for name, (signature, _text) in sections().items()
        if name in known
        for option in OPTION.findall(signature)
        if option not in options_of(known[name])
    ]
    assert not wrong, f"options the README shows that the command does not have: {wrong}"


def test_every_option_is_mentioned_in_its_section() -> None:
    """An option counts as mentioned under any of its names (-o or --output)."""
    written = sections()
    unmentioned = [
        f"{name} {'/'.join(param.opts)}"
        for name, command in commands().items()
        if name in written
        for param in command.params
        if param.opts
        and param.opts[0].startswith("-")
        and not set(param.opts) & ALWAYS
        and not any(mentioned(option, written[name][1]) for option in param.opts)
    ]
    assert not unmentioned, f"options missing from their README section: {unmentioned}"


def mentioned(option: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text) is not None


def test_the_console_scripts_map_of_commands_is_what_the_modules_define() -> None:
    """The console script imports only the module of the command it runs (COMMAND_MODULES):
    a command missing from the map would still run, but only after importing every module."""
    import importlib

    from minsheng_cli.cli.app import COMMAND_MODULES, command_name

    def names(module: str) -> tuple[str, ...]:
        defined = importlib.import_module(f"minsheng_cli.cli.{module}").commands
        return (
            *(command_name(c) for c in defined.registered_commands),
            *(str(g.name) for g in defined.registered_groups),
        )

    defined = {module: names(module) for module in COMMAND_MODULES}
    assert {m: sorted(n) for m, n in defined.items()} == {
        m: sorted(n) for m, n in COMMAND_MODULES.items()
    }
    top = {name.split()[0] for name in commands()}
    assert sorted(top) == sorted(n for names in COMMAND_MODULES.values() for n in names)
