"""Cached thin wrappers for the operation page (运营与长效) and its plotly figures.

Every number comes from :mod:`costshare.operation` through the page's
:class:`~costshare.jobs.OperationJob` (cached by its digest), which decides the rules.
Figures only draw library tables.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app_pages._cache import JOB_HASH, read_text
from costshare import kinds
from costshare.i18n import Lang, label, t
from costshare.jobs import OperationJob, lookup

LINE_COLUMNS = ["name", "kind", "annual", "quantity", "price", "rate", "common", "growth"]
"""The columns of the revenue and cost editors (a line's other fields keep their defaults)."""


@st.cache_data(ttl=60, show_spinner=False)
def bundled_operation() -> dict[str, str]:
    """Name (relative to ``scenarios/``) → path of the bundled operation scenarios."""
    return {name: str(p) for name, p in kinds.bundled("operation").items()}


def bundled_operation_text(name: str) -> str:
    """Text of the bundled operation scenario called `name`."""
    path = bundled_operation()[name]
    return read_text(path, Path(path).stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=16)
def operation_parse(text: str, name: str) -> dict[str, Any]:
    """Validate an operation scenario's text (or a stored operation record's); plain
    (JSON-ready) data back, or InputError."""
    from costshare.operation import OperationScenario

    data = lookup.document_data("operation", text, name)
    return OperationScenario.from_dict(data, name).model_dump(mode="json")


def lines_frame(lines: list[dict[str, Any]]) -> pd.DataFrame:
    """A community's revenue or cost lines as an editable frame."""
    df = pd.DataFrame(lines or [], columns=LINE_COLUMNS)
    num = ["annual", "quantity", "price", "rate", "growth"]
    return df.astype(dict.fromkeys(num, "float64") | {"common": "bool"})


def operation_job(
    base: dict[str, Any],
    index: int,
    revenues: pd.DataFrame,
    costs: pd.DataFrame,
    name: str,
    today: dt.date,
) -> OperationJob:
    """The page's request: the scenario with community `index`'s lines replaced by the
    edited frames, run with the rules of its date (else `today`)."""

    def rows(df: pd.DataFrame) -> list[dict[str, Any]]:
        out = []
        for rec in df.dropna(subset=["name"]).to_dict("records"):
            row = {k: v for k, v in rec.items() if not (isinstance(v, float) and pd.isna(v))}
            row["common"] = bool(row.get("common", False))
            out.append(row)
        return out

    data = copy.deepcopy(base)
    community = data["communities"][index]
    community["revenues"] = rows(revenues)
    community["costs"] = [{k: v for k, v in r.items() if k != "common"} for r in rows(costs)]
    return OperationJob.parse({"scenario": {"data": data}, "on": today}, name)  # type: ignore[return-value]


@st.cache_data(show_spinner=False, max_entries=32, hash_funcs=JOB_HASH)
def operation_result(job: OperationJob) -> Any:
    """The request's result (:func:`costshare.operation.operate` with the job's rules)."""
    return job.run()


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs=JOB_HASH)
def vote_cite(job: OperationJob, matter: str, lang: str) -> str:
    """The citation of the owners' vote rule on `matter` in the rules of `job`."""
    from costshare.rules import cite

    return cite(job.rules().vote_rule(matter), lang)  # type: ignore[arg-type]


def _layout(fig: go.Figure, title: str, y: str) -> go.Figure:
    fig.update_layout(title=title, yaxis_title=y, xaxis_title="", height=340,
                      margin={"t": 50, "b": 30, "l": 60, "r": 20}, legend={"orientation": "h"})  # fmt: skip
    return fig


def surplus_fig(yearly: pd.DataFrame, labels: dict[str, str]) -> go.Figure:
    """Yearly surplus (bars) and cumulative surplus (line), yuan."""
    fig = go.Figure()
    fig.add_bar(x=yearly["year"], y=yearly["surplus_fen"] / 100, name=labels["surplus"])
    fig.add_scatter(x=yearly["year"], y=yearly["cumulative_fen"] / 100, name=labels["cumulative"])
    return _layout(fig, labels["title"], labels["unit"])


