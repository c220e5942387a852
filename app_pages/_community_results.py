"""Layout of the community page's results: tables, fund memo, goal seek and downloads.

Only layout: every figure comes from the :class:`~costshare.community.scenario.ScenarioResult`
or through the cached wrappers of :mod:`app_pages._cache_city`, called with the page's
request (:class:`~costshare.jobs.CommunityJob`). Text a user typed (item
names, notes, assumptions) is shown in tables or with :func:`st.text`, never as markdown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cache_city
from app_pages._i18n import label, library_words, t
from app_pages._widgets import amount_caption, download, md_escape
from costshare.errors import InputError
from costshare.jobs import CommunityJob, GoalSeekJob
from costshare.money import format_amount


def _amounts(fen: Any) -> list[str]:
    return [format_amount(int(f)) for f in fen]


def tables(result: Any, raw: dict[str, Any], key: str) -> None:
    """Sources and uses, the split by payer, the fund memo and the assumptions, in tabs."""
    names = ["table", "split", *(["fund"] if result.fund else []), "assumptions"]
    tabs = dict(zip(names, st.tabs([t(f"tab.{n}") for n in names]), strict=True))
    with tabs["table"]:
        table = result.table()
        st.dataframe(
            table.assign(
                section=[t(f"section.{s}") for s in table["section"]],
                line=[
                    _line(s, k, n)
                    for s, k, n in zip(table["section"], table["key"], table["line"], strict=True)
                ],
                amount=_amounts(table["amount_fen"]),
                note=library_words(table["note"].fillna("")),
            ),
            hide_index=True,
            width="stretch",
            column_order=["section", "line", "amount", "note"],
            column_config={
                "section": t("col.section"),
                "line": t("col.line"),
                "amount": t("col.amount"),
                "note": t("col.note"),
            },
            placeholder="",
        )
    with tabs["split"]:
        split = result.split.table
        st.dataframe(
            split.assign(
                payer=[label("payer", p, result.rules.payers.get(p, p)) for p in split["payer"]],
                category=[label("category", c) for c in split["category"]],
                share=[f"{float(s):.2%}" for s in split["share"]],
                amount=_amounts(split["amount_fen"]),
                source=[_source(s) for s in split["source"].fillna("")],
            ),
            hide_index=True,
            width="stretch",
            column_order=["item", "category", "payer", "share", "amount", "rule", "source"],
            column_config={
                **{c: t(f"col.{c}") for c in ("item", "category", "payer", "share", "amount")},
                "rule": t("col.rule_id"),
                "source": t("col.source"),
            },
            placeholder="",
        )
    if result.fund:
        with tabs["fund"]:
            st.caption(t("fund.help"))
            st.dataframe(
                pd.DataFrame(
                    {
                        t("col.line"): [t(f"fund.{k}") for k in result.fund],
                        t("col.amount"): _amounts(result.fund.values()),
                    }
                ),
                hide_index=True,
                width="stretch",
                placeholder="",
            )
    with tabs["assumptions"]:
        rows = [
            {
                t("col.item"): a["what"],
                t("col.value"): "" if a.get("value") is None else str(a["value"]),
                t("col.note"): a["note"],
            }
            for a in raw.get("assumptions", [])
        ]
        rows += [
            {t("col.item"): s["seed"], t("col.value"): "", t("col.note"): s["passage"]}
            for s in raw.get("sources", [])
        ]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", placeholder="")


def goal_seek(job: CommunityJob, name: str, key: str) -> None:
    """The solver: pick an input, bounds, solve; the value and the solved YAML."""
    with st.expander(t("solve.title")):
        st.caption(t("solve.help"))
        targets = _cache_city.solve_targets(job)
        c1, c2, c3 = st.columns([2, 1, 1])
        target = c1.selectbox(
            t("solve.target"),
            targets,
            format_func=_target_label,
            help=t("help.solve.target"),
            key=key + "solve_target",
        )
        lo = c2.number_input(
            t("solve.lo"), min_value=0.0, value=0.0, help=t("help.solve.lo"), key=key + "solve_lo"
        )
        hi = c3.number_input(
            t("solve.hi"), min_value=0.0, value=0.0, help=t("help.solve.hi"), key=key + "solve_hi"
        )
        ratio = target == "residents.ratio"
        amount_caption(c2, lo, ratio)
        amount_caption(c3, hi, ratio)
        if not st.toggle(t("solve.run"), help=t("help.solve.run"), key=key + "solve_on"):
            return
        try:
            seek = {"target": target, "lo": repr(lo), "hi": repr(hi) if hi else None}
            sol = _cache_city.solve(GoalSeekJob.parse(job.model_dump() | seek, name))
        except InputError as exc:
            st.error(f"{t('common.error_title')}\n\n{md_escape(str(exc))}")
            return
        value = sol["value"]
        found = "solve.found_payable" if sol.get("rounding") else "solve.found"
        st.success(
            t(
                found,
                target=_target_label(target),
                value=value,
                runs=sol["runs"],
                left=sol["leftover"],
            )
        )
        stem = name.rsplit(".", 1)[0]
        solved = (f"{stem}_solved.yaml", sol["yaml"])
        b1, b2 = st.columns(2)
        b1.button(
            t("solve.use"),
            help=t("help.solve.use"),
            on_click=_use_solved,
            args=(key, solved),
            key=key + "solve_use",
        )
        download(b2, t("solve.apply"), sol["yaml"], solved[0], key + "solve_dl")


def _use_solved(key: str, solved: tuple[str, str]) -> None:
    """Open the solved scenario on the page (then save it as a version like any other)."""
    st.session_state[key + "solved"] = solved
    st.session_state[key + "source"] = "solved"


_LIBRARY_NOTES = {
    "paid from the funding plan": "split.note.pooled",
    "assigned in the scenario": "split.note.assigned",
}
"""Notes the library writes on a split row that no rule splits (shown translated)."""


def _source(text: str) -> str:
    return t(_LIBRARY_NOTES[text]) if text in _LIBRARY_NOTES else text


def _line(section: str, key: str, line: str) -> str:
    """A funding line's label in the chosen language (item names are the user's own)."""
    if section != "sources":
        return line
    if key.startswith("payer:"):
        return label("payer", key.removeprefix("payer:"), line)
    if key.startswith("residents"):
        return label("chart", key, line)
    return label("channel", key, line)


def _target_label(target: str) -> str:
    if target.startswith("residents."):
        return f"{t('community.residents')}：{t('res.' + target.removeprefix('residents.'))}"
    if target.startswith("other:"):
        return target.removeprefix("other:")
    return label("channel", target)


def downloads(job: CommunityJob, name: str, key: str) -> None:
    """The edited scenario as YAML, the result as xlsx and csv."""
    stem = name.rsplit(".", 1)[0]
    d1, d2, d3 = st.columns(3)
    download(d1, t("dl.yaml"), _cache_city.scenario_yaml(job), f"{stem}.yaml", key + "dl_yaml")
    download(
        d2,
        t("dl.xlsx"),
        _cache_city.result_xlsx(job),
        f"{stem}_sources_uses.xlsx",
        key + "dl_xlsx",
    )
    download(
        d3,
        t("dl.csv"),
        _cache_city.result_csv(job),
        f"{stem}_sources_uses.csv",
        key + "dl_csv",
    )
