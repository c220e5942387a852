"""The one translation table: UI strings and labels of internal keys, in Chinese and English.

The table is data (``costshare/data/i18n.yaml``, ``kind: translations``): one line per key,
``key: [中文, English]``. Keys are grouped by prefix: ``payer.*``, ``category.*``,
``channel.*`` (funding channels), ``basis.*`` (household sharing bases), ``sheet.*``
(household-sheet columns), ``chart.*`` (chart words), and the app's pages (``nav.*``,
``community.*``, ``col.*``, ...). The app, the charts and the exports all read it here.

>>> t("nav.rules", "en")
'Rules'
>>> label("payer", "power_company", "zh"), label("payer", "power_company", "en")
('供电企业', 'Power utility')
>>> t("common.upload_too_big", "en", size=2_000_000, limit=1_000_000)
'File too large: 2,000,000 bytes, the limit is 1,000,000 bytes.'
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from costshare.errors import InputError, Problem
from costshare.yamlio import load_kind_yaml

__all__ = ["LANGS", "TABLE_FILE", "Lang", "label", "labels", "t", "table"]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")
"""The languages of the table, in column order."""

TABLE_FILE = Path(__file__).parent / "data" / "i18n.yaml"
_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[A-Za-z0-9_]+)+$")


def read_table(path: str | Path) -> dict[str, tuple[str, str]]:
    """Read and check a translation table: every key dotted, every value ``[zh, en]`` text.

    Raises
    ------
    InputError
        Naming the file and the key that is wrong (duplicate keys included).
    """
    path = Path(path)
    raw = load_kind_yaml(path, "translations")
    if not isinstance(raw, dict):
        raise InputError(Problem("a translation table must be a mapping", path.name))
    out: dict[str, tuple[str, str]] = {}
    problems = []
    for key, value in raw.items():
        if not isinstance(key, str) or not _KEY.match(key):
            msg = "keys are dotted names such as nav.rules"
            problems.append(Problem(msg, path.name, f"key {key!r}"))
        elif not (
            isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)
        ):
            problems.append(Problem("give [中文, English] as two texts", path.name, f"key {key!r}"))
        else:
            out[key] = (value[0], value[1])
    if problems:
        raise InputError(problems)
    return out


@cache
def table() -> dict[str, tuple[str, str]]:
    """The bundled table, read once: key → (中文, English)."""
    return read_table(TABLE_FILE)


def t(key: str, lang: Lang = "zh", /, **fmt: object) -> str:
    """The text of `key` in `lang`, formatted with `fmt` (``str.format`` fields).

    Raises
    ------
    KeyError
        For a key not in the table (a missing translation is a bug, not a fallback).

    Examples
    --------
    >>> t("chart.gap"), t("chart.gap", "en")
    ('资金缺口', 'funding gap')
    """
    zh, en = table()[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def label(group: str, key: str, lang: Lang = "zh", default: str | None = None) -> str:
    """The label of an internal key (a payer, category, channel...); `default` or the key if absent.

    A jurisdiction may declare payers or categories the table does not know: they show as
    `default` (e.g. the rule file's Chinese name) or as the key itself.

    Examples
    --------
    >>> label("category", "telecom_cabling", "en")
    'Telecom and cable-TV lines'
    >>> label("payer", "village_committee", "en", default="村委会")
    '村委会'
    """
    found = table().get(f"{group}.{key}")
    if found is None:
        return key if default is None else default
    return found[1] if lang == "en" else found[0]


def labels(group: str, lang: Lang = "zh") -> dict[str, str]:
    """Every key of `group` → its label in `lang`, in table order.

    Examples
    --------
    >>> labels("basis", "en")["area"]
    'By exclusive area'
    """
    prefix = f"{group}."
    i = 1 if lang == "en" else 0
    return {k.removeprefix(prefix): v[i] for k, v in table().items() if k.startswith(prefix)}
