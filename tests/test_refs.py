"""References a clerk types: `3`, `3.2`, a unique fragment of a name (户厕); anything ambiguous or
unknown is a usage error (exit 2) that names the candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from minsheng_cli.errors import EXIT_USAGE, UsageError
from minsheng_cli.i18n import set_language
from minsheng_cli.ledger.model import Ledger
from minsheng_cli.ledger.refs import resolve, resolve_item, resolve_milestone
from minsheng_cli.store.load import load_ledger
from tests.conftest import run_cli


@pytest.fixture
def ledger(ledger_dir: Path) -> Ledger:
    set_language("en")
    return load_ledger(ledger_dir)


def refs(ledger: Ledger, ref: str) -> list[str]:
    return [item.ref for item in resolve(ledger, ref).items]


def usage_message(ledger: Ledger, ref: str) -> str:
    with pytest.raises(UsageError) as raised:
        resolve(ledger, ref)
    assert raised.value.exit_code == EXIT_USAGE
    return raised.value.message


# --- the core ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("3", ["3.1", "3.2", "3.3"]),
        ("03", ["3.1", "3.2", "3.3"]),
        (" 3 ", ["3.1", "3.2", "3.3"]),
        ("10", ["10.1"]),
        ("3.2", ["3.2"]),
        ("7.2", ["7.2"]),
        ("户厕", ["3.1"]),
        ("农村公路", ["3.2"]),
        ("水务局", ["3.3"]),
        ("法律援助", ["9.1"]),
        ("清洁取暖", ["1.1"]),
    ],
)
def test_references_resolve(ledger: Ledger, ref: str, expected: list[str]) -> None:
    assert refs(ledger, ref) == expected


def test_number_and_item_targets_carry_their_project(ledger: Ledger) -> None:
    whole = resolve(ledger, "3")
    assert whole.item is None
    assert (whole.project.id, whole.project.name) == (3, "农村人居环境提升工程")
    one = resolve(ledger, "3.2")
    assert one.item is not None
    assert (one.project.id, one.item.unit, one.item.leader) == (3, "交通运输局", "王继讲")


def test_a_name_fragment_prefers_a_unique_project_name(ledger: Ledger) -> None:
    # 农村 is in 3's name, and also in the content of 1.1; the 实事 name wins
    assert refs(ledger, "农村") == ["3.1", "3.2", "3.3"]


def test_ambiguous_fragment_lists_every_candidate(ledger: Ledger) -> None:
    message = usage_message(ledger, "人力资源")
    assert message == (
        "“人力资源” is ambiguous; it matches: "
        "6.1 群众就业稳岗提升工程（人力资源和社会保障局）; "
        "7.2 基本民生保障提升工程（人力资源和社会保障局）"
    )


def test_ambiguous_project_fragment_lists_the_projects(ledger: Ledger) -> None:
    message = usage_message(ledger, "提升")
    assert message.startswith("“提升” is ambiguous; it matches: ")
    for candidate in (
        "3 农村人居环境提升工程",
        "5 医疗健康保障提升工程",
        "6 群众就业稳岗提升工程",
        "7 基本民生保障提升工程",
        "8 群众文体生活提升工程",
        "9 法律援助质量提升工程",
        "10 政务惠企便民服务提升工程",
    ):
        assert candidate in message
    assert "1 冬季清洁取暖工程" not in message


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("11", f"there is no 实事 11; the ledger has {', '.join(str(n) for n in range(1, 11))}"),
        ("0", f"there is no 实事 0; the ledger has {', '.join(str(n) for n in range(1, 11))}"),
        ("3.4", "实事 3 has items 3.1–3.3; there is no 3.4"),
        ("3.0", "实事 3 has items 3.1–3.3; there is no 3.0"),
        ("9.2", "实事 9 has items 9.1–9.1; there is no 9.2"),
    ],
)
def test_unknown_numbers_list_what_exists(ledger: Ledger, ref: str, expected: str) -> None:
    assert usage_message(ledger, ref) == expected


def test_empty_reference(ledger: Ledger) -> None:
    assert usage_message(ledger, "  ") == "the reference is empty; give 3, 3.2 or part of a name"


EVERY_PROJECT = (
    "1 冬季清洁取暖工程; 2 城市基础设施补短板工程; 3 农村人居环境提升工程; 4 办学条件改善工程; "
    "5 医疗健康保障提升工程; 6 群众就业稳岗提升工程; 7 基本民生保障提升工程; "
    "8 群众文体生活提升工程; 9 法律援助质量提升工程; 10 政务惠企便民服务提升工程"
)
UNKNOWN_ROCKET = f"nothing matches “火箭发射”; the ledger's 实事: {EVERY_PROJECT}"


def test_unknown_fragment_is_a_usage_error_quoting_it(ledger: Ledger) -> None:
    assert "“火箭发射”" in usage_message(ledger, "火箭发射")


def test_unknown_fragment_lists_the_candidates(ledger: Ledger) -> None:
    message = usage_message(ledger, "火箭发射")
    assert all(f"{p.id} {p.name}" in message for p in ledger.projects)
    assert message == UNKNOWN_ROCKET


def test_a_long_candidate_list_is_cut_at_12_and_says_how_many_more(ledger: Ledger) -> None:
    # 工程 is in all ten 实事 names, and in the content of 3.2, 3.3, 5.1 and 10.1: 14 candidates
    message = usage_message(ledger, "工程")
    assert message == (
        f"“工程” is ambiguous; it matches: {EVERY_PROJECT}; "
        "3.2 农村人居环境提升工程（交通运输局）; 3.3 农村人居环境提升工程（水务局）"
        " … and 2 more"
    )
    assert "5.1" not in message
    assert "10.1 " not in message


def test_resolve_item_takes_a_single_item_project_as_its_item(ledger: Ledger) -> None:
    assert resolve_item(ledger, "9").ref == "9.1"
    assert resolve_item(ledger, "户厕").ref == "3.1"
    with pytest.raises(UsageError) as raised:
        resolve_item(ledger, "3")
    assert raised.value.message.startswith("3 has 3 items; name one: 3.1 农业农村局：")
    assert "3.2 交通运输局：" in raised.value.message
    assert "3.3 水务局：" in raised.value.message


def test_resolve_milestone_by_number_or_text(ledger: Ledger) -> None:
    item = resolve_item(ledger, "3.2")
    assert resolve_milestone(item, "3").text == "开工建设"
    assert resolve_milestone(item, "竣工验收").deadline == "11月底"
    with pytest.raises(UsageError) as raised:
        resolve_milestone(item, "7")
    assert raised.value.message == "3.2 has milestones 1–6; there is no 7"
    with pytest.raises(UsageError) as raised:
        resolve_milestone(item, "完成")
    assert raised.value.message.startswith("“完成” matches several milestones of 3.2: ")


# --- through `minsheng show` --------------------------------------------------------------------


def test_show_ambiguous_reference_lists_candidates_exit_2(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["--lang", "en", "show", "人力资源", "--as-of", "2023-06-30"])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: “人力资源” is ambiguous; it matches: "
        "6.1 群众就业稳岗提升工程（人力资源和社会保障局）; "
        "7.2 基本民生保障提升工程（人力资源和社会保障局）\n"
    )


def test_show_ambiguous_reference_in_chinese(ledger_dir: Path) -> None:
    result = run_cli(ledger_dir, ["show", "人力资源", "--as-of", "2023-06-30"])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert "6.1 群众就业稳岗提升工程（人力资源和社会保障局）" in result.stderr
    assert "7.2 基本民生保障提升工程（人力资源和社会保障局）" in result.stderr
    assert "ambiguous" not in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("ref", "needle", "lines", "english"),
    [
        (
            "11",
            "1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
            1,
            "there is no 实事 11; the ledger has 1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
        ),
        ("3.9", "3.1–3.3", 1, "实事 3 has items 3.1–3.3; there is no 3.9"),
        # the list of every 实事 is wider than the 200 columns, and still one line
        ("火箭发射", "火箭发射", 1, UNKNOWN_ROCKET),
    ],
)
def test_show_unknown_reference_exit_2(
    ledger_dir: Path, ref: str, needle: str, lines: int, english: str
) -> None:
    result = run_cli(ledger_dir, ["show", ref, "--as-of", "2023-06-30"])

    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == lines
    assert needle in result.stderr
    assert "Traceback" not in result.output
    in_english = run_cli(ledger_dir, ["--lang", "en", "show", ref, "--as-of", "2023-06-30"])
    assert (in_english.exit_code, in_english.stdout) == (2, "")
    assert in_english.stderr == f"error: {english}\n"
    assert in_english.stderr.count("error:") == 1
