"""The Typer app: global options, the commands of each module, and the one error path.

Every error the project raises (``errors``) becomes a message and an exit code in
``report_error``, called from ``MinshengGroup.invoke`` and nowhere else; any other exception is a
bug, said as such (exit 70).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from difflib import get_close_matches
from typing import Annotated, Any

import typer
from typer._click import Context as ClickContext
from typer._click import HelpFormatter
from typer._click.core import Command, Parameter
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    ClickException,
    MissingParameter,
    NoSuchOption,
)
from typer._click.types import FloatParamType, IntParamType
from typer.core import TyperGroup

from minsheng_cli.cli.common import Context, say
from minsheng_cli.cli.options import DirectoryOption, LangOption
from minsheng_cli.errors import (
    EXIT_INTERNAL,
    EXIT_PROBLEMS,
    LedgerProblems,
    MinshengError,
    UsageError,
)
from minsheng_cli.i18n import _, ngettext, set_language


def report_error(error: MinshengError) -> int:
    """The one place an error of the project's becomes words on stderr; returns its exit code."""
    if isinstance(error, LedgerProblems):
        for problem in error.problems:
            say(problem.render(error.root), err=True)
        say(
            ngettext(
                "{count} problem in the ledger; fix it, then run `minsheng check`",
                "{count} problems in the ledger; fix them, then run `minsheng check`",
                len(error.problems),
            ).format(count=len(error.problems)),
            err=True,
        )
        return error.exit_code
    say(_("error: {message}").format(message=error.message), err=True)
    return error.exit_code


class HelpInOurLanguage(HelpFormatter):
    """Click's own words in --help (Usage, Options, Commands, Arguments, the help option's
    line, env var, default, required) in the interface's language, like the rest of the page.
    Click writes them in English (Typer passes them through the default gettext domain, which
    follows neither --lang nor our catalog), so they are put in our words as they are written."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _("Usage: ") if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        title = _("{heading}:").format(heading=_section_title(heading))
        self.write(f"{'':>{self.current_indent}}{title}\n")

    def write_dl(
        self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        super().write_dl([(term, _click_words(text)) for term, text in rows], col_max, col_spacing)


def _section_title(name: str) -> str:
    titles = {"Options": _("Options"), "Commands": _("Commands"), "Arguments": _("Arguments")}
    return titles.get(name, name)


def _click_words(text: str) -> str:
    """A help line with Click's own words put in ours (the ledger's words are left alone)."""
    if text == "Show this message and exit.":
        return _("Show this message and exit.")
    for english, ours in (
        ("[env var: ", _("[env var: ")),
        ("[default: ", _("[default: ")),
        ("[required]", _("[required]")),
    ):
        text = text.replace(english, ours)
    return text


class HelpContext(ClickContext):
    formatter_class = HelpInOurLanguage


class MinshengGroup(TyperGroup):
    """Turns the project's own errors into one line and an exit code; a traceback means a bug."""

    context_class = HelpContext
    command_prefix = ""
    """What comes before a command's name in `minsheng … NAME --help` (`rollup ` for its group)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """A command name that is not one (a typo) is said in the clerk's language, with the
        names it is close to, instead of Click's English."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in self.commands:
            close = get_close_matches(name, list(self.commands))
            hint = (
                _("did you mean {names}?").format(names="、".join(close))
                if close
                else self.see_help()
            )
            raise UsageError(self.not_a_command(name, hint))
        return super().resolve_command(ctx, args)

    def see_help(self) -> str:
        return _("see `minsheng --help`")

    def not_a_command(self, name: str, hint: str) -> str:
        return _("“{name}” is not a minsheng command; {hint}").format(name=name, hint=hint)

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            command.context_class = HelpContext  # its --help in our words too
        return command

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except MinshengError as error:
            raise typer.Exit(report_error(error)) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # the reader went away (`minsheng list | head`): stop quietly, as the docs advise
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(EXIT_PROBLEMS) from None
        except ClickException as error:
            command = f"{self.command_prefix}{ctx.invoked_subcommand or ''}"
            explained = explained_usage_error(error, command)
            if explained is None:
                raise
            raise typer.Exit(report_error(UsageError(explained))) from None
        except Exception as error:
            if os.environ.get("MINSHENG_DEBUG") == "1":
                raise
            say(
                _("internal error: {kind}: {error} (MINSHENG_DEBUG=1 shows the traceback)").format(
                    kind=type(error).__name__, error=error
                ),
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None


GLOBAL_OPTIONS = ("-C", "--directory", "--lang", "--version")


def explained_usage_error(error: Exception, command: str) -> str | None:
    """The command line's two common slips in the clerk's language (Click says them in
    English): an option the command does not have, above all a global one written after the
    command name, and a required option left out. None: let Click say it."""
    see_help = _("see `minsheng {command} --help`").format(command=command)
    if isinstance(error, NoSuchOption):
        option = error.option_name
        if option in GLOBAL_OPTIONS:
            return _(
                "{option} goes before the command's name, as for every command:"
                " minsheng {option} … {command}"
            ).format(option=option, command=command)
        if error.possibilities:
            see_help = _("did you mean {options}?").format(
                options=", ".join(sorted(error.possibilities))
            )
        return _("`{command}` has no option {option}; {help}").format(
            command=command, option=option, help=see_help
        )
    if isinstance(error, MissingParameter) and error.param is not None:
        return _("`{command}` needs {option}; {help}").format(
            command=command, option=parameter_name(error.param), help=see_help
        )
    if isinstance(error, BadOptionUsage):
        return _("`{command}` {option} needs a value; {help}").format(
            command=command, option=error.option_name, help=see_help
        )
    if isinstance(error, BadParameter) and error.param is not None:
        kind = error.param.type
        if not isinstance(kind, IntParamType | FloatParamType):
            return None
        least = getattr(kind, "min", None)
        if least is not None and getattr(kind, "max", None) is None:
            return _("`{command}` {option} needs a number of at least {least:g}; {help}").format(
                command=command, option=parameter_name(error.param), least=least, help=see_help
            )
        return _("`{command}` {option} needs a number; {help}").format(
            command=command, option=parameter_name(error.param), help=see_help
        )
    return None


def parameter_name(param: Parameter) -> str:
    """An option by its flags (--jobs/-j), an argument as the README writes it (NAME)."""
    if param.param_type_name == "option":
        return "/".join(param.opts) or str(param.name)
    return (param.metavar or str(param.name)).upper()


root_app = typer.Typer(
    cls=MinshengGroup,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help=_("minsheng: the ledger of the year's 民生实事 (public-livelihood projects)."),
)


def show_version(value: bool) -> None:
    if value:
        from minsheng_cli import __version__

        typer.echo(f"minsheng {__version__}")
        raise typer.Exit()


@root_app.callback()
def main_options(
    ctx: typer.Context,
    directory: DirectoryOption = None,
    lang: LangOption = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help=_("Print the version.")
        ),
    ] = False,
) -> None:
    set_language(lang)
    ctx.obj = Context(directory)


