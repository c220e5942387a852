"""costshare in the browser: `streamlit run app.py` (opens on the bundled Fujian scenario).

This file is the router and the frame: page config, the language switch and the page
list. Each page is a script in ``app_pages/``; every number comes from ``costshare``.
Every page has its own URL (``/community``, ``/household``, ``/ppp``, ``/rules``,
``/compare``, ``/city``, ``/votes``, ``/elevator``, ``/plan``); the root URL shows the community page too.
"""

from __future__ import annotations

import streamlit as st

from app_pages._editors import rebase_all
from app_pages._i18n import LANGS, keep_choices, t
from app_pages._store_widgets import the_store
from costshare.store import acting

st.set_page_config(page_title="costshare", page_icon=":material/home_work:", layout="wide")

# The language lives in the URL (?lang=en) so it survives a reload and travels with a link.
if "lang" not in st.session_state:
    st.session_state["lang"] = LANGS[1] if st.query_params.get("lang") == "en" else LANGS[0]


def _switch_language() -> None:
    st.query_params["lang"] = "en" if st.session_state["lang"] == LANGS[1] else "zh"
    rebase_all()
    keep_choices()  # a chosen option shows its label in the new language


with st.sidebar:
    st.radio(t("app.lang"), LANGS, key="lang", horizontal=True, on_change=_switch_language)
st.query_params["lang"] = "en" if st.session_state["lang"] == LANGS[1] else "zh"

PAGES = [
    ("app_pages/community.py", "nav.community", ":material/home_work:", "community"),
    ("app_pages/household.py", "nav.household", ":material/receipt_long:", "household"),
    ("app_pages/ppp.py", "nav.ppp", ":material/monitoring:", "ppp"),
    ("app_pages/rules.py", "nav.rules", ":material/gavel:", "rules"),
    ("app_pages/compare.py", "nav.compare", ":material/compare_arrows:", "compare"),
    ("app_pages/city.py", "nav.city", ":material/location_city:", "city"),
    ("app_pages/operation.py", "nav.operation", ":material/handyman:", "operation"),
    ("app_pages/votes.py", "nav.votes", ":material/how_to_vote:", "votes"),
    ("app_pages/elevator.py", "nav.elevator", ":material/elevator:", "elevator"),
    ("app_pages/plan.py", "nav.plan", ":material/event_note:", "plan"),
    ("app_pages/transfers.py", "nav.transfers", ":material/account_balance:", "transfers"),
    ("app_pages/evaluation.py", "nav.evaluation", ":material/reviews:", "evaluation"),
    ("app_pages/consent.py", "nav.consent", ":material/how_to_reg:", "consent"),
    ("app_pages/after.py", "nav.after", ":material/apartment:", "after"),
    ("app_pages/elevator_life.py", "nav.elevator_life", ":material/elevator:", "elevator_life"),
]

# The default page is served at the root URL only, so the community page is listed twice:
# hidden at the root (the app opens on it) and in the menu at /community.
path0, label0, icon0, _ = PAGES[0]
home = st.Page(
    path0, title=t(label0), icon=icon0, url_path="home", default=True, visibility="hidden"
)
page = st.navigation(
    [
        home,
        *(
            st.Page(path, title=t(label), icon=icon, url_path=url)
            for path, label, icon, url in PAGES
        ),
    ],
    expanded=True,  # every page listed: no "View 4 more" (Streamlit's English) in the menu
)
with st.sidebar:
    st.caption(t("app.title"))
    st.caption(t("app.about"))
with acting(the_store):  # stored documents a job names are read as this session's user
    page.run()
