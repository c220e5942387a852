"""costshare in the browser: `streamlit run app.py` (opens on the bundled Fujian scenario).

This file is the router and the frame: page config, the language switch and the page
list. Each page is a script in ``app_pages/``; every number comes from ``costshare``.
"""

from __future__ import annotations

import streamlit as st

from app_pages._editors import rebase_all
from app_pages._i18n import LANGS, t

st.set_page_config(page_title="costshare", page_icon=":material/home_work:", layout="wide")

with st.sidebar:
    st.radio(t("app.lang"), LANGS, key="lang", horizontal=True, on_change=rebase_all)

PAGES = [
    ("app_pages/community.py", "nav.community", ":material/home_work:", "community", True),
    ("app_pages/household.py", "nav.household", ":material/receipt_long:", "household", False),
    ("app_pages/ppp.py", "nav.ppp", ":material/monitoring:", "ppp", False),
    ("app_pages/rules.py", "nav.rules", ":material/gavel:", "rules", False),
    ("app_pages/compare.py", "nav.compare", ":material/compare_arrows:", "compare", False),
    ("app_pages/city.py", "nav.city", ":material/location_city:", "city", False),
]

page = st.navigation(
    [
        st.Page(path, title=t(label), icon=icon, url_path=url, default=default)
        for path, label, icon, url, default in PAGES
    ]
)
with st.sidebar:
    st.caption(t("app.title"))
    st.caption(t("app.about"))
page.run()
