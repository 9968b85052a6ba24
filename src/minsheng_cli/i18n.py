"""Messages through gettext: Chinese by default, English with --lang en or MINSHENG_LANG=en.

Message ids in the code are English; the Chinese text lives in locale/zh_CN/LC_MESSAGES/minsheng.po,
compiled to .mo when the package is built or installed (hatch_build.py).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "minsheng"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = {"zh": "zh_CN", "zh_CN": "zh_CN", "zh-CN": "zh_CN", "en": "en"}
DEFAULT_LANGUAGE = "zh"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_current = "en"


def normalise_language(lang: str | None) -> str:
    """Map what a user may type (zh, zh_CN, en, en_US.UTF-8) to a catalog name; unknown → zh."""
    if not lang:
        return LANGUAGES[DEFAULT_LANGUAGE]
    base = lang.split(".")[0]
    if base in LANGUAGES:
        return LANGUAGES[base]
    return LANGUAGES.get(base.split("_")[0].split("-")[0], LANGUAGES[DEFAULT_LANGUAGE])


def set_language(lang: str | None = None) -> str:
    """Switch the message catalog; with no argument, MINSHENG_LANG or Chinese."""
    global _translation, _current  # noqa: PLW0603 - the process-wide catalog, as gettext's own
    chosen = normalise_language(lang or os.environ.get("MINSHENG_LANG"))
    if chosen == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[chosen], fallback=True
        )
    _current = chosen
    return chosen


def current_language() -> str:
    return _current


def _(message: str) -> str:
    """Translate one message into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


set_language()
