"""`update`/`done --attach FILE`: evidence stored once by content under evidence/, named in the
record, committed with it, and shown by show, the HTML bulletin and export."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from minsheng_cli.cli.record import attachment_name
from minsheng_cli.errors import UsageError
from tests.conftest import git, run_cli
from tests.writes import flat, task_bytes

TOILETS = "tasks/03-农村人居环境提升工程.yaml"
PLAN = "完成项目方案编制,对接落实任务"  # 3.1#1


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored(data: bytes, suffix: str) -> str:
    digest = sha(data)
    return f"evidence/{digest[:2]}/{digest}{suffix}"


def records(root: Path) -> list[dict[str, object]]:
    loaded = yaml.safe_load((root / TOILETS).read_text(encoding="utf-8"))
    return list(loaded["records"])


def evidence_files(root: Path) -> list[str]:
    folder = root / "evidence"
    if not folder.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def files(tmp_path: Path) -> dict[str, bytes]:
    """Two files outside the workspace: a scanned certificate and a photo."""
    made = {"验收证书.PDF": b"%PDF-1.4 acceptance", "现场 照片.jpg": bytes(range(256)) * 40}
    for name, data in made.items():
        (tmp_path / name).write_bytes(data)
    return made


def test_done_attach_stores_each_file_once_and_commits_it_with_the_record(
    git_ledger: Path, tmp_path: Path, files: dict[str, bytes]
) -> None:
    pdf, photo = tmp_path / "验收证书.PDF", tmp_path / "现场 照片.jpg"
    result = run_cli(
        git_ledger,
        [
            *("--lang", "en", "done", "3.1#1", "--date", "2023-04-03", "--by", "农业农村局"),
            *("--attach", str(pdf), "--attach", str(photo), "--attach", str(pdf)),
        ],
    )
    assert result.exit_code == 0, result.stderr
    pdf_path = stored(files["验收证书.PDF"], ".pdf")
    photo_path = stored(files["现场 照片.jpg"], ".jpg")
    assert f"attached: 验收证书.PDF ({pdf_path})" in result.stdout
    assert evidence_files(git_ledger) == sorted([pdf_path, photo_path])
    assert (git_ledger / pdf_path).read_bytes() == files["验收证书.PDF"]
    assert records(git_ledger)[-1]["attachments"] == [
        {"name": "验收证书.PDF", "sha256": sha(files["验收证书.PDF"]), "size": 19},
        {"name": "现场 照片.jpg", "sha256": sha(files["现场 照片.jpg"]), "size": 10240},
    ]
    changed = git(git_ledger, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == sorted([TOILETS, pdf_path, photo_path])
    message = git(git_ledger, "log", "-1", "--format=%B")
    assert message.rstrip().endswith(
        f"Minsheng-Item: 3.1\nReported-by: 农业农村局\nEvidence: {pdf_path}, {photo_path}"
    )
    assert git(git_ledger, "status", "--porcelain", "--", "tasks", "evidence") == ""

    again = run_cli(
        git_ledger,
        ["update", "3.2", "--percent", "10", "--date", "2023-04-05", "--attach", str(pdf)],
    )
    assert again.exit_code == 0, again.stderr
    assert evidence_files(git_ledger) == sorted([pdf_path, photo_path])  # stored once
    assert git(git_ledger, "show", "--name-only", "--format=", "HEAD").split() == [TOILETS]
    assert records(git_ledger)[-1]["attachments"] == [
        {"name": "验收证书.PDF", "sha256": sha(files["验收证书.PDF"]), "size": 19}
    ]
    assert run_cli(git_ledger, ["check"]).exit_code == 0


def limit(root: Path, megabytes: str) -> None:
    config = root / "minsheng.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"evidence_limit_mb: {megabytes}\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "big.pdf",
            "--attach {path}: 1.1 KB is more than the 0.001 MB limit (evidence_limit_mb: in"
            " minsheng.yaml); attach a smaller copy (a scan at lower resolution, a compressed"
            " PDF) or raise the limit. Nothing was recorded",
        ),
        ("missing.pdf", "--attach {path}: no such file; check the name (nothing was recorded)"),
        ("folder", "--attach {path}: that is a folder; name a file (nothing was recorded)"),
    ],
)
def test_a_file_that_cannot_be_attached_is_refused_and_nothing_is_written(
    ledger_dir: Path, tmp_path: Path, name: str, message: str
) -> None:
    limit(ledger_dir, "0.001")  # 1049 bytes
    (tmp_path / "big.pdf").write_bytes(b"x" * 1100)
    (tmp_path / "folder").mkdir()
    path = tmp_path / name
    before = task_bytes(ledger_dir)
    for command in (["done", "3.1#1"], ["update", "3.2", "--percent", "10"]):
        args = [*command, "--date", "2023-04-03", "--attach", str(path)]
        english = run_cli(ledger_dir, ["--lang", "en", *args])
        assert (english.exit_code, english.stdout) == (2, "")
        assert flat(english.stderr) == "error: " + message.format(path=path)
        chinese = run_cli(ledger_dir, args)
        assert chinese.exit_code == 2
        assert "evidence_limit_mb" in chinese.stderr or name != "big.pdf"
    assert task_bytes(ledger_dir) == before
    assert not (ledger_dir / "evidence").exists()


def test_the_limit_is_20_mb_by_default(ledger_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: no 20 MB written
    result = run_cli(
        ledger_dir, ["--lang", "en", "done", "3.1#1", "--date", "2023-04-03", "--attach", str(big)]
    )
    assert result.exit_code == 2
    assert "20 MB is more than the 20 MB limit" in flat(result.stderr)
    limit(ledger_dir, "0")
    checked = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert checked.exit_code == 1
    assert "minsheng.yaml" in checked.stdout + checked.stderr


def test_a_refused_record_takes_back_the_files_it_stored(ledger_dir: Path, tmp_path: Path) -> None:
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(b"proof")
    file = ledger_dir / TOILETS  # a file the writer cannot append to, refused once checked
    file.write_text(file.read_text(encoding="utf-8") + "records: []\n", encoding="utf-8")
    args = ["done", "3.1#1", "--date", "2023-04-03", "--attach", str(proof), "--no-commit"]
    result = run_cli(ledger_dir, ["--lang", "en", *args])
    assert result.exit_code == 1
    assert "records: must be a block list" in result.stderr
    assert evidence_files(ledger_dir) == []


def test_a_record_saved_but_not_committed_is_committed_with_its_evidence(
    git_ledger: Path, tmp_path: Path
) -> None:
    proof = tmp_path / "开工报告.docx"
    proof.write_bytes(b"report")
    args = ["done", "3.1#1", "--date", "2023-04-03", "--by", "农业农村局", "--attach", str(proof)]
    assert run_cli(git_ledger, [*args, "--no-commit"]).exit_code == 0
    path = stored(b"report", ".docx")
    assert git(git_ledger, "status", "--porcelain", "--", "evidence") == "?? evidence/\n"
    fixed = run_cli(git_ledger, ["doctor", "--fix"])
    assert fixed.exit_code == 0, fixed.stdout
    assert sorted(git(git_ledger, "show", "--name-only", "--format=", "HEAD").split()) == sorted(
        [TOILETS, path]
    )
    assert git(git_ledger, "log", "-1", "--format=%(trailers:key=Evidence,valueonly)").strip() == (
        path
    )
    assert git(git_ledger, "status", "--porcelain", "--", "tasks", "evidence") == ""


def test_doctor_notes_a_stored_file_no_record_names(git_ledger: Path) -> None:
    orphan = git_ledger / "evidence" / "ab" / ("ab" * 32 + ".pdf")
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"left by a kill")
    result = run_cli(git_ledger, ["--lang", "en", "doctor"])
    assert result.exit_code == 0
    assert "note: files in evidence that no record names" in flat(result.stdout)
    assert orphan.relative_to(git_ledger).as_posix() in result.stdout


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("验收证书.pdf", "验收证书.pdf"),
        ("dir/sub/照片 1.JPG", "照片 1.JPG"),
        ("a\x1bb.pdf", "a\ufffdb.pdf"),
        ("two\nlines.pdf", "two\ufffdlines.pdf"),
        ("tab\there.pdf", "tab\ufffdhere.pdf"),
        ("bytes\udcff.pdf", "bytes\ufffd.pdf"),
    ],
)
def test_the_name_kept_is_the_file_s_last_part_made_safe(given: str, kept: str) -> None:
    assert attachment_name(Path(given)) == kept


def test_a_name_with_a_text_direction_mark_is_refused() -> None:
    with pytest.raises(UsageError, match="文字方向"):
        attachment_name(Path("invoice\u202efdp.exe"))


@pytest.mark.parametrize(
    "attachment",
    [
        "{name: a.pdf, sha256: ../../etc/passwd, size: 1}",
        "{name: ../a.pdf, sha256: " + "a" * 64 + ", size: 1}",
        "{name: a.pdf, sha256: " + "A" * 64 + ", size: 1}",
        "{name: a.pdf, sha256: " + "a" * 64 + ", size: '1'}",
        "{name: a.pdf, sha256: " + "a" * 64 + "}",
    ],
)
def test_check_refuses_an_attachment_that_is_not_one(ledger_dir: Path, attachment: str) -> None:
    file = ledger_dir / TOILETS
    record = f"  - {{date: 2023-04-03, item: 1, done: '{PLAN}', attachments: [{attachment}]}}\n"
    text = file.read_text(encoding="utf-8")
    file.write_text(text + "records:\n" + record, encoding="utf-8")  # the file has none yet
    result = run_cli(ledger_dir, ["check"])
    assert result.exit_code == 1
    last = len(text.splitlines()) + 2
    assert f"03-农村人居环境提升工程.yaml:{last}:" in result.stdout + result.stderr


@pytest.fixture
def attached(git_ledger: Path, tmp_path: Path) -> tuple[Path, str]:
    """3.1#1 ticked on 2023-04-03 with a file whose name is markup."""
    proof = tmp_path / "<b>验收&证书<i>.pdf"
    proof.write_bytes(b"certificate")
    args = ["done", "3.1#1", "--date", "2023-04-03", "--attach", str(proof)]
    assert run_cli(git_ledger, args).exit_code == 0
    return git_ledger, stored(b"certificate", ".pdf")


