"""A portfolio given as file bytes (an upload or a bundled file), read without temp files.

:func:`read_portfolio` reads YAML, CSV or XLSX bytes into a
:class:`~costshare.community.portfolio.Portfolio` whose templates resolve in `base_dir`.
With `confine_to` (an upload) the file may not make the reader open other files: its
communities must be inline and every template must lie inside `confine_to`.
"""

from __future__ import annotations

from pathlib import Path

from costshare.community.portfolio import Portfolio
from costshare.community.table import TEXT, read_table
from costshare.errors import InputError, Problem
from costshare.paths import inside
from costshare.yamlio import load_kind_yaml

__all__ = ["PORTFOLIO_SUFFIXES", "read_portfolio"]

PORTFOLIO_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
"""File types a portfolio may come in."""


def read_portfolio(
    name: str,
    data: bytes,
    *,
    base_dir: str | Path,
    confine_to: str | Path | None = None,
) -> Portfolio:
    """Read a portfolio from the bytes of a file called `name`.

    Parameters
    ----------
    name : str
        The file's name; its suffix (``.yaml``/``.yml``, ``.csv``, ``.xlsx``) says how
        to read it, and messages name it.
    data : bytes
        The file's content.
    base_dir : str or Path
        Folder that relative template paths (and, for a trusted file, a ``communities``
        table path) resolve in.
    confine_to : str or Path, optional
        For an upload: the folder every template must lie in. The YAML must then list
        its communities inline (a table path is refused).

    Returns
    -------
    Portfolio

    Raises
    ------
    InputError
        Unknown file type, unreadable content, a refused path, or what
        :class:`~costshare.community.portfolio.Portfolio` refuses (naming row and field).

    Examples
    --------
    >>> text = "name: demo\\ncommunities:\\n  - {households: 10, area_m2: 700, cost: 100}\\n"
    >>> read_portfolio("demo.yaml", text.encode(), base_dir=".").run().totals()["uses"]
    Decimal('100.00')
    >>> bad = text + "template: ../../etc/x.yaml\\n"
    >>> try:
    ...     read_portfolio("up.yaml", bad.encode(), base_dir="/srv/app/p", confine_to="/srv/app")
    ... except InputError as exc:
    ...     print(exc.problems[0].message)
    template '../../etc/x.yaml' is outside the app's scenario folders
    """
    file = Path(name).name
    suffix = Path(name).suffix.lower()
    base = Path(base_dir)
    if suffix in (".yaml", ".yml"):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(Problem("not UTF-8 text", file=file)) from None
        raw = load_kind_yaml(file, "portfolio", text)
        inline = not (isinstance(raw, dict) and isinstance(raw.get("communities"), str))
        if confine_to is not None and not inline:
            msg = "an uploaded portfolio must list its communities inline (or upload the table)"
            raise InputError(Problem(msg, file=file, field="communities"))
        portfolio = Portfolio.from_dict(raw, base_dir=base, file=file)
    elif suffix in (".csv", ".xlsx"):
        table = read_table(data, name=file, text_columns=TEXT)
        portfolio = Portfolio.from_frame(table, name=Path(name).stem, base_dir=base, file=file)
    else:
        msg = f"unsupported file type {suffix!r}: use {', '.join(PORTFOLIO_SUFFIXES)}"
        raise InputError(Problem(msg, file=file))
    if confine_to is not None:
        used = {portfolio.template or "", *portfolio.table["template"].astype(str)} - {""}
        for tpl in sorted(used):
            if not inside(base / tpl, confine_to):
                msg = f"template {tpl!r} is outside the app's scenario folders"
                raise InputError(Problem(msg, file=file, field="template"))
    return portfolio
