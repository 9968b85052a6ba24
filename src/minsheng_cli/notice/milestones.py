"""The time column (完成时限) split into milestones: one per dated clause, under the sub-track
headings ((一)(二)…, ①②…) the cell gives, each deadline read by the ledger's own rules.

A clause whose time is not understood is kept for the clerk (written commented out, and
reported), never dropped; a paragraph without a time under a heading is the track's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from minsheng_cli.i18n import _
from minsheng_cli.ledger.deadlines import DeadlineError, parse_deadline
from minsheng_cli.notice.report import Flag, Place

TRACK_MARK = re.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]"
    r"|[一二三四五六七八九十]{1,3}、)\s*"
)
SEPARATOR = re.compile(r"[，,：:]")
TIME_WORDS = re.compile(r"[月季年旬日号]|春节|前$")
TERMINATORS = "；;。."
MAX_DEADLINE = 12
"""The longest a deadline at the head of a clause is taken to be ("2023年10月中下旬前")."""


@dataclass(slots=True)
class Milestone:
    deadline: str | None
    """None: the time was not understood; the clerk writes it (the milestone is commented out)."""
    text: str
    targets: dict[str, float] = field(default_factory=dict)
    percent: float | None = None
    doubts: list[str] = field(default_factory=list)
    """Comments for the clerk above the milestone: quantities not matched for certain."""


@dataclass(slots=True)
class Track:
    heading: str | None
    """None: the item's milestones directly, without a heading."""
    text: str = ""
    milestones: list[Milestone] = field(default_factory=list)


def is_deadline(words: str, year: int) -> bool:
    """Whether the ledger's rules read ``words`` as a deadline. The one call to the parser, so
    that it can become ``ledger.deadlines.split_deadline_cell`` when that is there."""
    try:
        parse_deadline(words, year)
    except DeadlineError:
        return False
    return True


def trimmed(text: str) -> str:
    return text.strip().rstrip("；;。.，,").strip()


def split_clause(clause: str, year: int) -> tuple[str, str, bool] | None:
    """(deadline, text, moved) for "3月底，开工建设", "逐月按时兑付", "5月底前完成…"; None when
    the clause starts with no deadline. ``moved``: "5月底，前完成" read as "5月底前，完成"."""
    head = SEPARATOR.search(clause)
    if head is not None and head.start() <= MAX_DEADLINE:
        words, rest = clause[: head.start()].strip(), clause[head.end() :].strip()
        if rest and is_deadline(words, year):
            misplaced = rest.startswith("前") and not rest.startswith("前期") and len(rest) > 1
            if misplaced and is_deadline(words + "前", year):
                return words + "前", rest[1:].strip(), True
            return words, rest, False
    for end in range(min(MAX_DEADLINE, len(clause) - 1), 1, -1):
        words, rest = clause[:end], clause[end:].lstrip("，,：: ")
        if rest and is_deadline(words, year):
            return words, rest, False
    return None


def looks_dated(clause: str) -> bool:
    """A clause whose head reads like a time the rules do not know ("下月中旬，…", "春节前，…")."""
    head = SEPARATOR.search(clause)
    return (
        head is not None
        and head.start() <= MAX_DEADLINE
        and bool(TIME_WORDS.search(clause[: head.start()]))
    )


def paragraphs(cell: str, wrapped: bool, year: int) -> list[str]:
    """The cell's paragraphs; where lines wrap inside sentences (a PDF), a line continues the
    one before unless it starts a heading or a dated clause or the one before ended one."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    if not wrapped:
        return lines
    joined: list[str] = []
    for line in lines:
        starts = TRACK_MARK.match(line) or split_clause(line, year) or looks_dated(line)
        ended = not joined or TRACK_MARK.match(joined[-1]) or joined[-1][-1] in TERMINATORS
        if not starts and not ended:
            joined[-1] += line
            continue
        joined.append(line)
    return joined


def is_prose(paragraph: str, year: int) -> bool:
    return split_clause(paragraph, year) is None and not looks_dated(paragraph)


def clauses(paragraph: str, year: int) -> list[str]:
    """A paragraph split at ；where the next part starts with a time ("1月底，…；2月底，…")."""
    parts = re.split(r"[；;]", paragraph)
    found: list[str] = []
    for part in parts:
        piece = part.strip()
        if found and not (split_clause(piece, year) or looks_dated(piece)):
            found[-1] += "；" + piece
        else:
            found.append(piece)
    return [trimmed(piece) for piece in found if trimmed(piece)]


def read_time_cell(
    cell: str, year: int, place: Place, flags: list[Flag], wrapped: bool
) -> list[Track]:
    tracks = [Track(None)]
    for paragraph in paragraphs(cell, wrapped, year):
        mark = TRACK_MARK.match(paragraph)
        if mark:
            tracks.append(Track(trimmed(paragraph[mark.end() :]).rstrip("：:") or paragraph))
            continue
        track = tracks[-1]
        if track.heading is not None and not track.milestones and is_prose(paragraph, year):
            track.text = f"{track.text}{paragraph}"  # what the track is, in the notice's words
            continue
        for clause in clauses(paragraph, year):
            add_clause(track, clause, year, place, flags)
    if tracks[0].milestones and len(tracks) > 1:
        tracks[0].heading = _("(without a heading)")
        flags.append(
            place.flag(
                cell[:40], _("milestones before the first heading put under their own track")
            )
        )
    return [t for t in tracks if t.heading is not None or t.milestones or t.text]


def add_clause(track: Track, clause: str, year: int, place: Place, flags: list[Flag]) -> None:
    found = split_clause(clause, year)
    if found is not None:
        deadline, text, moved = found
        track.milestones.append(Milestone(deadline, text))
        if moved:
            flags.append(
                place.flag(
                    clause,
                    _("read as deadline “{deadline}”, text “{text}”").format(
                        deadline=deadline, text=text
                    ),
                )
            )
        return
    track.milestones.append(Milestone(None, clause))
    flags.append(
        place.flag(clause, _("time not understood: written commented out for the clerk to date"))
    )