def test_show_lists_the_attachments(attached: tuple[Path, str]) -> None:
    root, path = attached
    shown = run_cli(root, ["show", "3.1"], COLUMNS="200")
    assert shown.exit_code == 0
    lines = shown.stdout.splitlines()
    assert "佐证材料" in lines
    row = next(line for line in lines if path in line)
    assert row.split() == ["2023-04-03", "#1", "<b>验收&证书<i>.pdf", "11", "B", path]
    data = json.loads(run_cli(root, ["show", "3.1", "--json"]).stdout)
    ticked = [r for r in data[0]["records"] if r["attachments"]]
    assert ticked[0]["attachments"] == [
        {"name": "<b>验收&证书<i>.pdf", "size": 11, "sha256": sha(b"certificate"), "path": path}
    ]


def test_the_html_bulletin_links_each_file_from_where_it_is_written(
    attached: tuple[Path, str],
) -> None:
    root, path = attached
    (root / "通报").mkdir()
    result = run_cli(root, ["report", "--month", "4", "-o", str(root / "通报" / "4月.html")])
    assert result.exit_code == 0, result.stderr
    html = (root / "通报" / "4月.html").read_text(encoding="utf-8")
    link = f'<a href="../{path}">2023-04-03 {PLAN}：&lt;b&gt;验收&amp;证书&lt;i&gt;.pdf（11 B）</a>'
    assert link in html
    assert "<b>" not in html
    march = run_cli(root, ["report", "--month", "3", "--format", "html"])
    assert path not in march.stdout  # attached in April: not March's evidence


