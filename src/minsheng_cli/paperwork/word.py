"""The bulletin or report as a Word file (python-docx), laid out as an office would send it.

A4 with 公文 margins (GB/T 9704-2012: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), the title
in 方正小标宋简体, headings in 黑体, body in 仿宋_GB2312, Latin letters and digits in Times New
Roman. Chinese fonts are set through ``w:eastAsia`` and listed in the font table with an
alternative name, so Word or WPS without 仿宋_GB2312 uses 仿宋. Real heading styles and tables.
python-docx is imported here only, when a Word file is asked for.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from minsheng_cli.i18n import _
from minsheng_cli.paperwork.outline import (
    Block,
    Chart,
    Field,
    Heading,
    Paragraph,
    Report,
    Table,
    report_outline,
    report_title,
    text_width,
)

LATIN_FONT = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
FONT_FALLBACKS = {
    # name in the document → the name Word and WPS look for when it is not installed
    TITLE_FONT: "黑体",
    BODY_FONT: "仿宋",
    "仿宋": "FangSong",
    HEADING_FONT: "SimHei",
}
THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
TABLE_STYLE = "Report Table Text"


class PageSetup(NamedTuple):
    """A4 and the 公文 margins, in centimetres."""

    width: float = 21.0
    height: float = 29.7
    top: float = 3.7
    bottom: float = 3.5
    left: float = 2.8
    right: float = 2.6


class Sizes(NamedTuple):
    """Font sizes in points: 二号 22, 三号 16, 五号 10.5."""

    title: float = 22
    heading: float = 16
    body: float = 16
    table: float = 10.5
    line_spacing: float = 28.0


PAGE = PageSetup()
SIZES = Sizes()


def report_docx(report: Report) -> bytes:
    prefix = report.snapshot.ledger.workspace.title
    return outline_docx(report_outline(report), report_title(report), prefix)


def outline_docx(
    blocks: Iterable[Block], title: str, prefix: str, landscape: frozenset[str] = frozenset()
) -> bytes:
    """The blocks as an A4 公文-style document; ``prefix`` (the issuing body) is kept whole on
    the title's first line. A table named in ``landscape`` (too many columns for A4 upright)
    is laid across the page: the pages from the last section break up to the next heading after
    it are landscape, the rest upright."""
    document = Document()
    setup_page(document)
    setup_styles(document)
    add_font_fallbacks(document)
    body = Body(document)
    wide = False
    for block in blocks:
        if wide and isinstance(block, Heading):
            end_landscape_section(body)
            wide = False
        if isinstance(block, Table) and block.name in landscape:
            add_table(body, block, PAGE.height - PAGE.left - PAGE.right)
            wide = True
        elif isinstance(block, Heading) and block.level == 0:
            add_title(body, title_lines(block.text, prefix, text_block_width()))
        elif isinstance(block, Heading):
            add_heading(body, block)
        elif isinstance(block, Paragraph):
            add_paragraph(body, block)
        elif isinstance(block, Field):
            add_field(body, block)
        elif isinstance(block, Table):
            add_table(body, block)
        elif isinstance(block, Chart):
            continue
    if wide:
        landscape_section(body.document.sections[-1])
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- page and styles ---------------------------------------------------------------------------


def setup_page(document: Any) -> None:

    for section in document.sections:
        section.page_width, section.page_height = Cm(PAGE.width), Cm(PAGE.height)
        section.top_margin, section.bottom_margin = Cm(PAGE.top), Cm(PAGE.bottom)
        section.left_margin, section.right_margin = Cm(PAGE.left), Cm(PAGE.right)
        add_page_number(section.footer.paragraphs[0])


def end_landscape_section(body: Body) -> None:
    """Ends the section here (a paragraph holding a copy of the page set-up, footer included)
    and lays it across the page; what follows starts upright on a new page."""
    from copy import deepcopy

    from docx.section import Section

    setup = deepcopy(body.end)
    body.paragraph()._p.get_or_add_pPr().append(setup)
    landscape_section(Section(setup, body.document.part))


def landscape_section(section: Any) -> None:
    from docx.enum.section import WD_ORIENT

    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE.height), Cm(PAGE.width)


def add_page_number(paragraph: Any) -> None:
    """— 1 — centred at the foot of every page, as a PAGE field."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def setup_styles(document: Any) -> None:

    set_default_fonts(document, BODY_FONT)
    normal = document.styles["Normal"]
    style_font(normal, BODY_FONT, SIZES.body)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(SIZES.line_spacing)
    normal.paragraph_format.space_after = Pt(0)

    title = document.styles["Title"]
    style_font(title, TITLE_FONT, SIZES.title)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_before = Pt(0)
    title.paragraph_format.space_after = Pt(12)
    remove_border(title)
    for level in (1, 2, 3):
        heading = document.styles[f"Heading {level}"]
        style_font(heading, HEADING_FONT, SIZES.heading)
        heading.font.bold = False
        heading.paragraph_format.space_before = Pt(12 if level == 1 else 6)
        heading.paragraph_format.space_after = Pt(0)
        heading.paragraph_format.keep_with_next = True  # never alone at a page's foot
    for style in (title, *(document.styles[f"Heading {n}"] for n in (1, 2, 3))):
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False

    table_text = document.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    style_font(table_text, BODY_FONT, SIZES.table)
    table_text.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table_text.paragraph_format.first_line_indent = Pt(0)


