"""Reading an owners' vote from files: the register of units and the ballots.

One reader for the CLI and the app. The register is read by the roster reader, so the
files people have work here too (Chinese headers, title rows, merged building cells, a
合计 row, GBK, full-width digits); a unit is named ``building-stairwell-room`` when the
register has those columns (:func:`costshare.households.scope.unit_labels`), as ballots
name it. Ballots are a plain table with 房号/表决意见 (or unit_id/vote), read by the one
table reader (:func:`costshare.tables.read.read_frame`): a title row above the header,
hidden rows and void sheets are handled as for rosters.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from costshare.households.roster import HEADER_ALIASES, read_roster_bytes
from costshare.households.scope import unit_labels
from costshare.households.tally_rules import HEADERS, normalise_vote
from costshare.tables.cells import clean_text
from costshare.tables.read import file_bytes, read_frame

__all__ = ["read_ballots", "read_register"]


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
    data, file = file_bytes(source, name, "register.csv")
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
    >>> read_ballots("楼栋,单元,房号,表决意见\\n1号楼,1,101,同意\\n".encode(), "票.csv").to_dict("list")
    {'unit_id': ['1-1-101'], 'vote': ['yes']}
    >>> read_ballots("楼栋,单元,房号,意见\\n1号楼,1单元,101,同意\\n".encode(), "票.csv")["unit_id"].tolist()
    ['1-1-101']
    """
    labels = {"building": HEADER_ALIASES["building"], "stairwell": HEADER_ALIASES["stairwell"]}
    df = read_frame(
        source,
        {**HEADERS, **labels},
        name=name,
        required=("unit_id", "vote"),
        text_columns=("unit_id", "vote", *labels),
        what="ballot table",
    )
    # ballots with 楼栋/单元/房号 columns name the unit as the register does: 1-1-101
    parts = df[[c for c in ("building", "stairwell", "unit_id") if c in df.columns]]
    unit = unit_labels(parts.fillna("").map(clean_text))
    return pd.DataFrame({"unit_id": unit, "vote": normalise_vote(df["vote"])})
