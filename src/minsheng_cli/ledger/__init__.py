"""The file format: deadline words, YAML text, schema, validation, the built Ledger, references."""