def style_font(style: Any, east_asia: str, size: float) -> None:

    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    set_east_asia(style.element.get_or_add_rPr(), east_asia)


def set_east_asia(rpr: Any, east_asia: str) -> None:
    """Latin letters in Times New Roman, Chinese in ``east_asia`` (w:eastAsia); no theme fonts,
    which would take precedence over the names."""
    fonts = rpr.get_or_add_rFonts()
    for attribute in THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def set_default_fonts(document: Any, east_asia: str) -> None:
    """The document defaults too: otherwise their theme fonts show through in table cells."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    rpr = run_defaults.find(qn("w:rPr")) if run_defaults is not None else None
    if rpr is not None:
        set_east_asia(rpr, east_asia)


def remove_border(style: Any) -> None:
    """The template's Title has a blue rule under it; an office document has none."""
    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def add_font_fallbacks(document: Any) -> None:
    """Name each Chinese font in the font table with its alternative (w:altName) and GB2312
    charset, so that Word and WPS substitute 仿宋 for a missing 仿宋_GB2312."""
    part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
    fonts = parse_xml(part.blob)
    known = {font.get(qn("w:name")) for font in fonts.findall(qn("w:font"))}
    for name, alternative in FONT_FALLBACKS.items():
        if name in known:
            continue
        font = OxmlElement("w:font", {qn("w:name"): name})
        for tag, value in (
            ("w:altName", alternative),
            ("w:charset", "86"),  # GB2312
            ("w:family", "modern"),
            ("w:pitch", "fixed"),
        ):
            font.append(OxmlElement(tag, {qn("w:val"): value}))
        fonts.append(font)
    # python-docx keeps a part it does not model as bytes; put the edited table in its place.
    part._blob = serialize_part_xml(fonts)


# --- blocks ------------------------------------------------------------------------------------


class Body:
    """Adds paragraphs to the document's body, each just before its section properties.

    python-docx's own ``add_paragraph`` searches the whole body for them on every call, and sets
    a style by looking up its name among all styles: quadratic for a province-sized report. Here
    each paragraph costs the same however long the document is.
    """

    def __init__(self, document: Any) -> None:
        self.document = document
        self.end = document.element.body.get_or_add_sectPr()
        self.style_ids: dict[str, str] = {}

    def style_id(self, name: str) -> str:
        if name not in self.style_ids:
            self.style_ids[name] = self.document.styles[name].style_id
        return self.style_ids[name]

    def paragraph(self, text: str = "", style: str | None = None) -> Any:

        element = OxmlElement("w:p")
        self.end.addprevious(element)
        if style is not None:
            element.style = self.style_id(style)
        paragraph = DocxParagraph(element, self.document._body)
        if text:
            paragraph.add_run(text)
        return paragraph


def add_heading(body: Body, heading: Heading) -> None:
    style = "Title" if heading.level == 0 else f"Heading {min(heading.level, 3)}"
    body.paragraph(heading.text, style)


def add_title(body: Body, lines: list[str]) -> None:
    """The title, its lines broken where ``title_lines`` says (a line break, one paragraph)."""
    paragraph = body.paragraph(style="Title")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if number < len(lines) - 1:
            run.add_break()


def text_block_width() -> float:
    """The width of the page's text block in cm (A4 less the 公文 margins)."""
    return PAGE.width - PAGE.left - PAGE.right


TITLE_EM_CM = SIZES.title * 2.54 / 72
TITLE_LATIN_EM = 0.55
"""A digit in the title, in ems (0.5 in the usual title fonts, and a little air)."""


def title_cm(text: str) -> float:
    wide = text_width(text) - len(text)
    return (wide + (len(text) - wide) * TITLE_LATIN_EM) * TITLE_EM_CM


def title_lines(text: str, prefix: str, available: float) -> list[str]:
    """The title on as few lines as it needs, balanced as 公文 titles are (GB/T 9704: 排列对称,
    长短适宜), never one word alone on the last line: when the ledger's own title (``prefix``)
    and the rest (推进情况月通报) each fit a line and neither is under a third of the other,
    the break falls between them; otherwise the lines are cut to about equal widths."""
    if title_cm(text) <= available:
        return [text]
    rest = text.removeprefix(prefix) if prefix and text.startswith(prefix) else ""
    if rest and max(title_cm(prefix), title_cm(rest)) <= available:
        shorter, longer = sorted((title_cm(prefix), title_cm(rest)))
        if shorter * 3 >= longer:
            return [prefix, rest]
    return cut_evenly(text, math.ceil(title_cm(text) / available))


