"""`minsheng rollup init|add|remove|list|sync` with real git: member counties are local bare
repositories (paths and file:// URLs) and `git bundle` files; nothing on the network."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from minsheng_cli.rollup.config import STATE_FILE, mirror_dir
from minsheng_cli.rollup.fetch import GOOD_REF, Fetched
from minsheng_cli.rollup.state import MemberState
from minsheng_cli.rollup.sync import Examined, Outcome, decide, needs_examining
from tests.conftest import GIT_IDENTITY, copy_ledger, git, run_cli

BROKEN_TASK = "id: 99\nname: 坏文件\nitems:\n  - content: 缺少字段\n    leader: 某某\n    unit: 7\n"


@pytest.fixture(autouse=True)
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_IDENTITY.items():
        monkeypatch.setenv(key, value)


def county(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """A county's ledger repository (its work tree) and the bare repository it pushes to."""
    work = copy_ledger(tmp_path / f"{name}-work")
    git(work, "init", "--quiet", "--initial-branch=main")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "台账")
    bare = tmp_path / f"{name}.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(work), str(bare))
    git(work, "remote", "add", "origin", str(bare))
    return work, bare


def change(
    work: Path, text: str = "# 补记\n", file: str = "minsheng.yaml", push: bool = True
) -> str:
    with (work / file).open("a", encoding="utf-8") as handle:
        handle.write(text)
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "改动")
    if push:
        git(work, "push", "--quiet", "origin", "main")
    return git(work, "rev-parse", "HEAD").strip()


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "main").strip()


def rollup(root: Path | None, *args: str) -> Result:
    return run_cli(root, ["--lang", "en", "rollup", *args])


def make_rollup(tmp_path: Path, **members: Path | str) -> Path:
    root = tmp_path / "市"
    assert rollup(None, "init", str(root), "--title", "某市民生实事").exit_code == 0
    for name, url in members.items():
        assert rollup(root, "add", name, str(url)).exit_code == 0
    return root


def state(root: Path) -> dict[str, dict[str, str | None]]:
    members: dict[str, dict[str, str | None]] = json.loads(
        (root / STATE_FILE).read_text(encoding="utf-8")
    )["members"]
    return members


def test_init_add_list_remove_each_commit_rollup_yaml(tmp_path: Path) -> None:
    _work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare, 旌德=f"file://{tmp_path}/旌德.git")
    assert (root / ".gitignore").read_text(
        encoding="utf-8"
    ) == ".minsheng-rollup/\n.minsheng.lock\n"
    listed = rollup(root, "list", "--json")
    assert [(m["name"], m["url"], m["branch"]) for m in json.loads(listed.stdout)] == [
        ("泾县", str(bare), "main"),
        ("旌德", f"file://{tmp_path}/旌德.git", "main"),
    ]
    again = rollup(root, "add", "泾县", str(bare))
    assert again.exit_code == 2
    assert "has a member named “泾县” already" in again.stderr
    assert rollup(root, "remove", "旌德").exit_code == 0
    missing = rollup(root, "remove", "旌德")
    assert missing.exit_code == 2 and "no member named “旌德” (its members: 泾县)" in missing.stderr
    subjects = git(root, "log", "--format=%s").splitlines()
    assert subjects == [
        "rollup remove 旌德",
        f"rollup add 旌德 file://{tmp_path}/旌德.git",
        f"rollup add 泾县 {bare}",
        "rollup init 某市民生实事",
    ]
    refused = rollup(None, "init", str(root), "--title", "x")
    assert refused.exit_code == 2 and "already a rollup workspace" in refused.stderr


