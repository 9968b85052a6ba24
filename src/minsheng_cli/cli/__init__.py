"""The command line: the Typer app, shared helpers, one module per group of commands."""