def test_export_lists_the_attachments(attached: tuple[Path, str]) -> None:
    from openpyxl import load_workbook

    root, path = attached
    assert run_cli(root, ["export", "-o", str(root / "台账.xlsx")]).exit_code == 0
    workbook = load_workbook(root / "台账.xlsx")
    assert workbook.sheetnames[-1] == "佐证材料"
    rows = list(workbook["佐证材料"].iter_rows(values_only=True))
    assert rows[0] == ("子项", "登记内容", "日期", "文件名", "存放位置", "SHA-256", "字节数")
    assert rows[1][:2] == ("3.1", f"已销号：#1 {PLAN}")
    assert rows[1][3:] == ("<b>验收&证书<i>.pdf", path, sha(b"certificate"), 11)
    ledger = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert ledger[0][-1] == "佐证材料"
    cells = [row[-1] for row in ledger[1:] if row[-1]]
    assert cells == [f"<b>验收&证书<i>.pdf（{path}）"]

    table = run_cli(root, ["export", "-f", "csv"]).stdout_bytes.decode("utf-8-sig")
    assert f"<b>验收&证书<i>.pdf（{path}）" in table
    data = json.loads(run_cli(root, ["export", "-f", "json"]).stdout)
    assert data["evidence"] == [
        {
            "item": "3.1",
            "milestone": 1,
            "date": "2023-04-03",
            "name": "<b>验收&证书<i>.pdf",
            "size": 11,
            "sha256": sha(b"certificate"),
            "path": path,
        }
    ]