def test_sync_reads_each_members_newest_commit_and_commits_the_state(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    _other, other = county(tmp_path, "旌德")
    root = make_rollup(tmp_path, 泾县=bare, 旌德=f"file://{other}")
    first = rollup(root, "sync", "--jobs", "2")
    assert first.exit_code == 0, first.output
    assert f"泾县: read {head(bare)[:7]} (first time)" in first.stdout
    assert "2 members synced: 2 new, 0 unchanged, 0 stale" in first.stdout
    assert state(root)["泾县"]["commit"] == head(bare)
    assert state(root)["旌德"]["commit"] == head(other)
    assert git(root, "log", "-1", "--format=%s") == "rollup sync: 2 new, 0 stale\n"

    unchanged = rollup(root, "sync")
    assert unchanged.exit_code == 0
    assert unchanged.stdout == "2 members synced: 0 new, 2 unchanged, 0 stale\n"
    assert len(git(root, "log", "--format=%h").splitlines()) == 4  # nothing new to commit

    before = head(bare)
    after = change(work)
    moved = rollup(root, "sync")
    assert f"泾县: read {after[:7]} (was {before[:7]})" in moved.stdout
    assert state(root)["泾县"]["commit"] == after
    mirror = mirror_dir(root, "泾县")
    assert git(mirror, "rev-parse", GOOD_REF).strip() == after


def test_a_force_push_keeps_the_old_commit_until_accepted(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    _other, other = county(tmp_path, "旌德")
    root = make_rollup(tmp_path, 泾县=bare, 旌德=other)
    good = change(work)
    assert rollup(root, "sync").exit_code == 0
    git(work, "reset", "--quiet", "--hard", "HEAD~1")
    rewritten = change(work, "# 另一版本\n", push=False)
    git(work, "push", "--quiet", "--force", "origin", "main")
    change(Path(_other), push=True)  # the other member moves on meanwhile

    result = rollup(root, "sync")
    assert result.exit_code == 1
    line = next(x for x in result.stdout.splitlines() if x.startswith("泾县"))
    assert (
        f"its history was rewritten (force-push): {rewritten[:7]} does not contain {good[:7]}"
        in line
    )
    assert f"still reading {good[:7]}" in line
    assert "--accept-rewrite 泾县" in line
    assert state(root)["泾县"]["commit"] == good
    assert state(root)["旌德"]["commit"] == head(other)  # unaffected
    since = state(root)["泾县"]["stale_since"]

    mirror = mirror_dir(root, "泾县")
    git(mirror, "gc", "--quiet", "--prune=now")
    assert git(mirror, "cat-file", "-t", good).strip() == "commit"  # pinned by refs/minsheng/good

    still = rollup(root, "sync")
    assert still.exit_code == 1 and "--accept-rewrite 泾县" in still.stdout
    assert state(root)["泾县"]["stale_since"] == since

    accepted = rollup(root, "sync", "--accept-rewrite", "泾县")
    assert accepted.exit_code == 0, accepted.output
    assert (
        f"泾县: rewritten history accepted (--accept-rewrite): read {rewritten[:7]} (was"
        f" {good[:7]})" in accepted.stdout
    )
    assert f"泾县: {good[:7]} -> {rewritten[:7]}, rewritten history accepted" in git(
        root, "log", "-1", "--format=%b"
    )
    assert state(root)["泾县"]["stale_reason"] is None


def test_a_commit_whose_ledger_has_errors_keeps_the_last_good_one(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare)
    good = head(bare)
    assert rollup(root, "sync").exit_code == 0
    bad = change(work, BROKEN_TASK, file="tasks/99-坏.yaml")
    result = rollup(root, "sync")
    assert result.exit_code == 1
    assert "泾县: stale since" in result.stdout
    assert f"its newest commit {bad[:7]} does not load: tasks/99-坏.yaml:" in result.stdout
    assert f"still reading {good[:7]}" in result.stdout
    assert state(root)["泾县"]["commit"] == good
    assert state(root)["泾县"]["seen"] == bad
    git(work, "rm", "--quiet", "tasks/99-坏.yaml")
    git(work, "commit", "--quiet", "-m", "删去坏文件")
    git(work, "push", "--quiet", "origin", "main")
    healed = rollup(root, "sync")
    assert healed.exit_code == 0, healed.output
    assert state(root)["泾县"] == {
        **state(root)["泾县"],
        "commit": head(bare),
        "stale_reason": None,
    }


def test_a_url_that_is_no_repository_is_one_line_and_the_others_are_read(tmp_path: Path) -> None:
    _work, bare = county(tmp_path, "泾县")
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    root = make_rollup(tmp_path, 旌德=f"file://{nothing}", 泾县=bare)
    result = rollup(root, "sync")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert any(
        x.startswith(f"旌德: never read successfully: cannot fetch file://{nothing}: ")
        and "does not appear to be a git repository" in x
        for x in lines
    )
    assert "stale since" not in result.stdout
    assert f"泾县: read {head(bare)[:7]} (first time)" in lines
    assert state(root)["旌德"]["commit"] is None
    shown = rollup(root, "list")
    assert "stale: cannot fetch" in shown.stdout


def test_a_member_named_twice_is_left_out_with_its_line(tmp_path: Path) -> None:
    _work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare)
    with (root / "rollup.yaml").open("a", encoding="utf-8") as handle:
        handle.write('  - name: "泾县"\n    url: "/elsewhere"\n    branch: "main"\n')
    result = rollup(root, "sync")
    assert result.exit_code == 1
    assert (
        "rollup.yaml:8: member “泾县” is named twice; this one (/elsewhere) is left out"
        in result.stdout
    )
    assert state(root)["泾县"]["commit"] == head(bare)


def test_a_broken_rollup_yaml_is_one_line_with_its_line(tmp_path: Path) -> None:
    root = make_rollup(tmp_path)
    (root / "rollup.yaml").write_text("title: x\nmembers:\n  - name: 泾县\n", encoding="utf-8")
    result = rollup(root, "sync")
    assert result.exit_code == 1
    assert result.stderr == "error: rollup.yaml:3: “url” is missing; add it\n"


def test_bundles_are_read_for_the_member_they_are_named_after(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    _other, other = county(tmp_path, "旌德")
    root = make_rollup(tmp_path, 泾县="/offline/泾县.git", 旌德=other)
    bundle = tmp_path / "泾县.2023-07.bundle"
    git(work, "bundle", "create", str(bundle), "main")
    stray = tmp_path / "宣城.bundle"
    git(work, "bundle", "create", str(stray), "main")
    result = rollup(root, "sync", "--bundle", str(bundle), str(stray))
    assert result.exit_code == 1
    assert f"泾县: read {head(bare)[:7]} (first time)" in result.stdout
    assert f"{stray}: no member of the rollup is named “宣城”" in result.stdout
    assert "1 member synced: 1 new, 0 unchanged, 0 stale" in result.stdout
    assert "旌德" not in state(root)  # not fetched: only the bundles' members are read

    newer = change(work, push=False)
    other_name = tmp_path / "月报.bundle"
    git(work, "bundle", "create", str(other_name), "main")
    named = rollup(root, "sync", "--bundle", str(other_name), "--member", "泾县")
    assert named.exit_code == 0, named.output
    assert state(root)["泾县"]["commit"] == newer

    junk = tmp_path / "泾县.bundle"
    junk.write_text("not a bundle", encoding="utf-8")
    bad = rollup(root, "sync", "--bundle", str(junk))
    assert bad.exit_code == 1 and "is not a usable git bundle" in bad.stdout
    assert state(root)["泾县"]["commit"] == newer


def test_a_hung_server_is_stopped_at_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _work, bare = county(tmp_path, "泾县")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "protocol.ext.allow")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "always")
    root = make_rollup(tmp_path, 泾县=bare, 宁国="ext::sleep 30")
    started = time.monotonic()
    result = rollup(root, "sync", "--timeout", "1")
    assert time.monotonic() - started < 15
    assert result.exit_code == 1
    assert "宁国: never read successfully: " in result.stdout
    assert "ext::sleep 30 did not answer within 1 s (stopped)" in result.stdout
    assert state(root)["泾县"]["commit"] == head(bare)


