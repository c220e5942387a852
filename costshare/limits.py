"""Resource limits, in one place, checked before any work starts.

Every door (the CLI, the HTTP API, the app) builds a job request or calls the store, and
both check their inputs against these limits first: an input file's size, a table's rows
and columns, a YAML file's size and expansion, Monte Carlo draws, a stored version's
comment and content, the database's connect and statement time. A refusal names the file
or field, the value found and the limit, and never quotes the input.

Each limit is a :class:`Limit` in :data:`LIMITS` (with its words in Chinese and English,
so a shell with a chosen language words the refusal in it: :meth:`LimitError.text`); the
``MAX_*`` constants are the same numbers for code that needs only the value.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Literal

from costshare.errors import InputError, Problem

__all__ = [
    "DB_CONNECT_SECONDS",
    "DB_STATEMENT_SECONDS",
    "LIMITS",
    "MAX_COMMENT_CHARS",
    "MAX_DB_SECONDS",
    "MAX_DRAWS",
    "MAX_FILE_BYTES",
    "MAX_STORED_BYTES",
    "MAX_TABLE_COLUMNS",
    "MAX_TABLE_ROWS",
    "MAX_UPLOAD_BYTES",
    "MAX_YAML_BYTES",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "Limit",
    "LimitError",
    "check",
    "check_text",
    "seconds",
]

MAX_FILE_BYTES = 20_000_000
"""Largest input file a job accepts (bytes), whichever door it came through."""
MAX_UPLOAD_BYTES = 5_000_000
"""Largest table (roster, register, candidates, ballots) uploaded on a page (bytes)."""
MAX_YAML_BYTES = 1_000_000
"""Largest YAML file uploaded on a page (bytes); costshare's own files are under 130 kB."""
MAX_TABLE_ROWS = 500_000
"""Most data rows of a table (households, candidates, communities, ballots)."""
MAX_TABLE_COLUMNS = 200
"""Widest table read; a sheet with values further right is refused."""
MAX_YAML_NODES = 200_000
"""Most values a YAML document may expand to, aliases counted at every use."""
MAX_YAML_DEPTH = 32
"""Deepest nesting of mappings and lists in a YAML file."""
MAX_DRAWS = 200_000
"""Most Monte Carlo draws of one run (200,000 draws of a 30-year project take seconds)."""
MAX_COMMENT_CHARS = 2_000
"""Longest comment on a stored version (characters)."""
MAX_STORED_BYTES = 2_000_000
"""Largest content of a stored version (bytes of UTF-8 text)."""
DB_CONNECT_SECONDS = 10.0
"""Default seconds to wait for the database to accept a connection."""
DB_STATEMENT_SECONDS = 30.0
"""Default seconds one database statement may run."""
MAX_DB_SECONDS = 600.0
"""Longest connect or statement time that may be configured (seconds)."""

Lang = Literal["zh", "en"]


@dataclass(frozen=True)
class Limit:
    """One resource limit: its value, unit, and what it limits in Chinese and English.

    >>> LIMITS["draws"].value, LIMITS["draws"].unit
    (200000, 'draws')
    """

    key: str
    value: float
    unit: str
    en: str
    zh: str
    unit_zh: str


LIMITS: dict[str, Limit] = {
    lim.key: lim
    for lim in (
        Limit("file_bytes", MAX_FILE_BYTES, "bytes", "the file", "文件", "字节"),
        Limit("upload_bytes", MAX_UPLOAD_BYTES, "bytes", "the upload", "上传的文件", "字节"),
        Limit("yaml_bytes", MAX_YAML_BYTES, "bytes", "the YAML file", "YAML 文件", "字节"),
        Limit("table_rows", MAX_TABLE_ROWS, "rows", "the table", "表格", "行"),
        Limit("table_columns", MAX_TABLE_COLUMNS, "columns", "the table", "表格", "列"),
        Limit("yaml_nodes", MAX_YAML_NODES, "values", "the YAML file", "YAML 文件", "个值"),
        Limit("draws", MAX_DRAWS, "draws", "Monte Carlo", "蒙特卡洛模拟", "次抽样"),
        Limit("comment_chars", MAX_COMMENT_CHARS, "characters", "the comment", "备注", "个字符"),
        Limit("stored_bytes", MAX_STORED_BYTES, "bytes", "the stored file", "保存的文件", "字节"),
        Limit("db_seconds", MAX_DB_SECONDS, "seconds", "the database wait", "数据库等待", "秒"),
    )
}
"""Every limit by key."""