def test_the_stored_path_stands_in_full_width_brackets_without_spaces(
    git_ledger: Path, tmp_path: Path, files: dict[str, bytes]
) -> None:
    run = ["done", "3.1#1", "--date", "2023-04-03", "--attach", str(tmp_path / "验收证书.PDF")]
    result = run_cli(git_ledger, run)
    assert result.exit_code == 0, result.stderr
    path = stored(files["验收证书.PDF"], ".pdf")
    assert f"已附佐证材料：验收证书.PDF（{path}）\n" in result.stdout


def test_doctor_never_calls_committed_evidence_a_leftover(git_ledger: Path, tmp_path: Path) -> None:
    """A task file with an error has its records unread: its committed attachments are not
    "left by a stopped write", and doctor must not suggest deleting them."""
    proof = tmp_path / "验收单.pdf"
    proof.write_bytes(b"accepted")
    args = ["done", "3.1#1", "--date", "2023-04-03", "--by", "农业农村局", "--attach", str(proof)]
    assert run_cli(git_ledger, args).exit_code == 0
    file = git_ledger / TOILETS
    file.write_text(file.read_text(encoding="utf-8").replace("target:", "target: -5 #", 1), "utf-8")
    result = run_cli(git_ledger, ["--lang", "en", "doctor"])
    assert stored(b"accepted", ".pdf") not in result.stdout
    assert "no record names" not in flat(result.stdout)


# Files that come after the fact: done --attach on a milestone already ticked off, update --attach
# with no values. Each is a record of its own that ticks nothing and reports nothing.


def counts(root: Path) -> tuple[str, str]:
    """What status --json and overdue --json say as of 2023-08-10: must not move with files."""
    status = run_cli(root, ["status", "--as-of", "2023-08-10", "--json"])
    overdue = run_cli(root, ["overdue", "--as-of", "2023-08-10", "--json"])
    assert status.exit_code == 0, status.stderr
    assert overdue.exit_code == 1, overdue.stderr
    return status.stdout, overdue.stdout


def met_on(root: Path, ref: str, number: int) -> str | None:
    shown = json.loads(run_cli(root, ["show", ref, "--as-of", "2023-08-10", "--json"]).stdout)
    found = next(m for m in shown[0]["milestones"] if m["milestone"] == number)
    return str(found["met_on"]) if found["met_on"] else None


