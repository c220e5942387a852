"""The notice's fields on the household and elevator pages: what is paid for, issuer,
posting period, where and until when to object (or the office's own objection
sentence), signature lines, page orientation and household labels.

One expander; the values go to :func:`costshare.report.notice.notice_pdf_bytes` as
keywords (a plain mapping, hashed by the download cache).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from costshare.report.notice import SIGNATURES

__all__ = ["notice_fields"]


def notice_fields(t: Callable[..., str], key: str, today: dt.date) -> dict[str, Any]:
    """Render the notice fields; their values as keywords of the notice."""
    with st.expander(t("hh.notice.fields")):
        c1, c2 = st.columns(2)
        what = c1.text_input(t("hh.notice.what"), help=t("help.hh.notice.what"), key=key + "n_what")
        issuer = c2.text_input(
            t("hh.notice.issuer"),
            help=t("help.hh.notice.issuer"),
            value="社区居民委员会",
            key=key + "n_iss",
        )
        start = c1.date_input(
            t("hh.notice.from"), help=t("help.hh.notice.from"), value=today, key=key + "n_from"
        )
        end = c2.date_input(
            t("hh.notice.until"),
            help=t("help.hh.notice.until"),
            value=today + dt.timedelta(days=6),
            key=key + "n_to",
        )
        where = c1.text_input(
            t("hh.notice.object_to"), help=t("help.hh.notice.object_to"), key=key + "n_obj"
        )
        until = c2.date_input(
            t("hh.notice.object_until"),
            help=t("help.hh.notice.object_until"),
            value=end,
            key=key + "n_obj_to",
        )
        side = c1.radio(
            t("hh.notice.orientation"),
            ["portrait", "landscape"],
            help=t("help.hh.notice.orientation"),
            format_func=lambda v: t(f"hh.notice.{v}"),
            horizontal=True,
            key=key + "n_orient",
        )
        labels = c2.radio(
            t("hh.notice.labels"),
            ["zh", "dash"],
            help=t("help.hh.notice.labels"),
            format_func=lambda v: t(f"hh.notice.labels_{v}"),
            horizontal=True,
            key=key + "n_labels",
        )
        objection = st.text_input(
            t("hh.notice.objection"), help=t("help.hh.notice.objection"), key=key + "n_objection"
        )
        signed = st.text_area(
            t("hh.notice.signatures"),
            value="\n".join(SIGNATURES),
            help=t("help.hh.notice.signatures"),
            key=key + "n_signatures",
        )
    lines = tuple(x.strip() for x in signed.splitlines() if x.strip())
    return {
        "signatures": None if lines in (SIGNATURES, ()) else lines,  # None: the default lines
        "objection": objection.strip() or None,
        "what": what.strip() or None,
        "issuer": issuer.strip() or "社区居民委员会",
        "posting_from": start.isoformat() if start else None,
        "posting_until": end.isoformat() if end else None,
        "objection_to": where.strip(),
        "objection_until": until.isoformat() if until else None,
        "orientation": side,
        "label_style": labels,
    }
