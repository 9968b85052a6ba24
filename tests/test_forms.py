"""`forms` and `intake`: a month's forms made for every unit, filled by openpyxl as a unit would,
and taken back in; what is recorded, committed and refused, and where each problem is pointed."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import git, run_cli

JULY = {"MINSHENG_TODAY": "2023-08-02"}
JUNE = {"MINSHENG_TODAY": "2023-06-28"}


def make_forms(root: Path, month: int, env: dict[str, str], *extra: str) -> dict[str, Path]:
    """``forms --month N -o forms-N``: the forms written, by unit."""
    folder = root.parent / f"forms-{month}"
    result = run_cli(root, ["forms", "--month", str(month), "-o", str(folder), *extra], **env)
    assert result.exit_code == 0, result.stderr
    return {p.name.split("-")[0]: p for p in sorted(folder.glob("*.xlsx"))}


def rows_by_key(sheet: Any) -> dict[str, int]:
    return {
        str(sheet[f"P{r}"].value): r
        for r in range(10, sheet.max_row + 1)
        if sheet[f"P{r}"].value is not None
    }


def fill(form: Path, cells: dict[str, dict[str, Any]], person: str = "张三") -> Path:
    """The form filled as a unit would: ``{row key: {column: value}}``, saved beside it."""
    book = openpyxl.load_workbook(form)
    sheet = book.active
    keys = rows_by_key(sheet)
    sheet["C3"] = person
    for key, values in cells.items():
        for column, value in values.items():
            sheet[f"{column}{keys[key]}"] = value
    filled = form.with_name("已填-" + form.name)
    book.save(filled)
    return filled


def records_of(root: Path, name: str) -> list[str]:
    text = next((root / "tasks").glob(f"{name}*.yaml")).read_text(encoding="utf-8")
    return [line.strip() for line in text.split("records:")[-1].splitlines() if line.strip()]


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def test_a_scripted_month(git_ledger: Path) -> None:
    june = make_forms(git_ledger, 6, JUNE)
    july = make_forms(git_ledger, 7, JULY)
    assert len(july) == 12
    assert "农业农村局" in july and "司法局" in july
    farm = fill(
        july["农业农村局"],
        {
            "3.1|户厕改造": {"K": 900, "O": "7月报"},
            "3.1|示范村": {"K": "10"},
            "3.1#1": {"L": "是", "M": date(2023, 7, 15), "N": "项目实施方案"},
            "3.1#2": {"L": "否"},
        },
    )
    roads = fill(
        july["交通运输局"], {"3.2|percent": {"K": 55}, "3.2#1": {"L": "是", "M": "7月3日"}}
    )
    law = fill(july["司法局"], {"9.1|法律援助案件": {"K": "一百二"}})  # text in a number cell
    blank = fill(july["水务局"], {})
    late_june = fill(june["农业农村局"], {"3.1|户厕改造": {"K": 500}})
    before = commits(git_ledger)

    result = run_cli(
        git_ledger, ["intake", str(farm), str(roads), str(law), str(blank), str(late_june)], **JULY
    )

    assert result.exit_code == 1
    assert "已填-农业农村局-2023年7月填报表.xlsx" in result.stdout
    assert "update 3.1 示范村 10/15, 户厕改造 900/1310 (2023-07-31)" in result.stdout
    assert "done 3.1#1 完成项目方案编制,对接落实任务 (2023-07-15)" in result.stdout
    assert "update 3.2 工程进度 55% (2023-07-31)" in result.stdout
    assert "done 3.2#1" in result.stdout and "(2023-07-03)" in result.stdout
    assert "已填-司法局-2023年7月填报表.xlsx!填报表!K10：“一百二”不是数字" in result.stderr
    assert "已填-水务局-2023年7月填报表.xlsx" in result.stdout
    assert "已填-农业农村局-2023年6月填报表.xlsx!填报表!E2：此表是6月的" in result.stderr
    assert "--month 6" in result.stderr
    assert records_of(git_ledger, "03-")[-4:] == [
        "- {date: 2023-07-31, item: 1, by: 农业农村局（张三）, set: {示范村: 10, 户厕改造: 900},"
        " note: 7月报}",
        "- {date: 2023-07-15, item: 1, by: 农业农村局（张三）,"
        " done: '完成项目方案编制,对接落实任务',"
        " evidence: 项目实施方案}",
        "- {date: 2023-07-31, item: 2, by: 交通运输局（张三）, percent: 55}",
        "- {date: 2023-07-03, item: 2, by: 交通运输局（张三）, done: 完成初步设计编制及评审工作}",
    ]
    assert (
        "records:"
        not in (git_ledger / "tasks" / "09-法律援助质量提升工程.yaml")
        .read_text(encoding="utf-8")
        .split("items:")[0]
    )
    added = commits(git_ledger)[: len(commits(git_ledger)) - len(before)]
    assert added == [
        f"intake 交通运输局 2023年7月: 2 records (form {added[0].split('form ')[1]}",
        f"intake 农业农村局 2023年7月: 2 records (form {added[1].split('form ')[1]}",
    ]
    message = git(git_ledger, "log", "-1", "--skip=1", "--format=%B")
    assert "Minsheng-Item: 3.1\n" in message
    assert "Reported-by: 农业农村局（张三）\n" in message
    assert "Form-File: 已填-农业农村局-2023年7月填报表.xlsx\n" in message
    assert "Form-Content: sha256:" in message

    logged = json.loads(run_cli(git_ledger, ["log", "3.1", "--json"]).stdout)
    assert logged[0]["subject"].startswith("intake 农业农村局 2023年7月")

    overdue = run_cli(git_ledger, ["overdue", "--month", "7", "--json"], **JULY)
    late = {(m["item"], m["milestone"]) for m in json.loads(overdue.stdout)}
    assert ("3.1", 1) not in late and ("3.1", 2) in late
    assert ("3.2", 1) not in late

    again = run_cli(git_ledger, ["intake", str(farm)], **JULY)
    assert again.exit_code == 0
    assert "已由提交" in again.stdout or "already taken in" in again.stdout
    assert len(commits(git_ledger)) == len(before) + 2


def test_dry_run_and_json_record_nothing(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(forms["农业农村局"], {"3.1|户厕改造": {"K": 900}})
    before = (git_ledger / "tasks").joinpath("03-农村人居环境提升工程.yaml").read_bytes()
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(farm), "--dry-run"], **JULY)
    assert result.exit_code == 0
    assert "would record 1 record for 农业农村局 7月" in result.stdout
    assert "update 3.1 户厕改造 900/1310 (2023-07-31)" in result.stdout
    as_json = run_cli(git_ledger, ["intake", str(farm), "--dry-run", "--json"], **JULY)
    report = json.loads(as_json.stdout)[0]
    assert report["status"] == "would_record" and report["unit"] == "农业农村局"
    assert report["records"] == [
        {"item": "3.1", "summary": "update 3.1 户厕改造 900/1310 (2023-07-31)"}
    ]
    assert (git_ledger / "tasks" / "03-农村人居环境提升工程.yaml").read_bytes() == before


def test_a_form_with_one_refused_row_records_nothing(git_ledger: Path) -> None:
    run_cli(git_ledger, ["update", "3.1", "--set", "户厕改造=800", "--date", "2023-06-30"], **JULY)
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(
        forms["农业农村局"],
        {"3.1|户厕改造": {"K": 700}, "3.1#1": {"L": "是", "M": "2023/7/2"}},
    )
    before = records_of(git_ledger, "03-")
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(farm)], **JULY)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith(
        "已填-农业农村局-2023年7月填报表.xlsx!填报表!K11: 户厕改造 700 is below"
    )
    assert "--correct" in lines[0]
    assert lines[-1] == "已填-农业农村局-2023年7月填报表.xlsx: nothing recorded from this form"
    assert records_of(git_ledger, "03-") == before


def test_refilled_copy_of_a_form_taken_in_is_refused(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    first = fill(forms["交通运输局"], {"3.2|percent": {"K": 40}})
    assert run_cli(git_ledger, ["intake", str(first)], **JULY).exit_code == 0
    book = openpyxl.load_workbook(first)
    book.active["K11"] = 45
    second = first.with_name("再填.xlsx")
    book.save(second)
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(second)], **JULY)
    assert result.exit_code == 1
    assert "was already taken in, with other values, by commit" in result.stderr


def write_xml(path: Path, edit: Any) -> Path:
    """The workbook with its first sheet's XML changed by ``edit`` (as another program saved it)."""
    out = path.with_name("改-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            target.writestr(entry, data)
    return out


def test_formulas_are_read_as_saved_never_calculated(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    bare = fill(forms["交通运输局"], {"3.2|percent": {"K": "=50+5"}})
    refused = run_cli(git_ledger, ["--lang", "en", "intake", str(bare)], **JULY)
    assert refused.exit_code == 1
    assert "!填报表!K11: a formula with no saved value" in refused.stderr
    cached = write_xml(bare, lambda xml: xml.replace("<f>50+5</f><v></v>", "<f>50+5</f><v>55</v>"))
    taken = run_cli(git_ledger, ["intake", str(cached)], **JULY)
    assert taken.exit_code == 0, taken.stderr
    assert "- {date: 2023-07-31, item: 2, by: 交通运输局（张三）, percent: 55}" in records_of(
        git_ledger, "03-"
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "damaged or password-protected"),
        (b"PK\x03\x04" + b"broken" * 50, "damaged (Excel cannot open it as a workbook)"),
        ("序号,内容\n1,2\n".encode("gb18030"), "not a form made by `minsheng forms`"),
    ],
)
def test_files_that_are_not_forms(git_ledger: Path, content: bytes, says: str) -> None:
    path = git_ledger.parent / ("报表.csv" if says.startswith("not a form") else "报表.xlsx")
    path.write_bytes(content)
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(path)], **JULY)
    assert result.exit_code == 1
    assert result.stderr.startswith(path.name) and says in result.stderr
    assert "Traceback" not in result.stderr