def test_usage_errors_and_typos_are_one_line(tmp_path: Path) -> None:
    root = make_rollup(tmp_path)
    typo = rollup(root, "snyc")
    assert (
        typo.exit_code == 2
        and typo.stderr == "error: “snyc” is not a `minsheng rollup` command; did you mean sync?\n"
    )
    unknown = rollup(root, "frobnicate")
    assert "see `minsheng rollup --help`" in unknown.stderr
    files = rollup(root, "sync", "x.bundle")
    assert files.exit_code == 2 and "only with --bundle" in files.stderr
    outside = rollup(tmp_path, "list")
    assert outside.exit_code == 2 and "is not a rollup workspace" in outside.stderr
    chinese = run_cli(root, ["rollup", "snyc"])
    assert "不是" in chinese.stderr


COMMITS = st.sampled_from(["a" * 40, "b" * 40, "c" * 40, None])
STALENESS = st.sampled_from([(None, None), ("why", "2026-01-02T00:00:00Z")])
SOURCES = st.sampled_from(["url", "bundle"])
STATES = st.builds(
    lambda commit, stale, seen, source: MemberState(
        commit, "2026-01-01T00:00:00Z", stale[0], stale[1], seen, source
    ),
    COMMITS,
    STALENESS,
    COMMITS,
    SOURCES,
)


