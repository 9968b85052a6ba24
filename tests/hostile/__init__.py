"""Hostile tests: fuzzed task files and command lines, and a kill -9 loop over the writes.

`make test` runs a small fixed-seed set; `make torture` (MINSHENG_TORTURE=N) runs N cases of each.
"""
