"""Reading an owners' vote from files: the register of units and the ballots.

One reader for the CLI and the app. The register is read by the roster reader, so the
files people have work here too (Chinese headers, title rows, merged building cells, a
合计 row, GBK, full-width digits); a unit is named ``building-stairwell-room`` when the
register has those columns (:func:`costshare.households.scope.unit_labels`), as ballots
name it. Ballots are a plain table with 房号/表决意见 (or unit_id/vote).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

from costshare.community.table import read_table
from costshare.errors import InputError, Problem
from costshare.households._vote_tally import HEADERS, canonical_headers, normalise_vote
from costshare.households.roster import HEADER_ALIASES, read_roster_bytes
from costshare.households.scope import unit_labels

__all__ = ["read_ballots", "read_register"]


def _bytes(source: bytes | str | Path, name: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, Path(name or "register.csv").name
    path = Path(source)
    if not path.is_file():
        raise InputError(Problem("file not found", name or path.name))
    return path.read_bytes(), name or path.name


def read_register(source: bytes | str | Path, name: str | None = None) -> pd.DataFrame:
    """The register of units as ``unit_id`` and ``area`` (m²), one row per exclusive unit.

    Parameters
    ----------
    source : bytes, str or Path
        The file or its content (csv or xlsx).
    name : str, optional
        File name for messages and, with bytes, for the file type.

    Examples
    --------
    >>> data = "楼栋,单元,房号,面积\\n1,1,101,80.5\\n1,2,101,60\\n合计,,,140.5\\n".encode()
    >>> read_register(data, "名册.csv").to_dict("list")
    {'unit_id': ['1-1-101', '1-2-101'], 'area': [80.5, 60.0]}
    """
    data, file = _bytes(source, name)
    roster = read_roster_bytes(data, file)
    return pd.DataFrame(
        {"unit_id": unit_labels(roster).to_numpy(), "area": roster["area_m2"].to_numpy()}
    )


def read_ballots(source: bytes | str | Path, name: str | None = None) -> pd.DataFrame:
    """Ballots as ``unit_id`` and a normalised ``vote`` (yes/no/abstain; blank = absent).

    Examples
    --------
    >>> read_ballots("房号,表决意见\\n1-1-101,同意\\n1-2-101,弃权\\n".encode(), "票.csv").to_dict("list")
    {'unit_id': ['1-1-101', '1-2-101'], 'vote': ['yes', 'abstain']}
    >>> read_ballots("楼栋,单元,房号,意见\\n1号楼,1单元,101,同意\\n".encode(), "票.csv")["unit_id"].tolist()
    ['1号楼-1单元-101']
    """
    data, file = _bytes(source, name)
    place = {c: HEADER_ALIASES[c] for c in ("stairwell", "building")}
    texts = (*HEADERS["unit_id"], *HEADERS["vote"], *place["building"], *place["stairwell"])
    df = canonical_headers(read_table(data, name=file, text_columns=texts))
    missing = [c for c in ("unit_id", "vote") if c not in df.columns]
    if missing:
        msg = "missing column " + " and ".join(f"{c}/{HEADERS[c][0]}" for c in missing)
        raise InputError(Problem(msg, file, field=missing[0]))
    # 楼栋/单元/房号 columns name a unit as the register does (building-stairwell-room)
    parts = pd.DataFrame({"unit_id": _clean(df["unit_id"])})
    heads = {str(c).strip().lower(): c for c in df.columns}
    for col, aliases in place.items():
        hit = next((heads[a.lower()] for a in aliases if a.lower() in heads), None)
        if hit is not None:
            parts[col] = _clean(df[hit])
    return pd.DataFrame({"unit_id": unit_labels(parts), "vote": normalise_vote(df["vote"])})


def _clean(col: pd.Series) -> pd.Series:
    """Cell text as the roster reader gives it: stripped, NFKC (``１号楼`` is ``1号楼``)."""
    return col.fillna("").astype(str).map(lambda v: unicodedata.normalize("NFKC", v).strip())