@given(
    STATES,
    st.builds(Fetched, commit=COMMITS, error=st.one_of(st.none(), st.just("down")), source=SOURCES),
    st.sampled_from(["contains", "behind", "neither"]),
    st.one_of(st.none(), st.just("tasks/1.yaml:3: bad")),
    st.booleans(),
)
def test_decide_never_loses_the_good_commit(
    old: MemberState, fetched: Fetched, relation: str, problem: str | None, accept: bool
) -> None:
    fetched = fetched if fetched.commit else Fetched(None, fetched.error or "down")
    contains, behind = relation == "contains", relation == "behind"
    examined = (
        Examined(contains, problem, behind) if needs_examining(old, fetched, accept) else None
    )
    outcome, new = decide(old, fetched, examined, "NOW", accept_rewrite=accept)
    taken = (Outcome.NEW, Outcome.REWRITE_ACCEPTED)
    if outcome in taken:
        assert new.commit == fetched.commit and not new.stale and new.read_at == "NOW"
        assert new.source == fetched.source
        assert problem is None and (contains or accept or old.commit is None)
        assert not behind or old.commit is None or accept  # back to an ancestor: only accepted
        assert (outcome is Outcome.REWRITE_ACCEPTED) == (old.commit is not None and not contains)
    else:
        assert new.commit == old.commit and new.read_at == old.read_at
    if outcome is Outcome.REWRITTEN:
        assert not contains and not behind  # only a commit neither after nor before
    if examined is not None and behind and old.commit is not None and not accept:
        # older than the commit read: the server behind a bundle read, an older bundle handed
        # over again, or (the member's own branch went back) a retraction
        from_bundle = "bundle" in (old.source, fetched.source)
        assert outcome is (Outcome.BEHIND if from_bundle else Outcome.ROLLED_BACK)
    assert new.stale == (outcome not in (*taken, Outcome.UNCHANGED, Outcome.BEHIND))
    if new.stale and old.stale:
        assert new.stale_since == old.stale_since
    elif new.stale and outcome is not Outcome.STILL_STALE:
        assert new.stale_since == "NOW"


def test_a_bundle_given_by_a_relative_path_is_read_and_a_missing_one_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县="/offline/泾县.git")
    git(work, "bundle", "create", str(tmp_path / "泾县.bundle"), "main")
    monkeypatch.chdir(tmp_path)
    result = rollup(root, "sync", "--bundle", "泾县.bundle")
    assert result.exit_code == 0, result.output
    assert state(root)["泾县"]["commit"] == head(bare)
    newer = change(work, push=False)
    git(work, "bundle", "create", str(tmp_path / "泾县.bundle"), "main")
    monkeypatch.chdir(root)
    again = run_cli(None, ["--lang", "en", "rollup", "sync", "--bundle", "../泾县.bundle"])
    assert again.exit_code == 0, again.output
    assert state(root)["泾县"]["commit"] == newer

    before = git(root, "log", "--format=%h")
    for missing in ("nonexist", "../nonexist.bundle", "."):
        refused = rollup(root, "sync", "--bundle", missing)
        assert refused.exit_code == 2
        assert (
            refused.stderr
            == f"error: {missing}: no such bundle file; give the path of a `git bundle` file\n"
        )
    assert git(root, "log", "--format=%h") == before
    assert state(root)["泾县"]["stale_reason"] is None


def test_a_rollback_pushed_by_the_county_is_stale_until_accepted(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare)
    older = head(bare)
    wrong = change(work)
    assert rollup(root, "sync").exit_code == 0
    git(work, "reset", "--quiet", "--hard", "HEAD~1")
    git(work, "push", "--quiet", "--force", "origin", "main")
    result = rollup(root, "sync", "--member", "泾县", "--json")
    assert result.exit_code == 1, result.output
    [member] = json.loads(result.stdout)["members"]
    assert member["outcome"] == "rolled-back" and member["commit"] == wrong
    assert member["stale_reason"] == (
        f"its branch went back to an older commit (a retraction?): {older[:7]} is an ancestor"
        f" of {wrong[:7]}, the commit read before"
    )
    shown = rollup(root, "sync")
    assert shown.exit_code == 1
    assert "--accept-rewrite 泾县" in shown.stdout and f"still reading {wrong[:7]}" in shown.stdout
    accepted = rollup(root, "sync", "--accept-rewrite", "泾县", "--json")
    assert accepted.exit_code == 0, accepted.output
    [taken] = json.loads(accepted.stdout)["members"]
    assert (taken["outcome"], taken["commit"], taken["previous"]) == (
        "rewrite-accepted",
        older,
        wrong,
    )
    assert state(root)["泾县"]["commit"] == older and state(root)["泾县"]["stale_reason"] is None
    assert git(root, "log", "-1", "--format=%b").strip() == (
        f"泾县: {wrong[:7]} -> {older[:7]}, rewritten history accepted (--accept-rewrite)"
    )