def test_a_word_document_or_other_zip_is_named_for_what_it_is(git_ledger: Path) -> None:
    import docx

    word = git_ledger.parent / "r7.docx"
    document = docx.Document()
    document.add_paragraph("7月进度")
    document.save(str(word))
    slides = git_ledger.parent / "r7.pptx"
    with zipfile.ZipFile(slides, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    photos = git_ledger.parent / "照片.zip"
    with zipfile.ZipFile(photos, "w") as archive:
        archive.writestr("1.jpg", b"\xff\xd8")
    result = run_cli(git_ledger, ["intake", str(word), str(slides), str(photos)], **JULY)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert "r7.docx：不是 `minsheng forms` 生成的填报表（这是 Word 文档）" in lines[0]
    assert "（这是 PowerPoint 演示文稿）" in lines[2]
    assert (
        "照片.zip：不是 `minsheng forms` 生成的填报表（这是压缩包，不是 Excel 工作簿）" in lines[4]
    )
    assert "Error" not in result.stderr and "损坏" not in result.stderr


def test_an_export_is_not_a_form(git_ledger: Path) -> None:
    export = git_ledger.parent / "台账.xlsx"
    run_cli(git_ledger, ["export", "-o", str(export), "--month", "6"], **JULY)
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(export)], **JULY)
    assert result.exit_code == 1
    assert "台账.xlsx!" in result.stderr and "not a form made by `minsheng forms`" in result.stderr


