"""The project's own error types: one for the user's mistakes, caught once at the top."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

EXIT_OK = 0
EXIT_PROBLEMS = 1
"""Something is wrong that the clerk must fix: the ledger, a refused write, git."""
EXIT_USAGE = 2
"""The command line asked for something impossible."""
EXIT_INTERNAL = 70
"""A bug (EX_SOFTWARE): no input from the files, the command line or the cache should cause it."""


class Problem(NamedTuple):
    """One thing wrong with the ledger, located at a file and line."""

    file: Path | None
    line: int | None
    message: str
    warning: bool = False

    def location(self, root: Path | None = None) -> str:
        if self.file is None:
            return ""
        shown = self.file
        if root is not None:
            try:
                shown = self.file.relative_to(root)
            except ValueError:
                shown = self.file
        where = shown.as_posix()
        return f"{where}:{self.line}" if self.line else where

    def render(self, root: Path | None = None) -> str:
        where = self.location(root)
        return f"{where}: {self.message}" if where else self.message


class MinshengError(Exception):
    """A mistake in what the user asked or in the ledger; shown as one line, never a traceback."""

    exit_code = EXIT_PROBLEMS

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(MinshengError):
    """The command line asked for something impossible (exit 2)."""

    exit_code = EXIT_USAGE


class LedgerProblems(MinshengError):
    """The ledger could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], root: Path | None = None) -> None:
        self.problems = problems
        self.root = root
        super().__init__("\n".join(p.render(root) for p in problems))


class WriteRefused(MinshengError):
    """A write was refused before anything changed: the file on disk is as it was (exit 1)."""


class GitError(MinshengError):
    """git could not record or read the change; a record being written is already safe on disk."""