def test_a_server_behind_a_bundle_read_keeps_the_newer_commit_and_is_no_force_push(
    tmp_path: Path,
) -> None:
    work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare)
    old = head(bare)
    assert rollup(root, "sync").exit_code == 0
    newer = change(work, push=False)
    bundle = tmp_path / "泾县.bundle"
    git(work, "bundle", "create", str(bundle), "main")
    assert rollup(root, "sync", "--bundle", str(bundle)).exit_code == 0
    assert state(root)["泾县"]["commit"] == newer
    behind = rollup(root, "sync")
    assert behind.exit_code == 0, behind.output
    assert behind.stdout.splitlines()[0] == (
        "泾县: the server's version is older than the one read (a newer commit was read from a"
        f" bundle, for example); keeping {newer[:7]}"
    )
    assert "rewritten" not in behind.stdout and old != newer
    assert state(root)["泾县"]["commit"] == newer
    assert state(root)["泾县"]["stale_reason"] is None
    git(work, "push", "--quiet", "origin", "main")
    caught_up = rollup(root, "sync")
    assert caught_up.exit_code == 0 and caught_up.stdout.startswith("1 member synced: 0 new, 1")


def test_add_and_remove_keep_the_other_entries_as_written_a_duplicate_included(
    tmp_path: Path,
) -> None:
    root = make_rollup(tmp_path, 泾县="/a/泾县.git", 旌德="/a/旌德.git")
    with (root / "rollup.yaml").open("a", encoding="utf-8") as handle:
        handle.write('  - name: "旌德"\n    url: "/elsewhere"\n    branch: "main"\n')
    assert rollup(root, "remove", "泾县").exit_code == 0
    assert rollup(root, "add", "宁国", "/a/宁国.git").exit_code == 0
    text = (root / "rollup.yaml").read_text(encoding="utf-8")
    assert '"泾县"' not in text
    assert text.count('name: "旌德"') == 2 and '"/elsewhere"' in text and '"宁国"' in text
    twice = rollup(root, "remove", "旌德")
    assert twice.exit_code == 2
    assert twice.stderr == (
        "error: rollup.yaml names member “旌德” more than once; delete the entry that is wrong"
        " from rollup.yaml by hand\n"
    )
    assert (root / "rollup.yaml").read_text(encoding="utf-8") == text


def test_member_without_a_bundle_syncs_only_the_members_named(tmp_path: Path) -> None:
    _work, bare = county(tmp_path, "泾县")
    _other, other = county(tmp_path, "旌德")
    _third, third = county(tmp_path, "宁国")
    root = make_rollup(tmp_path, 泾县=bare, 旌德=other, 宁国=third)
    one = rollup(root, "sync", "--member", "旌德")
    assert one.exit_code == 0, one.output
    assert "\n1 member synced: 1 new, 0 unchanged, 0 stale\n" in one.stdout
    assert set(state(root)) == {"旌德"}
    two = rollup(root, "sync", "--member", "泾县", "--member", "宁国")
    assert two.exit_code == 0, two.output
    assert set(state(root)) == {"泾县", "旌德", "宁国"}
    unknown = rollup(root, "sync", "--member", "宣城")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "error: the rollup has no member named “宣城” (its members: 泾县、旌德、宁国)\n"
    )


def test_the_rollup_groups_usage_errors_name_its_help_and_are_chinese(tmp_path: Path) -> None:
    root = make_rollup(tmp_path)
    cases = {
        ("add", "-A", "x"): "错误：`rollup add` 没有 -A 选项；见 `minsheng rollup add --help`\n",
        ("add",): "错误：`rollup add` 需要 NAME；见 `minsheng rollup add --help`\n",
        ("sync", "--jobs", "0"): (
            "错误：`rollup sync` 的 --jobs/-j 需要不小于 1 的数；见 `minsheng rollup sync --help`\n"
        ),
        ("sync", "--member"): (
            "错误：`rollup sync` 的 --member 需要一个值；见 `minsheng rollup sync --help`\n"
        ),
    }
    for args, said in cases.items():
        result = run_cli(root, ["rollup", *args])
        assert (result.exit_code, result.stderr) == (2, said)