def cut_evenly(text: str, count: int) -> list[str]:
    """``text`` in ``count`` lines of about equal width, never cut inside a number or a word."""
    total = title_cm(text)
    lines: list[str] = []
    start = 0
    for part in range(1, count):
        goal = total * part / count
        cuts = [
            i
            for i in range(start + 1, len(text))
            if not (UNBREAKABLE.match(text[i - 1]) and UNBREAKABLE.match(text[i]))
        ]
        if not cuts:
            break
        cut = min(cuts, key=lambda i: abs(title_cm(text[:i]) - goal))
        lines.append(text[start:cut])
        start = cut
    return [*lines, text[start:]]


def add_paragraph(body: Body, paragraph: Paragraph) -> None:

    if not paragraph.centered:
        indent_first_line(body.paragraph(paragraph.text))
        return
    added = body.paragraph()
    added.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = centred_lines(paragraph.text, text_block_width())
    for number, line in enumerate(lines):
        run = added.add_run(line)
        if number < len(lines) - 1:
            run.add_break()


BODY_EM_CM = SIZES.body * 2.54 / 72
PART_SEPARATOR = "\u3000"
"""The ideographic space between a centred line's parts (依据…　截至…　数据版本：…)."""


def body_cm(text: str) -> float:
    wide = text_width(text) - len(text)
    return (wide + (len(text) - wide) * TITLE_LATIN_EM) * BODY_EM_CM


def centred_lines(text: str, available: float) -> list[str]:
    """A centred line (a bulletin's 依据…　截至…　数据版本：…) on as many lines as it needs, broken
    only between its parts: Word breaks Chinese text anywhere, and cut 数据版 / 本：aa5876c."""
    lines: list[str] = []
    for part in text.split(PART_SEPARATOR):
        joined = f"{lines[-1]}{PART_SEPARATOR}{part}" if lines else part
        if lines and body_cm(joined) > available:
            lines.append(part)
        elif lines:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def indent_first_line(paragraph: Any) -> None:

    paragraph.paragraph_format.first_line_indent = Pt(SIZES.body * 2)


def add_field(body: Body, field: Field) -> None:
    """任务内容：… as one paragraph; several lines as （1）（2）… under the label."""
    paragraph = body.paragraph()
    indent_first_line(paragraph)
    paragraph.add_run(f"{field.label}：").bold = True
    if len(field.lines) == 1:
        paragraph.add_run(field.lines[0])
        return
    paragraph.paragraph_format.keep_with_next = True  # 本期计划： never alone at a page's foot
    for number, line in enumerate(field.lines, start=1):
        indent_first_line(body.paragraph(f"（{number}）{line}"))


def add_table(body: Body, table: Table, available: float | None = None) -> None:
    """The table as wide as the text block (``available`` cm, if given)."""

    table = stacked_dates(table)
    grid = body.document.add_table(rows=1, cols=len(table.headers))
    grid._tbl.tblPr.style = body.style_id("Table Grid")
    grid.autofit = False
    widths = [Cm(width) for width in column_widths(table, available or text_block_width())]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width  # the grid, which WPS and LibreOffice read
    style_id = body.style_id(TABLE_STYLE)
    header = grid.rows[0]
    for cell, text, width in zip(header.cells, table.headers, widths, strict=True):
        fill_cell(cell, text, style_id, width, bold=True)
        shade(cell, "E7E6E6")
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(repeat)
    for row in table.rows:
        for cell, text, width in zip(grid.add_row().cells, row, widths, strict=True):
            fill_cell(cell, text, style_id, width)
    body.paragraph()


EM_CM = SIZES.table * 2.54 / 72
"""A Chinese character at the table's 五号 (10.5 pt)."""
LATIN_EM = 0.65
"""A Latin letter or digit, in ems: 0.5 in Times New Roman, up to 0.65 in the fonts a machine
without it falls back to (DejaVu), so that a date fits wherever the file is opened."""
THIN_EM = 0.4
"""A hyphen, full stop or colon: 0.33 in Times New Roman, 0.34 in DejaVu Serif."""
THIN = frozenset("-.:,;'/")
CELL_PADDING_CM = 0.45
"""Word's cell margins, 0.19 cm each side, and a little air."""
LEAST_TEXT = "两字"
"""No column is narrower than two Chinese characters."""
NARROW_CM = 3.0
"""A column whose every cell (header included) fits on one line this wide is narrow: 序号, a
deadline (逐月（8月）), a date, 逾期天数, a leader, a state. It is as wide as its longest cell, so
it never wraps; the text columns share the rest."""
UNBREAKABLE = re.compile(r"[!-~]+")
"""A run Word will not break inside: a date, a number, a reference such as 3.1#7."""


