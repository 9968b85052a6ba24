"""`minsheng rollup status|overdue|report|export`: every member county in one view."""

from __future__ import annotations

import typer

commands = typer.Typer()