def test_a_file_added_after_the_tick_goes_under_the_milestone_and_moves_nothing(
    git_ledger: Path, tmp_path: Path
) -> None:
    assert run_cli(git_ledger, ["done", "3.1#1", "--date", "2023-04-03"]).exit_code == 0
    before = counts(git_ledger)
    certificate = tmp_path / "验收证书.pdf"
    certificate.write_bytes(b"signed")
    args = ["done", "3.1", "1", "--date", "2023-07-28", "--by", "农业农村局"]
    result = run_cli(
        git_ledger, ["--lang", "en", *args, "--note", "扫描件", "--attach", str(certificate)]
    )
    assert result.exit_code == 0, result.stderr
    assert f"recorded: attach 3.1#1 {PLAN} (2023-07-28)" in result.stdout
    path = stored(b"signed", ".pdf")
    assert records(git_ledger)[-1] == {
        "date": date(2023, 7, 28),
        "item": 1,
        "by": "农业农村局",
        "attach_to": PLAN,
        "note": "扫描件",
        "attachments": [{"name": "验收证书.pdf", "sha256": sha(b"signed"), "size": 6}],
    }
    assert met_on(git_ledger, "3.1", 1) == "2023-04-03"  # the tick's date stays
    assert counts(git_ledger) == before  # no second tick, no report: the same counts, same 最近报送
    message = git(git_ledger, "log", "-1", "--format=%B")
    assert message.startswith(f"attach 3.1#1 {PLAN} (2023-07-28)\n")
    assert "扫描件" in message
    assert message.rstrip().endswith(f"Reported-by: 农业农村局\nEvidence: {path}")
    assert sorted(git(git_ledger, "show", "--name-only", "--format=", "HEAD").split()) == sorted(
        [TOILETS, path]
    )
    logged = run_cli(git_ledger, ["log", "3.1"], COLUMNS="200")
    assert f"attach 3.1#1 {PLAN} (2023-07-28)" in logged.stdout
    assert run_cli(git_ledger, ["check"]).exit_code == 0

    shown = run_cli(git_ledger, ["show", "3.1"], COLUMNS="200").stdout.splitlines()
    assert next(line for line in shown if path in line).split() == [
        *("2023-07-28", "#1", "验收证书.pdf", "6", "B", path)
    ]
    assert any(f"补充佐证材料：{PLAN}（打造人居环境示范村）" in line for line in shown)

    (git_ledger / "通报").mkdir()
    html_file = git_ledger / "通报" / "7月.html"
    assert run_cli(git_ledger, ["report", "--month", "7", "-o", str(html_file)]).exit_code == 0
    link = f'<a href="../{path}">2023-07-28 {PLAN}：验收证书.pdf（6 B）</a>'
    assert link in html_file.read_text(encoding="utf-8")

    from openpyxl import load_workbook

    xlsx = git_ledger / "台账.xlsx"
    export = ["export", "--as-of", "2023-08-10", "-o", str(xlsx)]
    assert run_cli(git_ledger, export).exit_code == 0
    workbook = load_workbook(xlsx)
    listed = list(workbook["佐证材料"].iter_rows(values_only=True))[1:]
    assert [row[:2] + row[3:5] for row in listed] == [
        ("3.1", f"补充佐证材料：#1 {PLAN}", "验收证书.pdf", path)
    ]
    ledger = list(workbook.worksheets[0].iter_rows(values_only=True))
    row = next(r for r in ledger[1:] if r[1] == "3.1" and r[4] == 1)
    assert row[-1] == f"验收证书.pdf（{path}）"
    data = json.loads(run_cli(git_ledger, ["export", "-f", "json", "--as-of", "2023-08-10"]).stdout)
    assert [(e["item"], e["milestone"], e["path"]) for e in data["evidence"]] == [("3.1", 1, path)]


def test_update_attach_alone_keeps_the_item_s_files_and_reports_nothing(
    git_ledger: Path, tmp_path: Path
) -> None:
    before = counts(git_ledger)
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"photo")
    args = ["update", "3.2", "--date", "2023-07-28", "--by", "交通运输局", "--attach", str(photo)]
    result = run_cli(git_ledger, ["--lang", "en", *args])
    assert result.exit_code == 0, result.stderr
    assert "recorded: attach 3.2 (2023-07-28)" in result.stdout
    path = stored(b"photo", ".jpg")
    assert records(git_ledger)[-1] == {
        "date": date(2023, 7, 28),
        "item": 2,
        "by": "交通运输局",
        "attachments": [{"name": "现场.jpg", "sha256": sha(b"photo"), "size": 5}],
    }
    assert counts(git_ledger) == before
    assert git(git_ledger, "log", "-1", "--format=%(trailers:key=Evidence,valueonly)").strip() == (
        path
    )
    shown = run_cli(git_ledger, ["show", "3.2"], COLUMNS="200").stdout.splitlines()
    assert next(line for line in shown if path in line).split() == [
        *("2023-07-28", "-", "现场.jpg", "5", "B", path)
    ]
    assert any("子项佐证材料" in line for line in shown)
    data = json.loads(run_cli(git_ledger, ["export", "-f", "json", "--as-of", "2023-08-10"]).stdout)
    assert [(e["item"], e["milestone"], e["path"]) for e in data["evidence"]] == [
        ("3.2", None, path)
    ]
    assert run_cli(git_ledger, ["check"]).exit_code == 0


