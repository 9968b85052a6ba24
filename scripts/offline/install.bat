@echo off
rem 民生实事台账 minsheng 离线安装（不连网）：建一个虚拟环境，只从本目录的 wheels 安装。
rem 用法：双击，或在命令提示符中运行 install.bat [安装目录]；默认安装到 %USERPROFILE%\minsheng
rem 需要 Python 3.11 或 3.12（python.org 的安装程序，安装时勾选 Add python.exe to PATH）。
setlocal
set "HERE=%~dp0"
set "TARGET=%~1"
if "%TARGET%"=="" set "TARGET=%USERPROFILE%\minsheng"

set "PY="
py -3.12 -c "pass" >nul 2>nul && set "PY=py -3.12"
if not defined PY py -3.11 -c "pass" >nul 2>nul && set "PY=py -3.11"
if not defined PY set "PY=python"
%PY% -c "import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 12))" >nul 2>nul
if errorlevel 1 (
    echo 未找到 Python 3.11 或 3.12。请先运行 python.org 的 Python 3.12 安装程序，
    echo 勾选 Add python.exe to PATH，然后重新运行本文件。
    pause
    exit /b 1
)

%PY% -m venv "%TARGET%"
if errorlevel 1 (
    echo 无法在 %TARGET% 建立虚拟环境。
    pause
    exit /b 1
)
"%TARGET%\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --no-index --find-links "%HERE%wheels" minsheng
if errorlevel 1 (
    echo 安装失败，见上面的信息。
    pause
    exit /b 1
)

echo 已安装：%TARGET%\Scripts\minsheng.exe
echo 试一试："%TARGET%\Scripts\minsheng.exe" -C "%HERE%example-ledger" status --month 6
where git >nul 2>nul
if errorlevel 1 echo 注意：未找到 git。登记进度须用 git 留痕，请安装 Git for Windows（随本包一并拷贝的安装程序）。
pause
endlocal