class LimitError(InputError):
    """An input over a resource limit: which limit, the value found, where.

    Its message (English, as every library message) names the file or field, the value
    and the limit; :meth:`text` words it in the chosen language.
    """

    def __init__(self, limit: Limit, value: float, problem: Problem) -> None:
        super().__init__(problem)
        self.limit, self.value, self.problem = limit, value, problem

    def text(self, lang: Lang = "zh") -> str:
        """The refusal in `lang` (``zh`` or ``en``), with the file or field it is about.

        >>> e = LimitError(LIMITS["draws"], 10**9, Problem("x", field="monte_carlo"))
        >>> e.text("zh")
        "field 'monte_carlo': 蒙特卡洛模拟为 1,000,000,000 次抽样，上限为 200,000 次抽样"
        """
        lim, p = self.limit, self.problem
        if lang == "en":
            return str(p)
        where = str(Problem("", file=p.file, where=p.where, field=p.field)).rstrip(": ")
        said = (
            f"{lim.zh}为 {_num(self.value)} {lim.unit_zh}，上限为 {_num(lim.value)} {lim.unit_zh}"
        )
        return f"{where}: {said}" if where else said


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def check(
    key: str,
    value: float,
    *,
    file: str | None = None,
    where: str | None = None,
    field: str | None = None,
    limit: float | None = None,
) -> None:
    """Refuse `value` when it is over the limit `key` (or `limit`, when given).

    Raises
    ------
    LimitError
        Naming `file`, `where` and `field`, the value and the limit.

    Examples
    --------
    >>> check("draws", 1_000)
    >>> check("draws", 10**9, field="monte_carlo")
    Traceback (most recent call last):
    ...
    costshare.limits.LimitError: field 'monte_carlo': Monte Carlo is 1,000,000,000 draws; the limit is 200,000 draws
    """
    lim = LIMITS[key]
    cap = lim.value if limit is None else limit
    if value <= cap:
        return
    if limit is not None:
        lim = Limit(lim.key, limit, lim.unit, lim.en, lim.zh, lim.unit_zh)
    msg = f"{lim.en} is {_num(value)} {lim.unit}; the limit is {_num(cap)} {lim.unit}"
    msg = msg[0].upper() + msg[1:]
    raise LimitError(lim, value, Problem(msg, file=file, where=where, field=field))


def check_text(
    key: str, text: str | bytes | None, *, file: str | None = None, field: str | None = None
) -> None:
    """Refuse `text` longer than the limit `key` (characters, or bytes for a ``*_bytes`` key).

    >>> check_text("comment_chars", "why")
    >>> check_text("comment_chars", "x" * 5000, field="comment")
    Traceback (most recent call last):
    ...
    costshare.limits.LimitError: field 'comment': The comment is 5,000 characters; the limit is 2,000 characters
    """
    if text is None:
        return
    if key.endswith("_bytes") and isinstance(text, str):
        size = len(text) if len(text) * 4 <= LIMITS[key].value else len(text.encode("utf-8"))
    else:
        size = len(text)
    check(key, size, file=file, field=field)


def seconds(value: Any, env: str, default: float) -> float:
    """A connect or statement time: `value`, else ``$env``, else `default` (seconds).

    A time that is not a finite number above 0 and at most :data:`MAX_DB_SECONDS` is
    refused naming `env` (a wait of ``nan``, ``-1`` or ``1e400`` seconds would never end
    or never start).

    Examples
    --------
    >>> seconds(None, "COSTSHARE_X_UNSET", 10.0)
    10.0
    >>> seconds("5", "COSTSHARE_X_UNSET", 10.0)
    5.0
    >>> seconds("nan", "COSTSHARE_DB_CONNECT_TIMEOUT", 10.0)
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: field 'COSTSHARE_DB_CONNECT_TIMEOUT': must be a number of seconds above 0 and at most 600
    """
    raw = value if value is not None else os.environ.get(env) or None
    if raw is None:
        return float(default)
    try:
        got = float(raw)
    except (TypeError, ValueError, OverflowError):
        got = math.nan
    if not math.isfinite(got) or got <= 0:
        msg = f"must be a number of seconds above 0 and at most {_num(MAX_DB_SECONDS)}"
        raise InputError(Problem(msg, field=env))
    check("db_seconds", got, field=env)
    return got