def test_a_members_branch_is_changed_with_replace_in_its_place_keeping_its_state(
    tmp_path: Path,
) -> None:
    work, bare = county(tmp_path, "泾县")
    _other, other = county(tmp_path, "旌德")
    root = make_rollup(tmp_path, 泾县=bare, 旌德=other)
    assert rollup(root, "sync").exit_code == 0
    read = state(root)["泾县"]
    git(work, "push", "--quiet", "origin", "main:master")
    wrong = rollup(root, "add", "泾县", str(bare), "--branch", "trunk", "--replace")
    assert wrong.exit_code == 0, wrong.output
    missing = rollup(root, "sync")
    assert missing.exit_code == 1
    assert (
        f"{bare} has no branch “trunk” (it has: main、master); change the member's branch"
        f" with `minsheng rollup add 泾县 {bare} --branch main --replace`" in missing.stdout
    )
    taken = rollup(root, "add", "泾县", str(bare), "--branch", "master")
    assert taken.exit_code == 2 and "--replace" in taken.stderr
    moved = rollup(root, "add", "泾县", str(bare), "--branch", "master", "--replace")
    assert moved.exit_code == 0, moved.output
    listed = json.loads(rollup(root, "list", "--json").stdout)
    assert [(m["name"], m["branch"]) for m in listed] == [("泾县", "master"), ("旌德", "main")]
    assert state(root)["泾县"]["commit"] == read["commit"]
    synced = rollup(root, "sync")
    assert synced.exit_code == 0, synced.output
    assert (
        state(root)["泾县"]["commit"] == read["commit"] and not state(root)["泾县"]["stale_reason"]
    )
    nobody = rollup(root, "add", "宣城", str(bare), "--replace")
    assert nobody.exit_code == 2 and "no member named “宣城”" in nobody.stderr


def test_gits_english_reason_is_quoted_after_a_colon_in_chinese_lines(tmp_path: Path) -> None:
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    root = make_rollup(tmp_path, 旌德=f"file://{nothing}")
    junk = tmp_path / "旌德.bundle"
    junk.write_text("not a bundle", encoding="utf-8")
    fetched = run_cli(root, ["rollup", "sync"])
    line = next(x for x in fetched.stdout.splitlines() if x.startswith("旌德"))
    assert line.startswith(f"旌德：从未读取成功：无法拉取 file://{nothing}：“")
    assert line.endswith("does not appear to be a git repository”")
    bundled = run_cli(root, ["rollup", "sync", "--bundle", str(junk)])
    assert f"{junk} 不是可用的 git bundle 文件：“" in bundled.stdout


def test_an_incremental_bundle_whose_base_is_missing_quotes_git_and_says_what_to_do(
    tmp_path: Path,
) -> None:
    work, _bare = county(tmp_path, "原州区")
    root = make_rollup(tmp_path, 原州区="/offline/原州区.git")
    base = head(work)
    change(work, push=False)
    gap = tmp_path / "原州区.gap.bundle"
    git(work, "bundle", "create", str(gap), "main~1..main")
    result = rollup(root, "sync", "--bundle", str(gap))
    assert result.exit_code == 1
    assert (
        f"原州区: never read successfully: {gap} builds on commits the rollup has not read:"
        f" Repository lacks these prerequisite commits: {base}; take in the county's earlier"
        " bundle first" in result.stdout
    )
    chinese = run_cli(root, ["rollup", "sync", "--bundle", str(gap)])
    assert f"“Repository lacks these prerequisite commits: {base}”；请先读取" in chinese.stdout