def fee_fig(yearly: pd.DataFrame, fee: float, labels: dict[str, str]) -> go.Figure:
    """Break-even fee by year against the fee charged, yuan per m² per month."""
    fig = go.Figure()
    fig.add_scatter(x=yearly["year"], y=yearly["breakeven_fee_fen"] / 100, name=labels["breakeven"])
    fig.add_hline(y=fee, line_dash="dash", annotation_text=labels["fee"])
    return _layout(fig, labels["title"], labels["unit"])


def fund_fig(table: pd.DataFrame, trigger_yuan: float, labels: dict[str, str]) -> go.Figure:
    """Closing fund balance by year, with repairs and the top-up trigger line, yuan."""
    fig = go.Figure()
    fig.add_scatter(x=table["year"], y=table["closing_fen"] / 100, name=labels["closing"])
    fig.add_bar(x=table["year"], y=table["repairs_fen"] / 100, name=labels["repairs"])
    fig.add_hline(y=trigger_yuan, line_dash="dot", annotation_text=labels["trigger"])
    return _layout(fig, labels["title"], labels["unit"])


def xlsx(job: OperationJob) -> bytes:
    """The result as a workbook (summary, yearly, lines, fund, space, sources) in yuan."""
    from costshare.report.operation_xlsx import operation_xlsx_bytes

    return operation_xlsx_bytes(operation_result(job))


def yuan_text(fen: Any) -> str:
    """Fen as yuan with thousands separators and two decimals; blank when missing."""
    from costshare.money import to_yuan

    if fen is None or (isinstance(fen, float) and pd.isna(fen)):
        return ""
    return f"{to_yuan(int(fen)):,.2f}"


def shown(df: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """A library table as shown: ``*_fen`` columns in yuan with separators, growth as a
    percentage, kinds and groups by name, yes/no words, headers in `lang`."""
    from costshare.operation.words import share_text

    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        s, base = df[col], str(col).removesuffix("_fen")
        if str(col).endswith("_fen"):
            out[base] = [yuan_text(v) for v in s]
        elif col in ("kind", "group"):
            out[base] = [label("op" + base, str(v), lang, default=str(v)) for v in s]
        elif col == "common":
            out[base] = [t("op.yes" if bool(v) else "op.no", lang) for v in s]
        elif col == "growth":
            out[base] = [share_text(v) for v in s]
        else:
            out[base] = ["" if v is None or (isinstance(v, float) and pd.isna(v)) else v for v in s]
    return out.rename(columns={c: label("opcol", c, lang, default=c) for c in out.columns})


def line_columns(lang: Lang, kinds: tuple[str, ...], common_help: str) -> dict[str, Any]:
    """Column config of a revenue or cost editor: headers and help in `lang`, kinds by name."""
    cc = st.column_config

    def h(field: str) -> str:
        return (
            t(f"help.op.{field}", lang, cite=common_help)
            if field == "common"
            else t(f"help.op.{field}", lang)
        )

    def head(field: str) -> str:
        return label("opcol", field, lang)

    return {
        "name": cc.TextColumn(head("name"), help=h("name"), required=True),
        "kind": cc.SelectboxColumn(
            head("kind"), help=h("kind"), options=list(kinds), default="other",
            format_func=lambda k: label("opkind", str(k), lang),
        ),
        "annual": cc.NumberColumn(label("opcol", "annual", lang), help=h("annual"), format="accounting"),
        "quantity": cc.NumberColumn(head("quantity"), help=h("quantity"), format="accounting"),
        "price": cc.NumberColumn(head("price"), help=h("price"), format="accounting"),
        "rate": cc.NumberColumn(head("rate"), help=h("rate"), min_value=0.0, max_value=1.0,
                               format="percent"),
        "common": cc.CheckboxColumn(head("common"), help=h("common")),
        "growth": cc.NumberColumn(head("growth"), help=h("growth"), min_value=-0.5,
                                 max_value=1.0, format="percent"),
    }  # fmt: skip
