#!/bin/sh
# 民生实事台账 minsheng 离线安装（不连网）：建一个虚拟环境，只从本目录的 wheels/ 安装。
# 用法：sh install.sh [安装目录]        默认安装到 ~/minsheng
# 需要 Python 3.11 或 3.12（`python3 --version` 查看）；可用 PYTHON=/path/to/python3.12 指定。
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target=${1:-"$HOME/minsheng"}

suitable() {
    "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null
}

python=${PYTHON:-}
if [ -z "$python" ]; then
    for candidate in python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1 && suitable "$candidate"; then
            python=$candidate
            break
        fi
    done
fi
if [ -z "$python" ] || ! suitable "$python"; then
    echo "未找到 Python 3.11 或 3.12。请先从系统软件源安装（如 python3.11 与 python3.11-venv），" >&2
    echo "或用 PYTHON=/path/to/python3.11 sh install.sh 指定。" >&2
    exit 1
fi

if ! "$python" -m venv "$target"; then
    echo "无法在 $target 建立虚拟环境；统信/Debian 系请先安装 python3-venv（或 python3.11-venv）。" >&2
    exit 1
fi
"$target/bin/python" -m pip install --quiet --disable-pip-version-check \
    --no-index --find-links "$here/wheels" minsheng

echo "已安装：$target/bin/minsheng"
echo "试一试：$target/bin/minsheng -C \"$here/example-ledger\" status --month 6"
echo "以后可把 $target/bin 加入 PATH，直接运行 minsheng。"
if ! command -v git >/dev/null 2>&1; then
    echo "注意：未找到 git。登记进度须用 git 留痕，请从系统软件源安装 git。" >&2
fi
