"""社区方案 Community scenario: pick or upload, edit, see sources and uses, download."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from app_pages import _cache, _cache_city, _forms, _land_input
from app_pages import _community_results as _results
from app_pages._doc_state import scope
from app_pages._editors import editor, set_base
from app_pages._i18n import jur_name, label, lang, t
from app_pages._store_widgets import store_panel
from app_pages._widgets import amount_caption, audit_expander, md_escape, yaml_source
from costshare.errors import InputError
from costshare.jobs import CommunityJob
from costshare.money import format_amount, to_fen

K = "community_"  # session-key prefix of this page

st.title(t("community.title"))
st.caption(t("community.intro"))

# -- 1. the base scenario: bundled or uploaded -------------------------------------------
name, text, base = yaml_source(
    "community",
    K,
    list(_cache.bundled_scenarios()),
    _cache.bundled_text,
    _cache.parse_scenario,
    store_kind="community",
    title=lambda f: _cache.bundled_title(f, lang()),
)

# Every input below starts from this document: its keys carry the document's identity, so
# opening another scenario gives every input that scenario's value (a browser keeps a
# widget's value while its key stays the same).
S, new_doc = scope(K, name, text)
if new_doc:
    set_base(S + "items", _forms.items_frame(base))
    set_base(S + "funding", _forms.funding_frame(base))
    set_base(S + "other", _forms.other_frame(base))
base_job = CommunityJob.parse({"scenario": {"data": base}}, name)

en = lang() == "en"
st.subheader(md_escape(base.get("name_en") if en and base.get("name_en") else base["name"]))
description = base.get("description_en") if en and base.get("description_en") else None
if description or base.get("description"):
    st.text(description or base["description"])

# -- 2. inputs ---------------------------------------------------------------------------
community = base["community"]
jurisdictions = _cache.jurisdictions()
with st.expander(t("community.settings"), expanded=True):
    c1, c2, c3, c4 = st.columns(4)
    households = c1.number_input(
        t("community.households"),
        help=t("help.community.households"),
        min_value=1,
        step=1,
        value=int(community["households"]),
        key=S + "households",
    )
    area = c2.number_input(
        t("community.area"),
        help=t("help.community.area") + "\n\n" + _cache.area_rule_cite(base_job, lang()),
        min_value=0.01,
        step=100.0,
        value=float(community["area_m2"]),
        key=S + "area",
    )
    jur = c3.selectbox(
        t("community.jurisdiction"),
        jurisdictions,
        help=t("help.community.jurisdiction"),
        index=jurisdictions.index(community["jurisdiction"])
        if community["jurisdiction"] in jurisdictions
        else 0,
        format_func=lambda k: jur_name(k),
        key=S + "jurisdiction",
    )
    base_date = base.get("rules_date")
    rules_date = c4.date_input(
        t("community.rules_date"),
        help=t("help.community.rules_date"),
        value=dt.date.fromisoformat(base_date) if base_date else dt.date.today(),
        min_value=dt.date(2000, 1, 1),
        max_value=dt.date(2040, 12, 31),
        key=S + "rules_date",
    )

vocab = _cache.vocabulary(dt.date.today())
base_cats = {str(c) for c in _forms.items_frame(base)["category"].dropna()}
categories = sorted(set(vocab["categories"]) | base_cats)
payers = sorted(vocab["payers"])
base_owners = {str(o) for o in _forms.items_frame(base)["owner"] if o}
owners = [
    "",
    "any",
    "residents",
    *sorted((set(vocab["payers"]) | base_owners) - {"any", "residents"}),
]


def _named(group: str, names: dict[str, str]):
    """Show a key by its name in the chosen language (the rule files' name if untranslated)."""

    def show(k: object) -> str:
        key = "" if k is None else str(k)
        return label(group, key, label("payer", key, names.get(key, key))) if key else ""

    return show


st.markdown(f"#### {t('community.items')}")
st.caption(t("community.items_help"))
items = editor(
    S + "items",
    num_rows="dynamic",
    width="stretch",
    hide_index=True,
    column_config={
        "item": st.column_config.TextColumn(t("col.item"), required=True),
        "category": st.column_config.SelectboxColumn(
            t("col.category"),
            options=categories,
            required=True,
            format_func=_named("category", vocab["categories"]),
        ),
        "cost": st.column_config.NumberColumn(
            t("col.cost"), min_value=0.0, format="accounting", required=True
        ),
        "owner": st.column_config.SelectboxColumn(
            t("col.owner"), options=owners, format_func=_named("owner", vocab["payers"])
        ),
        "payer": st.column_config.SelectboxColumn(
            t("col.payer"), options=["", *payers], format_func=_named("payer", vocab["payers"])
        ),
        "note": st.column_config.TextColumn(t("col.note")),
    },
)

f1, f2 = st.columns([3, 2])
# the channels' names in the chosen language (after a switch the editor's edits are already
# in its base, see app_pages._editors.rebase_all, so relabelling loses nothing)
_fb = st.session_state[S + "funding__base"]
_labels = _forms.funding_frame({}, lang())["label"].tolist()
if _fb["label"].tolist() != _labels:
    st.session_state[S + "funding__base"] = _fb.assign(label=_labels)
with f1:
    st.markdown(f"#### {t('community.funding')}")
    funding = editor(
        S + "funding",
        num_rows="fixed",
        width="stretch",
        hide_index=True,
        column_order=["label", "amount"],
        column_config={
            "label": st.column_config.TextColumn(t("col.channel"), disabled=True),
            "amount": st.column_config.NumberColumn(
                t("col.amount"), min_value=0.0, format="accounting"
            ),
        },
    )
with f2:
    st.markdown(f"#### {t('community.residents')}")
    r_basis, r_value, r_note = _forms.residents_of(base)
    basis = st.selectbox(
        t("community.res_basis"),
        _forms.RESIDENT_BASES,
        help=t("help.community.res_basis"),
        index=_forms.RESIDENT_BASES.index(r_basis),
        format_func=lambda k: t(f"res.{k}"),
        key=S + "res_basis",
    )
    value = st.number_input(
        t("community.res_value"),
        help=t("help.community.res_value"),
        min_value=0.0,
        value=r_value,
        step=0.01 if basis == "ratio" else 50.0,
        disabled=basis == "none",
        key=S + "res_value",
    )
    if basis != "none":
        amount_caption(st, value, ratio=basis == "ratio")
    st.markdown(f"#### {t('community.other')}")
    other = editor(
        S + "other",
        num_rows="dynamic",
        width="stretch",
        hide_index=True,
        column_config={
            "name": st.column_config.TextColumn(t("col.name"), required=True),
            "amount": st.column_config.NumberColumn(
                t("col.amount"), min_value=0.0, format="accounting"
            ),
            "note": st.column_config.TextColumn(t("col.note")),
        },
    )

land = _land_input.land_section(base, S)  # plot-ratio / land-use money (seed 002 l.112)
raw = _forms.build_scenario(
    base,
    households=households,
    area_m2=area,
    jurisdiction=jur,
    rules_date=rules_date,
    items=items,
    funding=funding,
    other=other,
    residents=(basis, value, r_note),
)
if land:
    raw["funding"]["land"] = land
job = CommunityJob.parse({"scenario": {"data": raw}, "on": rules_date}, name)

# -- 3. results --------------------------------------------------------------------------
st.divider()
st.markdown(f"### {t('community.results')}")
try:
    result = _cache_city.run(job)
except InputError as exc:
    st.error(f"{t('community.invalid')}\n\n{md_escape(str(exc))}")
    st.stop()

ind = result.indicators()
gap = result.gap_fen
em = result.earmarks()  # an earmark's idle money may not fill another use's gap
if em is not None and em.status != "balanced":
    gap = em.free_gap_fen if em.free_gap_fen else -em.idle_fen
m = [*st.columns(3), *st.columns(3)]
m[0].metric(t("m.uses"), format_amount(result.uses_fen, "万元"))
m[1].metric(t("m.sources"), format_amount(result.sources_fen, "万元"))
gap_label = t("m.gap") if gap > 0 else t("m.surplus") if gap < 0 else t("m.balanced")
m[2].metric(gap_label, format_amount(abs(gap), "元"))
m[3].metric(t("m.per_household"), format_amount(to_fen(ind["uses_per_household"])))
m[4].metric(t("m.per_m2"), format_amount(to_fen(ind["uses_per_m2"])))
m[5].metric(t("m.res_per_household"), format_amount(to_fen(ind["residents_per_household"])))

ch1, ch2 = st.columns([3, 2])
with ch1:
    st.plotly_chart(_cache_city.sankey(job, lang()), key=K + "sankey")
with ch2:
    st.plotly_chart(_cache_city.waterfall(job, lang()), key=K + "waterfall")

for lr in result.land():  # each land line's arithmetic, in the chosen language
    st.caption(f"{md_escape(lr.line.name)}: {md_escape(lr.explain(lang()))}")
_results.tables(result, raw, K)
audit_expander(result, K)
_results.goal_seek(job, name, K)
_results.downloads(job, name, K)
record = job.record(result)  # the one store record of this request (kind: the job's name)
store_panel(job.job, name.rsplit(".", 1)[0], K, record, record["results"])
