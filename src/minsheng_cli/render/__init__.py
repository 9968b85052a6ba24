"""Turning evaluated data into sheets (plain data), then terminal, plain text or JSON."""
