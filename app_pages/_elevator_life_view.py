"""What the elevator-lifetime page shows and downloads, in the chosen language.

Plain functions of the job's result (:class:`~costshare.jobs.ElevatorLifeJob`), no
Streamlit: each household's parts and net in yuan with its explanation line, the
assumptions (every one A), and the workbook of both.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from costshare import i18n
from costshare.money import to_yuan
from costshare.report.table_xlsx import frames_xlsx

__all__ = ["PARTS", "assumptions_frame", "household_frame", "workbook"]

PARTS = ("cost", "maintenance", "operation", "comp_paid", "comp_received", "net")
"""The money columns (``<part>_fen`` in the job's table), in the order shown."""


def _explain(r: Any, years: int, lang: i18n.Lang) -> str:
    """One household's line: its parts add up to its net."""
    y = {k: to_yuan(int(r[f"{k}_fen"])) for k in PARTS}
    w = lambda key, **f: i18n.t(f"elife.{key}", lang, **f)  # noqa: E731
    text = " + ".join([w("part.cost", v=y["cost"]), w("part.maintenance", v=y["maintenance"]),
                       w("part.operation", v=y["operation"], years=years)])  # fmt: skip
    text += f" + {w('part.paid', v=y['comp_paid'])}" if r["comp_paid_fen"] else ""
    text += f" − {w('part.received', v=y['comp_received'])}" if r["comp_received_fen"] else ""
    return w("line", unit=r["unit_id"], parts=text, net=y["net"])


def household_frame(table: pd.DataFrame, years: int, lang: i18n.Lang = "zh") -> pd.DataFrame:
    """Unit, floor, every part and the net in yuan, and the explanation in `lang`.

    Examples
    --------
    >>> t = pd.DataFrame({"unit_id": ["101"], "floor": [1], "cost_fen": [150],
    ...     "maintenance_fen": [0], "operation_fen": [0], "comp_paid_fen": [0],
    ...     "comp_received_fen": [50], "net_fen": [100]})
    >>> household_frame(t, 10, "en")["explanation"][0]
    '101: building 1.50 + maintenance 0.00 + electricity 0.00 (10 years) − compensation received 0.50 = 1.00 yuan'
    """
    return pd.DataFrame(
        {
            "unit_id": table["unit_id"].astype(str),
            "floor": table["floor"],
            **{k: [to_yuan(int(v)) for v in table[f"{k}_fen"]] for k in PARTS},
            "explanation": [_explain(r, years, lang) for _, r in table.iterrows()],
        }
    )


def assumptions_frame(values: dict[str, Decimal | int], lang: i18n.Lang = "zh") -> pd.DataFrame:
    """The caller's figures (years, maintenance, operation, compensation), each marked A."""
    w = lambda key: i18n.t(f"elife.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            w("col.what"): [w(f"a.{k}") for k in values],
            w("col.value"): [str(v) for v in values.values()],
            w("col.confidence"): ["A"] * len(values),
        }
    )


def workbook(shown: pd.DataFrame, assumed: pd.DataFrame, lang: i18n.Lang = "zh") -> bytes:
    """The households (headers in `lang`, amounts as numbers) and the assumptions, as xlsx."""
    headers = {c: i18n.t(f"elife.col.{c}", lang) for c in shown.columns}
    return frames_xlsx(
        {i18n.t("elife.sheet.households", lang): shown.rename(columns=headers),
         i18n.t("elife.sheet.assumptions", lang): assumed},
        money_columns=tuple(headers[k] for k in PARTS),
    )  # fmt: skip