def test_several_bundles_of_one_member_are_read_in_one_sync_in_ancestry_order(
    tmp_path: Path,
) -> None:
    work, _bare = county(tmp_path, "原州区")
    root = make_rollup(tmp_path, 原州区="/offline/原州区.git")
    full = tmp_path / "原州区.07.bundle"
    git(work, "bundle", "create", str(full), "main")
    middle = change(work, push=False)
    gap = tmp_path / "原州区.08.bundle"
    git(work, "bundle", "create", str(gap), "main~1..main")
    newest = change(work, push=False)
    whole = tmp_path / "原州区.09.bundle"
    git(work, "bundle", "create", str(whole), "main")
    # the incremental one first: it is tried again once the one it builds on is in
    result = rollup(root, "sync", "--bundle", str(whole), str(gap), str(full), "--json")
    assert result.exit_code == 0, result.output
    [member] = json.loads(result.stdout)["members"]
    assert (member["outcome"], member["commit"]) == ("new", newest)
    assert state(root)["原州区"]["source"] == "bundle" and middle != newest

    broken = change(work, BROKEN_TASK, file="tasks/99-坏.yaml", push=False)
    bad = tmp_path / "原州区.10.bundle"
    git(work, "bundle", "create", str(bad), "main~1..main")
    fixed = tmp_path / "原州区.11.bundle"
    git(work, "rm", "--quiet", "tasks/99-坏.yaml")
    git(work, "commit", "--quiet", "-m", "删去坏文件")
    git(work, "bundle", "create", str(fixed), "main~1..main")
    both = rollup(root, "sync", "--bundle", str(fixed), str(bad), "--member", "原州区")
    assert both.exit_code == 0, both.output
    assert state(root)["原州区"]["commit"] == head(work) != broken
    only_bad = tmp_path / "b"
    only_bad.mkdir()
    # the newest that loads is read; the one that does not, after it, leaves it stale
    work2, _bare2 = county(only_bad, "x")
    root2 = make_rollup(only_bad, 原州区="/offline/原州区.git")
    first = only_bad / "原州区.1.bundle"
    git(work2, "bundle", "create", str(first), "main")
    good = head(work2)
    change(work2, BROKEN_TASK, file="tasks/99-坏.yaml", push=False)
    second = only_bad / "原州区.2.bundle"
    git(work2, "bundle", "create", str(second), "main")
    stale = rollup(root2, "sync", "--bundle", str(second), str(first))
    assert stale.exit_code == 1
    assert state(root2)["原州区"]["commit"] == good
    assert "does not load: tasks/99-坏.yaml:" in str(state(root2)["原州区"]["stale_reason"])


def test_the_wrong_branch_hint_is_the_command_to_run(tmp_path: Path) -> None:
    _work, bare = county(tmp_path, "西吉 县")
    root = make_rollup(tmp_path, 西吉县=bare)  # read at main, the server's default then
    git(bare, "branch", "-m", "main", "master")  # the county renames its branch later
    result = rollup(root, "sync")
    assert result.exit_code == 1
    assert (
        f"{bare} has no branch “main” (it has: master); change the member's branch with"
        f' `minsheng rollup add 西吉县 "{bare}" --branch master --replace`' in result.stdout
    )
    fixed = rollup(root, "add", "西吉县", str(bare), "--branch", "master", "--replace")
    assert fixed.exit_code == 0 and rollup(root, "sync").exit_code == 0


def test_sync_and_list_call_a_stale_county_not_updated_as_status_does(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare)
    assert rollup(root, "sync").exit_code == 0
    change(work, BROKEN_TASK, file="tasks/99-坏.yaml")
    synced = run_cli(root, ["rollup", "sync"])
    listed = run_cli(root, ["rollup", "list"])
    helped = run_cli(root, ["rollup", "sync", "--help"])
    said = synced.stdout + listed.stdout + helped.stdout
    assert "过期" not in said
    assert "泾县：自" in synced.stdout and "起未更新：" in synced.stdout
    assert "未更新1个" in synced.stdout and "未更新：" in listed.stdout


def test_a_partial_sync_exits_1_while_another_member_stays_stale(tmp_path: Path) -> None:
    work, bare = county(tmp_path, "泾县")
    _other, other = county(tmp_path, "旌德")
    root = make_rollup(tmp_path, 泾县=bare, 旌德=other)
    assert rollup(root, "sync").exit_code == 0
    change(work, BROKEN_TASK, file="tasks/99-坏.yaml")
    assert rollup(root, "sync").exit_code == 1
    partial = rollup(root, "sync", "--member", "旌德")
    assert partial.exit_code == 1, partial.output
    assert partial.stdout.splitlines()[-1] == ("1 member not synced this time is still stale: 泾县")
    as_json = rollup(root, "sync", "--member", "旌德", "--json")
    assert as_json.exit_code == 1 and json.loads(as_json.stdout)["others_stale"] == ["泾县"]
    git(work, "rm", "--quiet", "tasks/99-坏.yaml")
    git(work, "commit", "--quiet", "-m", "删去坏文件")
    git(work, "push", "--quiet", "origin", "main")
    assert rollup(root, "sync", "--member", "泾县").exit_code == 0
    assert rollup(root, "sync", "--member", "旌德").exit_code == 0


