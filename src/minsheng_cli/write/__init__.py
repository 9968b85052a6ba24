"""Changing the ledger: record checks, the actions of update/done, git as the audit trail."""
