"""资金分配 Transfers: a pot divided over areas by a weighted formula, floors and caps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages import _cache_mech as cm
from app_pages._cache import bundled_title
from app_pages._i18n import label, lang, t
from app_pages._progress import LARGE_POT, run_long
from app_pages._widgets import download, md_escape
from costshare.errors import InputError
from costshare.jobs import TransfersJob, lookup
from costshare.money import to_yuan
from costshare.report.csv import csv_bytes

K = "tr_"
FOLDER = Path(__file__).resolve().parent.parent / "scenarios" / "transfers"

st.title(t("tr.title"))
st.caption(t("tr.intro"))


def _read(name: str) -> str:
    """A bundled pot file's text (`name` is ``transfers/<file>``)."""
    return (FOLDER.parent / name).read_text("utf-8")


def _bound(text: str) -> str:
    """The engine's ``floor|cap <yuan> yuan`` note in words."""
    kind, _, rest = text.partition(" ")
    return t(f"tr.bound.{kind}", amount=rest.removesuffix(" yuan")) if text else ""


def _header(col: str) -> str:
    """A result column's header: ``share_<factor>`` names its factor."""
    if col.startswith("share_"):
        return t("tr.col.share", factor=label("tr.factor", col.removeprefix("share_")))
    return t(f"tr.col.{col}")


examples = {p.stem: p for p in sorted(FOLDER.glob("*.yaml"))}
c1, c2 = st.columns(2)
names = list(examples)
first = "yancheng_reward_subsidy"
pick = c1.selectbox(
    t("tr.pick"),
    names,
    index=names.index(first) if first in names else 0,
    format_func=lambda n: bundled_title(f"transfers/{n}.yaml", lang(), _read),
    help=t("help.tr.pick"),
    key=K + "pick",
)
up = c2.file_uploader(t("tr.upload"), type=["yaml", "yml"], help=t("help.tr.upload"), key=K + "up")
try:
    if up is not None:
        data = lookup.document_data("transfers", up.getvalue().decode("utf-8"), up.name)
        job = TransfersJob.parse({"pot": {"data": data, "file": up.name}}, up.name)
    else:
        job = TransfersJob.parse({"pot": {"bundled": f"transfers/{pick}.yaml"}})
    result = cm.run(job) if len(job.model.areas) < LARGE_POT else None
    if result is None:  # many areas (each floor or cap a pass over all): progress, cancel
        result = run_long(K + "run", ("transfers", job.digest()), job.run) or st.stop()
    pot = result.pot
except (InputError, UnicodeDecodeError) as exc:
    st.error(md_escape(str(exc)))
    st.stop()

en = lang() == "en"  # the bundled pots: Chinese fields, ``*_en`` in English
st.subheader(md_escape(pot.name_en if en and pot.name_en else pot.name))
description = pot.description_en if en and pot.description_en else pot.description
if description:
    st.caption(md_escape(description))
m1, m2 = st.columns(2)
m1.metric(t("tr.pot"), f"{to_yuan(result.pot_fen):,}")
m2.metric(t("tr.areas"), len(pot.areas))

st.markdown(f"**{t('tr.weights')}**")
weights = pd.DataFrame(
    [
        {**w.model_dump(exclude_none=True, exclude={"reason_en"}, mode="json"),
         **({"reason": w.reason_en} if en and w.reason_en else {})}
        for w in pot.weights
    ]
)  # fmt: skip
st.dataframe(
    weights.assign(factor=[label("tr.factor", f) for f in weights["factor"]]),
    hide_index=True,
    key=K + "weights",
    column_config={c: t(f"tr.wcol.{c}") for c in weights.columns},
    placeholder="",
)

st.markdown(f"**{t('tr.result')}**")
table = result.to_frame()
st.dataframe(
    table.assign(bound=[_bound(b) for b in table["bound"]]),
    hide_index=True,
    width="stretch",
    key=K + "table",
    column_config={c: _header(c) for c in table.columns},
    placeholder="",
)
st.bar_chart(table.set_index("area")["grant"].astype(float))
download(st, "CSV", csv_bytes(table), f"transfers_{pick}.csv", K + "dl")

with st.expander(t("tr.explain")):
    wsum = sum(w.weight for w in pot.weights)
    for _, r in table.iterrows():
        if lang() == "en":
            st.markdown(f"- {md_escape(result.explain(r['area']))}")
            continue
        parts = " + ".join(
            f"{label('tr.factor', w.factor)} {float(r[f'share_{w.factor}'].rstrip('%')):.2f}%"
            f" × {w.weight}/{wsum}" for w in pot.weights
        )  # fmt: skip
        st.markdown("- " + md_escape(t("tr.explain.line", area=r["area"], share=r["formula_share"],
                    parts=parts, amount=r["formula_amount"], bound=_bound(r["bound"]) + ("；" if r["bound"] else ""),
                    grant=r["grant"])))  # fmt: skip
with st.expander(t("tr.sources")):
    for s in pot.sources:
        st.markdown(f"- {md_escape(s.seed)}: {md_escape(s.passage)}")
    for a in pot.assumptions:
        what, note = a.words(lang())
        st.markdown(f"- A {md_escape(what)}{'：' if not en else ': '}{md_escape(note)}")
