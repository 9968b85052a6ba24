"""`minsheng init DIR`: a new, empty ledger workspace with its own git repository."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from minsheng_cli.errors import GitError, UsageError
from minsheng_cli.i18n import _
from minsheng_cli.store.atomic import LOCK_FILE
from minsheng_cli.store.cache import CACHE_DIR
from minsheng_cli.store.load import TASKS_DIR, WORKSPACE_FILE
from minsheng_cli.write.audit import commit, init_repository

WORKSPACE_TEMPLATE = """\
# 民生实事台账 — 工作区配置
year: {year}
title: {title}
document: ""          # 文号，如 泾政办发〔{year}〕4号
office: ""            # 印发机关
warning_days: 10      # 到期前多少天亮黄灯
tolerance_days: 15    # 序时进度滞后多少天亮黄灯
# deadline_rules:     # 覆盖时限用语的默认解释（日）；last 表示当月最后一天
#   月初: 10
#   月中: 15
"""

EXAMPLE_TASK = """\
# 1 示例实事（照此格式每项实事一个文件）
id: 1
name: 示例实事
items:
  - content: 完成示例改造100户。
    leader: 某某
    unit: 某某局
    indicators:
      - {name: 示例改造, target: 100, unit: 户}
    milestones:
      - {deadline: 3月底, text: 完成招投标工作}
      - {deadline: 6月底, text: 完成示例改造50户, targets: {示例改造: 50}}
      - {deadline: 年底, text: 完成示例改造100户, targets: {示例改造: 100}}
"""


GITIGNORE = f"{CACHE_DIR}/\n{LOCK_FILE}\n.minsheng-intake.json\n"
"""What a workspace's git leaves out: the cache, the lock, an intake's intent file."""


@dataclass(frozen=True, slots=True)
class Created:
    root: Path
    commit: str | None
    note: str | None


def new_folder(directory: Path) -> Path:
    """The folder a new workspace (a ledger's or a rollup's) goes in, resolved; a usage error if
    it is a file. OSError if the name cannot be resolved (the caller words it)."""
    root = directory.resolve()
    if root.exists() and not root.is_dir():
        raise UsageError(
            _("{folder} is a file, not a folder; give a new or empty folder").format(folder=root)
        )
    return root


def create_workspace(directory: Path, year: int, title: str) -> Created:
    if not 2000 <= year <= 2100:
        raise UsageError(_("--year must be between 2000 and 2100, not {year}").format(year=year))
    try:
        root = new_folder(directory)
        if (root / WORKSPACE_FILE).exists():
            raise UsageError(_("{folder} is already a ledger workspace").format(folder=root))
        around = next((f for f in root.parents if (f / WORKSPACE_FILE).is_file()), None)
        if around is not None:
            raise UsageError(
                _(
                    "{folder} is inside the ledger workspace {workspace}; create the new"
                    " workspace outside it"
                ).format(folder=root, workspace=around)
            )
        (root / TASKS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a name too long for the system, a parent that is a file
        raise UsageError(
            _("cannot create a workspace in {folder} ({error})").format(
                folder=directory, error=exc.strerror or exc
            )
        ) from exc
    title = " ".join(title.split()) or f"{year}年民生实事任务清单"
    # JSON's quoting is valid YAML: a title with ": " or "#" stays one value
    quoted = json.dumps(title, ensure_ascii=False)
    files = {
        root / WORKSPACE_FILE: WORKSPACE_TEMPLATE.format(year=year, title=quoted),
        root / TASKS_DIR / "01-示例实事.yaml": EXAMPLE_TASK,
        root / ".gitignore": GITIGNORE,
    }
    for path, text in files.items():
        if not path.exists():
            path.write_text(text, encoding="utf-8", newline="\n")
    return commit_new_files(root, list(files), f"init {title}")


def commit_new_files(root: Path, files: Sequence[Path | str], subject: str) -> Created:
    """The workspace's own repository (made unless ``root`` is the top of one) and a commit
    of exactly ``files``; a git that cannot commit is a note, the files staying written."""
    try:
        init_repository(root)  # its own repository, even inside another one's tree
        hash_ = commit(root, [root / f for f in files], subject, {})
    except GitError as error:
        return Created(root, None, error.message)
    return Created(root, hash_, None)