def column_widths(table: Table, available: float) -> list[float]:
    """Each column's width in cm, the table as wide as the text block.

    A column wants its longest cell on one line. A narrow column gets what it wants, so it
    never wraps; the text columns share the rest (``share_room``). When everything fits, the
    spare room goes to the text columns (to all of them in a table of numbers only).
    """
    columns = list(zip(table.headers, *table.rows, strict=True))
    wanted = [max(map(set_width, column)) for column in columns]
    narrow = [want <= NARROW_CM for want in wanted]
    if all(narrow) or sum(wanted) <= available:
        growing = [not small for small in narrow] if not all(narrow) else narrow
        spare = available - sum(wanted)
        grown = sum(want for want, grows in zip(wanted, growing, strict=True) if grows)
        return [
            want + spare * want / grown if grows else want
            for want, grows in zip(wanted, growing, strict=True)
        ]
    least = [
        want if small else min(want, _least_width(column))
        for want, small, column in zip(wanted, narrow, columns, strict=True)
    ]
    if sum(least) > available:  # too many columns for the page: everything shrinks alike
        return [width * available / sum(least) for width in least]
    texts = [i for i, small in enumerate(narrow) if not small]
    room = available - sum(want for want, small in zip(wanted, narrow, strict=True) if small)
    areas = [sum(max(0.0, set_width(cell) - CELL_PADDING_CM) for cell in columns[i]) for i in texts]
    shared = share_room(room, [least[i] for i in texts], [wanted[i] for i in texts], areas)
    widths = list(wanted)
    for index, width in zip(texts, shared, strict=True):
        widths[index] = width
    return widths


def share_room(
    room: float, least: list[float], most: list[float], areas: list[float]
) -> list[float]:
    """``room`` shared by text columns as their text's area asks: each width in proportion to
    the square root of the column's text (which makes the table's lines fewest), within
    [least, most]; a column held at a bound leaves the rest to the others."""
    held: dict[int, float] = {}
    while len(held) < len(areas):
        free = [i for i in range(len(areas)) if i not in held]
        left = room - sum(held.values())
        roots = sum(math.sqrt(areas[i]) for i in free)
        share = {i: left * math.sqrt(areas[i]) / roots if roots else left / len(free) for i in free}
        under = [i for i in free if share[i] < least[i]]
        over = [i for i in free if share[i] > most[i]]
        if not under and not over:
            held.update(share)
            break
        for i in under or over:
            held[i] = least[i] if under else most[i]
    widths = [held[i] for i in range(len(areas))]
    leftover = room - sum(widths)
    return [width + leftover / len(widths) for width in widths]


def _least_width(column: tuple[str, ...]) -> float:
    header, *cells = column
    runs = (set_width(run) for cell in cells for run in UNBREAKABLE.findall(cell))
    first_line = max(header.split("\n"), key=len)
    first_line = first_line[: -(-len(first_line) // 2)]
    return max([set_width(LEAST_TEXT), set_width(first_line), *runs])


def set_width(text: str) -> float:
    """The cm a text takes on one line of a table cell (its longest line), padding included."""
    if "\n" in text:
        return max(map(set_width, text.split("\n")))
    wide = text_width(text) - len(text)  # text_width counts a wide character twice
    thin = sum(1 for ch in text if ch in THIN)
    latin = len(text) - wide - thin
    return (wide + latin * LATIN_EM + thin * THIN_EM) * EM_CM + CELL_PADDING_CM


def fill_cell(cell: Any, text: str, style_id: str, width: Any, bold: bool = False) -> None:
    """The text in the cell's paragraph, its lines apart by line breaks."""
    cell.width = width  # Word reads each cell's own width
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style_id
    lines = text.split("\n")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        if bold:
            run.bold = True
        if number < len(lines) - 1:
            run.add_break()


def stacked_dates(table: Table) -> Table:
    """完成时限 over 到期日 in one column (“7月底” above “2023-07-31”): on A4 portrait two
    narrow columns side by side would leave the texts too little room, and both say when."""
    headers = table.headers
    deadline, due = _("Deadline"), _("Due")
    if deadline not in headers:
        return table
    at = headers.index(deadline)
    if headers[at + 1 : at + 2] != (due,):
        return table

    def stack(cells: tuple[str, ...]) -> tuple[str, ...]:
        return (*cells[:at], f"{cells[at]}\n{cells[at + 1]}", *cells[at + 2 :])

    return Table(table.name, stack(headers), tuple(stack(row) for row in table.rows))


def shade(cell: Any, colour: str) -> None:

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)