def test_edited_forms_are_recognised(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    book = openpyxl.load_workbook(forms["交通运输局"])
    book.active["P3"] = book.active["P3"].value[:-8] + "AAAAAAA="
    coded = git_ledger.parent / "改码.xlsx"
    book.save(coded)
    book = openpyxl.load_workbook(forms["交通运输局"])
    book.active.delete_rows(11)
    moved = git_ledger.parent / "删行.xlsx"
    book.save(moved)
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(coded), str(moved)], **JULY)
    assert result.exit_code == 1
    assert "改码.xlsx!填报表!P3: the form's code was changed or damaged" in result.stderr
    assert "删行.xlsx!填报表!A11: rows were added, removed or moved" in result.stderr


def test_renumbered_items_and_another_ledger(git_ledger: Path, tmp_path: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(forms["农业农村局"], {"3.1|户厕改造": {"K": 900}})
    other = tmp_path / "other"
    shutil.copytree(git_ledger, other, ignore=shutil.ignore_patterns(".git", ".minsheng*"))
    git(other, "init", "--quiet")
    git(other, "add", "-A")
    git(other, "commit", "--quiet", "-m", "另一个台账")
    elsewhere = run_cli(other, ["--lang", "en", "intake", str(farm)], **JULY)
    assert elsewhere.exit_code == 1
    assert "!填报表!A1: this form was made for another ledger" in elsewhere.stderr

    task = git_ledger / "tasks" / "03-农村人居环境提升工程.yaml"
    text = task.read_text(encoding="utf-8")
    task.write_text(
        text.replace("完成农村户厕改造1310座", "完成农村户厕改造1320座"), encoding="utf-8"
    )
    git(git_ledger, "commit", "--quiet", "-am", "改写子项")
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(farm)], **JULY)
    assert result.exit_code == 1
    assert "!填报表!K11: the row is for item 3.1 as it was when the form was made" in result.stderr