HELP_ORDER = (
    "check",
    "status",
    "list",
    "show",
    "update",
    "done",
    "forms",
    "intake",
    "overdue",
    "agenda",
    "log",
)
"""The order --help lists the commands in: the clerk's day; then the others."""
COMMAND_MODULES = {
    "read": ("check", "status", "list", "show", "overdue", "agenda", "log"),
    "record": ("update", "done", "reschedule"),
    "workspace": ("init",),
    "importer": ("import",),
    "paperwork": ("report", "export"),
    "doctor": ("doctor",),
    "meetings": ("meeting", "meetings", "changes", "unreported"),
    "forms": ("forms", "intake"),
    "rollup": ("rollup",),
}
"""Which module of cli/ defines which commands, so that the console script imports only the one
it runs (tests/test_readme_reference.py holds this to what the modules define)."""


def command_name(command: typer.models.CommandInfo) -> str:
    return command.name or (command.callback.__name__ if command.callback else "")


def with_commands(name: str | None = None) -> typer.Typer:
    """The app with the command ``name`` alone, importing only its module (each command module
    imports its own options and helpers: milliseconds that `status` need not pay for `import`);
    with every command when ``name`` is None or not a command (--help and a typo list them all),
    or once any command is registered already (a test's second run)."""
    module = next((m for m, names in COMMAND_MODULES.items() if name in names), None)
    if module is not None and not root_app.registered_commands:
        _add(module, only=name)
    else:
        for every in COMMAND_MODULES:
            _add(every)
    return root_app


def _add(module: str, only: str | None = None) -> None:
    """Register ``module``'s commands (or only the one named ``only``) not registered yet, keeping
    every command in --help order; and its groups of commands (`rollup …`)."""
    have = {command_name(c) for c in root_app.registered_commands}
    have_groups = {g.name for g in root_app.registered_groups}
    commands = importlib.import_module(f"minsheng_cli.cli.{module}").commands
    root_app.registered_groups += [
        g
        for g in commands.registered_groups
        if g.name not in have_groups and (only is None or g.name == only)
    ]
    defined = commands.registered_commands
    found = [
        c
        for c in defined
        if command_name(c) not in have and (only is None or command_name(c) == only)
    ]
    rank = {name: index for index, name in enumerate(HELP_ORDER)}
    every = [*root_app.registered_commands, *found]
    every.sort(key=lambda c: rank.get(command_name(c), len(rank)))
    root_app.registered_commands = every


def __getattr__(name: str) -> typer.Typer:
    """``app``: the app with every command (what tests and scripts import)."""
    if name == "app":
        return with_commands()
    raise AttributeError(name)
