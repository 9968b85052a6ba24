"""The whole built ledger, cached: a command on an unchanged ledger neither validates nor builds.

After a full load that found no errors, the Ledger is stored as ``ledger_codec`` rows in one entry
of ``.minsheng-cache/`` (the per-file cache's layout: key line, checksum line, body). Its key is
the code that shapes a ledger, the workspace root, and the content hash of minsheng.yaml and of
every task file, by name and in order: an added, deleted, renamed or edited file misses, even an
edit within the same second at the same size. The key is taken from the very bytes the ledger is
then built from. Only a cache, like the per-file one: a corrupt or unreadable entry is ignored
and rebuilt, an unwritable folder only costs speed, and MINSHENG_NO_CACHE=1 bypasses it.

JSON, not pickle: whatever bytes are in the folder, reading them runs no code, and an entry can
only name task files that are in the workspace now (``ledger_codec``). The checksum catches damage,
not forgery: whoever can write the folder can make a command show wrong numbers, as with the
per-file cache, but not make ``update`` write outside tasks/.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from minsheng_cli.ledger.model import Ledger, Project, Workspace
from minsheng_cli.store.cache import (
    CACHE_DIR,
    content_hash,
    fingerprint,
    new_hash,
    read_entry,
    write_entry,
)
from minsheng_cli.store.codec import NotEncodable, decode, encode
from minsheng_cli.store.files import (
    WORKSPACE_FILE,
    ledger_of,
    load_sources,
    read_source,
    task_files,
)
from minsheng_cli.store.shape import conforms

FORMAT = 1
SNAPSHOT_LIMIT = 2 << 30
"""The largest snapshot read: 100,000 milestones make 20 MB."""
Source = tuple[Path, bytes | None]


@cache
def ledger_fingerprint() -> str:
    return fingerprint(f"ledger-{FORMAT}")


def snapshot_path(root: Path) -> Path:
    name = new_hash(os.fsencode(root.resolve()), 12).hexdigest()
    return root / CACHE_DIR / f"ledger-{name}.json"


def snapshot_key(root: Path, sources: Sequence[Source]) -> str | None:
    """The code, the root, and each file's name and content hash; None if a file is unreadable."""
    digest = new_hash(ledger_fingerprint().encode("ascii"), 20)
    digest.update(b"\0" + os.fsencode(root) + b"\0")
    for file, raw in sources:
        if raw is None:
            return None
        digest.update(os.fsencode(file.name) + b"\0" + content_hash(raw).encode("ascii") + b"\n")
    return "ledger:" + digest.hexdigest()


def cached_ledger(root: Path) -> Ledger:
    """``load_ledger(root)``: from the snapshot when no file changed, else built and snapshotted.

    LedgerProblems if the ledger has errors; then nothing is stored.
    """
    sources = [read_source(root / WORKSPACE_FILE), *map(read_source, task_files(root))]
    files = {file.name: file for file, _raw in sources[1:]}
    key = snapshot_key(root, sources)
    entry = snapshot_path(root)
    hit = None if key is None else lookup_snapshot(entry, key, root, files)
    if hit is not None:
        return hit
    workspace_raw = sources.pop(0)[1]
    ledger = ledger_of(load_sources(root, workspace_raw, _each_once(sources)), root)
    if key is not None:
        store_snapshot(entry, key, ledger, files)
    return ledger


def _each_once(sources: list[Source]) -> Iterator[Source]:
    """``sources`` in order, each let go of once loaded: a province's 24 MB of YAML need not stay
    in memory while its ledger is built and stored."""
    sources.reverse()
    while sources:
        yield sources.pop()


def lookup_snapshot(entry: Path, key: str, root: Path, files: Mapping[str, Path]) -> Ledger | None:
    """The stored ledger, if the entry holds one whose every field has its model type (the
    entry is untrusted input: numbers and flags are stored as they are, and could be anything)."""
    body = read_entry(entry, key, SNAPSHOT_LIMIT)
    if body is None:
        return None
    try:
        with _collector_paused():
            ledger = decode(json.loads(body), root, files)
    except (ValueError, RecursionError):  # not JSON (too deeply nested), or Undecodable
        return None
    if not conforms([ledger.workspace], Workspace) or not conforms(ledger.projects, Project):
        return None
    return ledger


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Decoding and encoding make objects by the hundred thousand that hold no cycles: the cyclic
    garbage collector would only walk them, and the whole ledger, again and again (a quarter of
    the time at 100,000 milestones)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def store_snapshot(entry: Path, key: str, ledger: Ledger, files: Mapping[str, Path]) -> None:
    try:
        with _collector_paused():
            text = json.dumps(encode(ledger, files), ensure_ascii=False, separators=(",", ":"))
    except NotEncodable:
        return
    # A file name that is not UTF-8 is text with lone surrogates; json.loads reads them back.
    body = text.encode("utf-8", "surrogatepass")
    del text  # 20 MB at 100,000 milestones
    write_entry(entry, key, body)