def test_files_already_there_are_refused_as_a_repeat(
    attached: tuple[Path, str], tmp_path: Path
) -> None:
    root, _path = attached  # 3.1#1 ticked with the certificate
    before = task_bytes(root)
    certificate = tmp_path / "<b>验收&证书<i>.pdf"
    again = run_cli(
        root,
        ["--lang", "en", "done", "3.1#1", "--date", "2023-07-28", "--attach", str(certificate)],
    )
    assert again.exit_code == 2
    assert flat(again.stderr).startswith(
        f"error: the same record (attach 3.1#1 {PLAN} (2023-07-28)) is already in {TOILETS}:"
    )
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"photo")
    update = ["update", "3.2", "--date", "2023-07-28", "--attach", str(photo)]
    assert run_cli(root, update).exit_code == 0
    with_it = task_bytes(root)
    repeated = run_cli(root, ["--lang", "en", *update])
    assert repeated.exit_code == 2
    assert "the same record (attach 3.2 (2023-07-28)) is already in" in flat(repeated.stderr)
    assert task_bytes(root) == with_it != before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["done", "3.1#1", "--date", "2023-07-28"], "3.1#1 was already ticked off on 2023-04-03"),
        (
            ["done", "3.1#1", "--date", "2023-07-28", "--attach", "missing.pdf"],
            "--attach missing.pdf: no such file",
        ),
        (
            ["done", "3.1#1", "--date", "2099-07-28", "--attach", "proof.pdf"],
            "the date 2099-07-28 is after 2024-03-31",
        ),
        (["update", "3.2", "--date", "2023-07-28"], "nothing to record"),
        (
            ["update", "3.2", "--date", "2023-07-28", "--attach", "proof.pdf", "--correct"],
            "nothing to record",
        ),
    ],
)
def test_adding_files_is_refused_as_any_record_is(
    attached: tuple[Path, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    root, _path = attached
    monkeypatch.chdir(tmp_path)
    (tmp_path / "proof.pdf").write_bytes(b"proof")
    before = task_bytes(root)
    result = run_cli(root, ["--lang", "en", *args])
    assert result.exit_code == 2
    assert message in flat(result.stderr)
    assert task_bytes(root) == before


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        (f"{{date: 2023-07-28, item: 1, attach_to: '{PLAN}'}}", "attach_to: needs attachments:"),
        (
            "{date: 2023-07-28, item: 1, attach_to: 没有的节点, attachments: [ATTACHMENT]}",
            "adds files to “没有的节点”, which is not a milestone of 3.1",
        ),
        (
            f"{{date: 2023-07-28, item: 1, done: '{PLAN}', attach_to: '{PLAN}',"
            " attachments: [ATTACHMENT]}",
            "(exactly one)",
        ),
        ("{date: 2023-07-28, item: 1, by: 某人}", "or has only attachments:"),
    ],
)
def test_check_refuses_files_added_to_nothing(ledger_dir: Path, record: str, problem: str) -> None:
    attachment = "{name: a.pdf, sha256: " + "a" * 64 + ", size: 1}"
    file = ledger_dir / TOILETS
    line = f"records:\n  - {record.replace('ATTACHMENT', attachment)}\n"
    file.write_text(file.read_text(encoding="utf-8") + line, encoding="utf-8")
    result = run_cli(ledger_dir, ["--lang", "en", "check"])
    assert result.exit_code == 1
    assert problem in flat(result.stdout + result.stderr)


def test_files_added_but_not_committed_are_committed_as_what_they_are(
    git_ledger: Path, tmp_path: Path
) -> None:
    assert run_cli(git_ledger, ["done", "3.1#1", "--date", "2023-04-03"]).exit_code == 0
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"scan")
    args = ["done", "3.1#1", "--date", "2023-07-28", "--attach", str(scan), "--no-commit"]
    assert run_cli(git_ledger, args).exit_code == 0
    assert run_cli(git_ledger, ["doctor", "--fix"]).exit_code == 0
    assert git(git_ledger, "log", "-1", "--format=%s") == f"attach 3.1#1 {PLAN} (2023-07-28)\n"
    assert git(git_ledger, "status", "--porcelain", "--", "tasks", "evidence") == ""