def test_dates_as_typed_and_out_of_the_month(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    ok = fill(
        forms["农业农村局"],
        {"3.1#1": {"L": "是", "M": "7月9日"}, "3.1#2": {"L": "是", "M": "2023年7月10日"}},
    )
    result = run_cli(git_ledger, ["intake", str(ok)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert "(2023-07-09)" in result.stdout and "(2023-07-10)" in result.stdout
    bad = fill(forms["交通运输局"], {"3.2#1": {"L": "是", "M": "2023-08-01"}, "3.2#2": {"L": "对"}})
    refused = run_cli(git_ledger, ["--lang", "en", "intake", str(bad)], **JULY)
    assert "!填报表!M12: 2023-08-01 is outside 2023-01-01 to 2023-07-31" in refused.stderr
    assert "!填报表!L13: “对” is not 是 or 否" in refused.stderr


def csv_of(form: Path, encoding: str) -> Path:
    """The form's first sheet as Excel or WPS saves it as CSV on Chinese Windows."""
    sheet = openpyxl.load_workbook(form).active
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in sheet.iter_rows(values_only=True):
        writer.writerow(["" if v is None else getattr(v, "date", lambda v=v: v)() for v in row])
    path = form.with_suffix(".csv")
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def twin(root: Path) -> Path:
    """A clone of the workspace: the same ledger (same first commit), apart."""
    clone = root.parent / "twin"
    subprocess.run(["git", "clone", "--quiet", str(root), str(clone)], check=True)
    return clone


def test_a_gbk_csv_records_what_its_xlsx_does(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(
        forms["农业农村局"],
        {"3.1|户厕改造": {"K": 900, "O": "七月"}, "3.1#1": {"L": "是", "M": date(2023, 7, 5)}},
    )
    saved = csv_of(farm, "gb18030")
    other = twin(git_ledger)
    assert run_cli(git_ledger, ["intake", str(farm)], **JULY).exit_code == 0
    assert run_cli(other, ["intake", str(saved)], **JULY).exit_code == 0
    assert records_of(other, "03-") == records_of(git_ledger, "03-")
    again = run_cli(git_ledger, ["intake", str(saved)], **JULY)
    assert again.exit_code == 0 and "nothing" not in again.stderr
    assert len(commits(git_ledger)) == 2


def test_libreoffice_csv_of_a_filled_form(git_ledger: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(
        forms["农业农村局"],
        {
            "3.1|户厕改造": {"K": 900, "O": "7月报"},
            "3.1|示范村": {"K": 9.5},
            "3.1#1": {"L": "是", "M": date(2023, 7, 15), "N": "方案"},
        },
    )
    out = git_ledger.parent / "csv"
    converted = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{git_ledger.parent / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            str(out),
            str(farm),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    saved = out / farm.with_suffix(".csv").name
    if converted.returncode != 0 or not saved.exists():
        pytest.skip(f"LibreOffice could not convert: {converted.stderr[-200:]!r}")
    other = twin(git_ledger)
    assert run_cli(git_ledger, ["intake", str(farm)], **JULY).exit_code == 0
    taken = run_cli(other, ["intake", str(saved)], **JULY)
    assert taken.exit_code == 0, taken.stderr
    assert records_of(other, "03-") == records_of(git_ledger, "03-")
    assert records_of(other, "03-")[-2:] == [
        "- {date: 2023-07-31, item: 1, by: 农业农村局（张三）, set: {示范村: 9.5, 户厕改造: 900},"
        " note: 7月报}",
        "- {date: 2023-07-15, item: 1, by: 农业农村局（张三）,"
        " done: '完成项目方案编制,对接落实任务',"
        " evidence: 方案}",
    ]


def test_the_form_as_a_unit_opens_it(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY, "--unit", "农业")
    assert list(forms) == ["农业农村局"]
    sheet = openpyxl.load_workbook(forms["农业农村局"]).active
    assert sheet.title == "填报表"
    assert sheet.protection.sheet is True
    assert sheet.freeze_panes == "D10"
    assert sheet.column_dimensions["P"].hidden is True
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1
    keys = rows_by_key(sheet)
    value_row, tick_row = keys["3.1|户厕改造"], keys["3.1#1"]
    assert sheet[f"K{value_row}"].protection.locked is False
    assert sheet[f"E{value_row}"].protection.locked is True and sheet[f"E{value_row}"].value == 1310
    assert sheet[f"L{tick_row}"].protection.locked is False
    assert sheet[f"K{tick_row}"].protection.locked is True
    assert sheet["C3"].protection.locked is False
    rules = {
        (v.type, v.operator, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation
    }
    assert ("decimal", "greaterThanOrEqual", "0", None) in rules
    assert ("list", None, '"是,否"', None) in rules
    assert ("date", "between", "DATE(2023,7,1)", "DATE(2023,7,31)") in rules
    assert "填表说明" in str(sheet["A4"].value)
    again = run_cli(
        git_ledger,
        ["forms", "--month", "7", "--unit", "农业", "-o", str(forms["农业农村局"].parent)],
        **JULY,
    )
    assert again.exit_code == 2 and "--force" in again.stderr


def test_outside_git_the_same_figures_again_are_refused(ledger_dir: Path) -> None:
    forms = make_forms(ledger_dir, 7, JULY)
    roads = fill(forms["交通运输局"], {"3.2|percent": {"K": 40}})
    first = run_cli(ledger_dir, ["--lang", "en", "intake", str(roads)], **JULY)
    assert first.exit_code == 0
    assert "no audit trail is kept" in first.stderr
    again = run_cli(ledger_dir, ["--lang", "en", "intake", str(roads)], **JULY)
    assert again.exit_code == 1
    assert "!填报表!K11: the same record (update 3.2 工程进度 40% (2023-07-31))" in again.stderr
    assert (
        records_of(ledger_dir, "03-").count(
            "- {date: 2023-07-31, item: 2, by: 交通运输局（张三）, percent: 40}"
        )
        == 1
    )


def test_rows_of_other_indicators_do_not_bound_each_other(git_ledger: Path) -> None:
    """A row dated after another row's date, for other indicators, does not carry a figure
    forward that the other row is then checked against."""
    run_cli(git_ledger, ["update", "3.3", "--percent", "45", "--date", "2023-06-20"], **JULY)
    forms = make_forms(git_ledger, 7, JULY)
    water = fill(
        forms["水务局"],
        {
            "3.3|维修管道": {"K": 40, "M": "7月30日"},
            "3.3|percent": {"K": 60, "M": "7月28日"},
        },
    )
    result = run_cli(git_ledger, ["intake", str(water)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert "update 3.3 维修管道 40/75 (2023-07-30)" in result.stdout
    assert "update 3.3 工程进度 60% (2023-07-28)" in result.stdout


def test_every_problem_of_a_form_is_listed_at_its_cell_in_a_form_s_words(
    git_ledger: Path,
) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    water = fill(
        forms["水务局"],
        {
            "3.3|维修管道": {"K": "1,000"},
            "3.3|各类阀件": {"K": 10},
            "3.3|维修水源地": {"K": "abc"},
            "3.3|各类阀井": {"K": -1},
            "3.3|联通饮水管道": {"K": 9},
            "3.3|percent": {"K": 120},
        },
    )
    rows = rows_by_key(openpyxl.load_workbook(water).active)
    cell = {key.split("|")[1]: f"K{row}" for key, row in rows.items() if key.startswith("3.3|")}
    result = run_cli(git_ledger, ["intake", str(water)], **JULY)
    assert result.exit_code == 1
    at = "已填-水务局-2023年7月填报表.xlsx!填报表!"
    lines = result.stderr.splitlines()
    assert lines == [
        f"{at}{cell['维修水源地']}：“abc”不是数字" + lines[0].split("不是数字")[1],
        f"{at}{cell['维修管道']}：维修管道 1000公里，为目标75公里的1333%，超过150%。"
        "请与填报单位核对；确认无误的，用 `minsheng intake --yes` 登记此表",
        f"{at}{cell['各类阀井']}：" + lines[2].split("：", 1)[1],
        f"{at}{cell['联通饮水管道']}：联通饮水管道 9公里，为目标2.5公里的360%，超过150%。"
        "请与填报单位核对；确认无误的，用 `minsheng intake --yes` 登记此表",
        f"{at}{cell['percent']}：工程进度应在0–100之间，不是120",
        "已填-水务局-2023年7月填报表.xlsx：此表未登记任何内容",
    ]
    assert "-1" in lines[2] and "--" not in "".join(lines[:5]).replace("--yes", "")


def test_intake_yes_records_a_value_checked_with_the_unit(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    water = fill(forms["水务局"], {"3.3|各类阀井": {"K": 300}})
    refused = run_cli(git_ledger, ["intake", str(water)], **JULY)
    assert refused.exit_code == 1 and "`minsheng intake --yes`" in refused.stderr
    result = run_cli(git_ledger, ["intake", "--yes", str(water)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert "update 3.3 各类阀井 300/150 (2023-07-31)" in result.stdout
    assert "超额完成" in result.stderr


def test_a_mistyped_date_is_one_problem(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(forms["农业农村局"], {"3.1#1": {"L": "是", "M": "7月32日"}})
    result = run_cli(git_ledger, ["intake", str(farm)], **JULY)
    assert result.exit_code == 1
    problems = result.stderr.splitlines()[:-1]
    assert len(problems) == 1 and "“7月32日”不是日期" in problems[0], problems


def test_cells_filled_where_the_row_takes_nothing_are_problems(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    farm = fill(
        forms["农业农村局"],
        {
            "3.1|户厕改造": {"L": "是"},
            "3.1#1": {"K": 900},
            "3.1#2": {"L": "否", "M": "7月3日", "N": "验收报告"},
        },
    )
    rows = rows_by_key(openpyxl.load_workbook(farm).active)
    figure, first, second = rows["3.1|户厕改造"], rows["3.1#1"], rows["3.1#2"]
    result = run_cli(git_ledger, ["intake", str(farm)], **JULY)
    assert result.exit_code == 1
    at = "已填-农业农村局-2023年7月填报表.xlsx!填报表!"
    problems = result.stderr.splitlines()
    assert f"{at}L{figure}：这一行是数值，不填“是/否”；请在K{figure}填写累计数" in problems
    assert f"{at}K{first}：这一行是节点，不填累计数；已完成的请在L{first}选“是”" in problems
    unticked = f"L{second}未选“是”：节点已完成的请在L{second}选“是”，否则清空此格"
    assert f"{at}M{second}：{unticked}" in problems and f"{at}N{second}：{unticked}" in problems
    assert "nothing filled" not in result.stdout and "未填报" not in result.stdout


def test_a_blank_reporter_is_a_warning_and_the_person_is_kept_in_by(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    roads = fill(forms["交通运输局"], {"3.2|percent": {"K": 40}}, person="")
    trial = run_cli(git_ledger, ["intake", "--dry-run", str(roads)], **JULY)
    assert trial.exit_code == 0, trial.stderr
    assert (
        "警告：已填-交通运输局-2023年7月填报表.xlsx!填报表!C3：报送人未填，将按单位报送登记"
        in trial.stderr
    )
    assert "已按单位" not in trial.stderr
    result = run_cli(git_ledger, ["intake", str(roads)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert (
        "警告：已填-交通运输局-2023年7月填报表.xlsx!填报表!C3：报送人未填，已按单位报送登记"
        in result.stderr
    )
    assert records_of(git_ledger, "03-")[-1] == (
        "- {date: 2023-07-31, item: 2, by: 交通运输局, percent: 40}"
    )
    farm = fill(forms["农业农村局"], {"3.1|户厕改造": {"K": 900}}, person="李四")
    assert run_cli(git_ledger, ["intake", str(farm)], **JULY).exit_code == 0
    assert records_of(git_ledger, "03-")[-1] == (
        "- {date: 2023-07-31, item: 1, by: 农业农村局（李四）, set: {户厕改造: 900}}"
    )
    assert "Reported-by: 农业农村局（李四）\n" in git(git_ledger, "log", "-1", "--format=%B")


def test_dry_run_of_two_copies_of_a_form_says_the_second_repeats_the_first(
    ledger_dir: Path,
) -> None:
    forms = make_forms(ledger_dir, 7, JULY)
    roads = fill(forms["交通运输局"], {"3.2|percent": {"K": 40}})
    copy = shutil.copy(roads, roads.with_name("副本.xlsx"))
    result = run_cli(ledger_dir, ["intake", "--dry-run", str(roads), str(copy)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert "副本.xlsx：与上面的 已填-交通运输局-2023年7月填报表.xlsx 填报内容相同" in result.stdout
    assert "已在" not in result.stderr + result.stdout


def test_every_open_month_of_a_monthly_duty_can_be_ticked(git_ledger: Path) -> None:
    for month in (1, 2, 3, 4):
        args = ["done", "7.2", "2", "--period", str(month), "--date", f"2023-{month}-20"]
        assert run_cli(git_ledger, args, **JULY).exit_code == 0
    forms = make_forms(git_ledger, 7, JULY, "--unit", "人力")
    sheet = openpyxl.load_workbook(forms["人力资源和社会保障局"]).active
    keys = rows_by_key(sheet)
    assert [k for k in keys if k.startswith("7.2#2")] == ["7.2#2@5", "7.2#2@6", "7.2#2@7"]
    assert sheet[f"C{keys['7.2#2@5']}"].value == "按时兑付（5月）"
    assert sheet[f"L{keys['7.2#2@5']}"].protection.locked is False
    paid = fill(forms["人力资源和社会保障局"], {"7.2#2@5": {"L": "是", "M": "7月10日"}})
    result = run_cli(git_ledger, ["intake", str(paid)], **JULY)
    assert result.exit_code == 0, result.stderr
    assert (
        "- {date: 2023-07-10, item: 2, by: 人力资源和社会保障局（张三）, done: 按时兑付, period: 5}"
        in records_of(git_ledger, "07-")
    )
    overdue = json.loads(run_cli(git_ledger, ["overdue", "--month", "7", "--json"], **JULY).stdout)
    late = {(m["item"], m["milestone"], m.get("period")) for m in overdue}
    assert ("7.2", 2, 5) not in late and ("7.2", 2, 6) in late


def test_a_repeated_unit_adds_units(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY, "--unit", "农业", "--unit", "教体")
    assert set(forms) == {"教育体育局", "农业农村局"}
    slip = run_cli(
        git_ledger,
        ["forms", "--month", "7", "--unit", "农业", "--unit", "无此", "-o", "x"],
        **JULY,
    )
    assert slip.exit_code == 2 and "无此" in slip.stderr


@pytest.mark.parametrize("charset", ["cp1252", "ascii"])
def test_a_csv_whose_chinese_is_garbled(git_ledger: Path, charset: str) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    saved = csv_of(fill(forms["交通运输局"], {"3.2|percent": {"K": 40}}), "utf-8")
    saved.write_bytes(saved.read_text(encoding="utf-8").encode(charset, errors="replace"))
    result = run_cli(git_ledger, ["--lang", "en", "intake", str(saved)], **JULY)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{saved.name}: the CSV's Chinese is garbled")
    assert "UTF-8" in result.stderr and "not a form" not in result.stderr


@pytest.mark.parametrize(("edit", "column"), [("insert_cols", "Q"), ("delete_cols", "O")])
def test_a_column_inserted_or_deleted(git_ledger: Path, edit: str, column: str) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    book = openpyxl.load_workbook(forms["交通运输局"])
    for merged in list(book.active.merged_cells.ranges):  # openpyxl does not shrink them
        book.active.unmerge_cells(str(merged))
    getattr(book.active, edit)(3)
    edited = git_ledger.parent / "改列.xlsx"
    book.save(edited)
    result = run_cli(git_ledger, ["intake", str(edited)], **JULY)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"改列.xlsx!填报表!{column}1：表格列被插入或删除（表单标识在{column}列而非P列）；请用原表填写"
    )


def test_locked_labels_edited_are_refused_by_cell(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY)
    book = openpyxl.load_workbook(forms["交通运输局"])
    sheet = book.active
    keys = rows_by_key(sheet)
    value_row, tick_row = keys["3.2|percent"], keys["3.2#1"]
    sheet["A2"] = "报送单位：水务局"
    sheet[f"E{value_row}"] = 90
    sheet[f"C{tick_row}"] = "完成初步设计"
    sheet[f"K{value_row}"] = 40
    edited = git_ledger.parent / "改字.xlsx"
    book.save(edited)
    before = records_of(git_ledger, "03-")
    result = run_cli(git_ledger, ["intake", str(edited)], **JULY)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "改字.xlsx!填报表!A2：表中锁定内容被改动（应为“报送单位：交通运输局”）；请用原表填写",
        f"改字.xlsx!填报表!E{value_row}：目标与台账不符（表中锁定内容被改动）；请用原表填写",
        f"改字.xlsx!填报表!C{tick_row}：节点内容与台账不符（表中锁定内容被改动）；请用原表填写",
    ]
    assert records_of(git_ledger, "03-") == before


def test_the_sheet_reads_plainly(git_ledger: Path) -> None:
    forms = make_forms(git_ledger, 7, JULY, "--unit", "人力")
    sheet = openpyxl.load_workbook(forms["人力资源和社会保障局"]).active
    keys = rows_by_key(sheet)
    assert sheet[f"J{keys['6.1|技能培训']}"].value == 368
    assert sheet[f"J{keys['6.1|农村劳动力转移就业']}"].value == 2.1
    text = "".join(str(sheet[f"A{row}"].value) for row in range(4, 9))
    assert "不能直接填报" not in text and "本表不能登记" in text
    assert "签名栏" not in text and "在“报送人”栏填写姓名后" in text


def test_usage_errors_are_one_chinese_line(git_ledger: Path) -> None:
    folder = git_ledger.parent / "round2"
    folder.mkdir()
    a_file = git_ledger.parent / "a-file"
    a_file.write_text("x", encoding="utf-8")
    for args, says in (
        (["intake", str(folder)], f"“{folder}”是文件夹"),
        (["intake", str(git_ledger.parent / "nosuch.xlsx")], "nosuch.xlsx”不存在"),
        (["forms", "--month", "7", "-o", str(a_file)], f"“{a_file}”是文件，不是文件夹"),
    ):
        result = run_cli(git_ledger, args, **JULY)
        assert result.exit_code == 2, args
        assert len(result.stderr.splitlines()) == 1 and says in result.stderr, result.stderr
        assert "Invalid value" not in result.stderr


@pytest.mark.parametrize(("month", "today"), [(7, "2023-07-27"), (6, "2023-06-12")])
def test_a_form_made_mid_month_plans_to_the_month_s_end(
    git_ledger: Path, month: int, today: str
) -> None:
    env = {"MINSHENG_TODAY": today}
    sheet = openpyxl.load_workbook(make_forms(git_ledger, month, env)["农业农村局"]).active
    shown = json.loads(
        run_cli(git_ledger, ["show", "3.1", "--month", str(month), "--json"], **env).stdout
    )
    planned = {m["name"]: m["expected"] for m in shown[0]["measures"]}
    keys = rows_by_key(sheet)
    for name in ("户厕改造", "示范村"):  # to the target's precision, as `show` prints it
        assert sheet[f"J{keys['3.1|' + name]}"].value == round(planned[name])


def test_a_milestone_done_in_an_earlier_month_is_ticked_on_this_month_s_form(
    git_ledger: Path,
) -> None:
    may = {"MINSHENG_TODAY": "2023-05-28"}
    form = make_forms(git_ledger, 5, may, "--unit", "农业")["农业农村局"]
    sheet = openpyxl.load_workbook(form).active
    tick_row, value_row = rows_by_key(sheet)["3.1#1"], rows_by_key(sheet)["3.1|户厕改造"]
    rules = {
        cell: (v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
        for cell in (f"M{tick_row}", f"M{value_row}")
        if cell in v.sqref
    }
    assert rules == {
        f"M{tick_row}": ("DATE(2023,1,1)", "DATE(2023,5,31)"),
        f"M{value_row}": ("DATE(2023,5,1)", "DATE(2023,5,31)"),
    }
    early_figure = fill(form, {"3.1|户厕改造": {"K": 100, "M": "2023-01-20"}})
    refused = run_cli(git_ledger, ["--lang", "en", "intake", str(early_figure)], **may)
    assert refused.exit_code == 1
    assert f"!填报表!M{value_row}: 2023-01-20 is outside the form's month" in refused.stderr
    ticked = fill(form, {"3.1#1": {"L": "是", "M": "2023-01-20"}})
    result = run_cli(git_ledger, ["intake", str(ticked)], **may)
    assert result.exit_code == 0, result.stderr
    assert "done 3.1#1 完成项目方案编制,对接落实任务 (2023-01-20)" in result.stdout
    shown = json.loads(run_cli(git_ledger, ["show", "3.1", "--json"], **may).stdout)
    assert shown[0]["milestones"][0]["state"] == "met"


def test_a_unit_with_only_ticks_gets_a_form_and_owes_no_figure(git_ledger: Path) -> None:
    form = make_forms(git_ledger, 7, JULY, "--unit", "医疗保障")["医疗保障局"]
    keys = rows_by_key(openpyxl.load_workbook(form).active)
    assert {"5.2#1", "5.2#3", "5.2|percent"} <= set(keys)
    owed = run_cli(git_ledger, ["unreported", "--month", "7", "--json"], **JULY)
    assert "农业农村局" in {entry["unit"] for entry in json.loads(owed.stdout)}
    assert "5.2" not in {entry["item"] for entry in json.loads(owed.stdout)}
