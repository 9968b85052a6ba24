"""`minsheng rollup init|add|remove|list|sync`: the rollup workspace and its members' mirrors."""

from __future__ import annotations

import typer

commands = typer.Typer()