def test_a_member_file_too_large_to_be_a_ledger_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A county's repository is not ours to trust: a task file of megabytes (a scan committed
    by mistake under tasks/) is refused by its size before it is read; the rest go on."""
    from minsheng_cli.rollup import members

    monkeypatch.setattr(members, "FILE_LIMIT", 64 << 10)  # 64 KB: the test stays small
    work, bare = county(tmp_path, "泾县")
    _other_work, other = county(tmp_path, "宁国")
    root = make_rollup(tmp_path, 泾县=bare, 宁国=other)
    assert rollup(root, "sync").exit_code == 0
    good = head(bare)
    change(work, "# " + "x" * (80 << 10) + "\n", file="tasks/99-大文件.yaml")
    result = rollup(root, "sync")
    assert result.exit_code == 1
    assert "tasks/99-大文件.yaml: the file is 80" in result.stdout
    assert "more than the 64 KB a ledger file may be; it is not read" in result.stdout
    assert state(root)["泾县"]["commit"] == good
    assert state(root)["宁国"]["stale_reason"] is None


def test_add_without_a_branch_reads_the_servers_default_branch(tmp_path: Path) -> None:
    """A county whose git made `master` (git's old default, still the default of many
    installations) is read at master without the office having to know it."""
    work = copy_ledger(tmp_path / "master-work")
    git(work, "init", "--quiet", "--initial-branch=master")
    git(work, "add", "-A")
    git(work, "commit", "--quiet", "-m", "台账")
    bare = tmp_path / "master.git"
    git(tmp_path, "clone", "--quiet", "--bare", str(work), str(bare))
    root = make_rollup(tmp_path)
    added = rollup(root, "add", "泾县", str(bare))
    assert added.exit_code == 0 and "branch master" in added.stdout
    assert rollup(root, "sync").exit_code == 0
    assert state(root)["泾县"]["commit"] == git(bare, "rev-parse", "master").strip()
    unknown = rollup(root, "add", "旌德", str(tmp_path / "nowhere"))
    assert unknown.exit_code == 0 and "branch main" in unknown.stdout


def test_list_says_when_a_county_last_answered_with_nothing_new(tmp_path: Path) -> None:
    """A sync that finds nothing new commits nothing; `list` still shows the county answered."""
    _work, bare = county(tmp_path, "泾县")
    root = make_rollup(tmp_path, 泾县=bare)
    assert rollup(root, "sync").exit_code == 0
    first = json.loads(rollup(root, "list", "--json").stdout)[0]
    assert first["checked_at"] is not None and first["checked_at"] >= first["read_at"]
    time.sleep(1.1)  # stamps are to the second
    assert rollup(root, "sync").exit_code == 0
    again = json.loads(rollup(root, "list", "--json").stdout)[0]
    assert again["checked_at"] > first["checked_at"] and again["read_at"] == first["read_at"]
    assert "; nothing new at " in rollup(root, "list").stdout


def test_an_older_bundle_handed_over_again_changes_nothing(tmp_path: Path) -> None:
    """Last month's stick plugged in again is no retraction: the newer commit stays, fresh."""
    work, _bare = county(tmp_path, "泾源")
    root = make_rollup(tmp_path, 泾源="/offline/泾源.git")
    june = tmp_path / "泾源.06.bundle"
    git(work, "bundle", "create", str(june), "main")
    change(work, push=False)
    july = tmp_path / "泾源.07.bundle"
    git(work, "bundle", "create", str(july), "main")
    assert rollup(root, "sync", "--bundle", str(july)).exit_code == 0
    again = rollup(root, "sync", "--bundle", str(june), "--json")
    assert again.exit_code == 0, again.output
    [member] = json.loads(again.stdout)["members"]
    assert member["outcome"] == "behind" and member["commit"] == head(work)
    assert state(root)["泾源"]["stale_reason"] is None


def test_a_bundle_read_before_a_broken_one_is_counted_and_committed_as_read(
    tmp_path: Path,
) -> None:
    """Two bundles, the second broken: the first's commit is read (said, counted, in the
    rollup's commit), and the member is stale for the second."""
    work, _bare = county(tmp_path, "泾源")
    root = make_rollup(tmp_path, 泾源="/offline/泾源.git")
    good = tmp_path / "泾源.07.bundle"
    git(work, "bundle", "create", str(good), "main")
    read = head(work)
    change(work, BROKEN_TASK, file="tasks/99-坏.yaml", push=False)
    bad = tmp_path / "泾源.08.bundle"
    git(work, "bundle", "create", str(bad), "main")
    result = rollup(root, "sync", "--bundle", str(good), str(bad))
    assert result.exit_code == 1
    assert f"泾源: read {read[:7]} (first time)" in result.stdout
    assert "1 member synced: 1 new, 0 unchanged, 1 stale" in result.stdout
    assert state(root)["泾源"]["commit"] == read
    message = git(root, "log", "-1", "--format=%B")
    assert message.startswith("rollup sync: 1 new, 1 stale")
    assert f"泾源: - -> {read[:7]}" in message
