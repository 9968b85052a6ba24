"""minsheng: a command-line milestone ledger for a county's 民生实事."""

__version__ = "0.1.0"
