"""The fiscal data the 10 % affordability line needs, for a project that has none.

A bundled project such as Chongqing Jiulongpo has no ``fiscal`` section, so the page asks
for the three figures the test needs (:func:`costshare.ppp.fiscal.with_fiscal` documents
them); left at 0 the project is assessed without the test, and the page says why.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app_pages._i18n import t

__all__ = ["fiscal_inputs"]


def fiscal_inputs(base: dict[str, Any], key: str) -> dict[str, Any] | None:
    """The ``fiscal`` section the user entered (None when the project has one or none given)."""
    if base.get("fiscal"):
        return None
    with st.expander(t("ppp.fiscal.title"), expanded=False):
        st.caption(t("ppp.fiscal.why"))
        c = st.columns(3)
        budget = c[0].number_input(
            t("ppp.fiscal.budget"), min_value=0.0, value=0.0, step=100_000_000.0, format="%.2f",
            help=t("help.ppp.fiscal.budget"), key=key + "fiscal_budget",
        )  # fmt: skip
        growth = c[1].number_input(
            t("ppp.fiscal.growth"), min_value=-50.0, max_value=50.0, value=0.0, step=0.5,
            format="%.2f", help=t("help.ppp.fiscal.growth"), key=key + "fiscal_growth",
        )  # fmt: skip
        other = c[2].number_input(
            t("ppp.fiscal.other"), min_value=0.0, value=0.0, step=1_000_000.0, format="%.2f",
            help=t("help.ppp.fiscal.other"), key=key + "fiscal_other",
        )  # fmt: skip
    if budget <= 0:
        return None
    return {
        "budget_expenditure": f"{budget:.2f}",
        "budget_growth": round(growth / 100, 8),
        "other_ppp_obligations": f"{other:.2f}",
    }
