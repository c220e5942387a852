"""Small widgets shared by the pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from costshare.report import plain_text

_MIME = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
    ".pdf": "application/pdf",
    ".yaml": "application/x-yaml",
    ".json": "application/json",
}


md_escape = plain_text
"""User text made safe to show as Markdown (the library's one escaper, :func:`plain_text`)."""


def download(where: Any, label: str, data: Any, file_name: str, key: str) -> None:
    """A download button that does not rerun the page (``on_click="ignore"``).

    `data` may be bytes/str or a callable that builds them when clicked; the MIME type
    follows the file name's suffix.
    """
    where.download_button(
        label,
        data=data,
        file_name=file_name,
        mime=_MIME.get(PurePath(file_name).suffix, "application/octet-stream"),
        on_click="ignore",
        key=key,
    )


def yaml_source(
    section: str,
    key: str,
    bundled: list[str],
    read_bundled: Callable[[str], str],
    parse: Callable[[str, str], Any],
    store_kind: str | None = None,
    title: Callable[[str], str] | None = None,
) -> tuple[str, str, Any]:
    """Pick a bundled YAML or upload one; parse it, falling back to the first bundled file.

    Labels come from ``{section}.source``, ``.bundled``, ``.upload``, ``.upload_hint`` and
    ``.fallback``; widget keys are ``{key}source``, ``{key}bundled`` and ``{key}upload``.
    A bad upload shows the library's message and the page goes on with the default.
    With `store_kind`, a third source offers the stored versions of that kind
    (``{section}.source.store``; see :func:`app_pages._store_widgets.open_stored`).
    `title` names a bundled file on the picker (e.g. the scenario's name in the chosen
    language with the file name). Returns the file name, its text and what `parse` made of it.
    """
    import streamlit as st

    from app_pages._cache import MAX_YAML_BYTES
    from app_pages._i18n import t
    from costshare.errors import InputError

    default = bundled[0]
    options = ["bundled", "upload"] + (["store"] if store_kind else [])
    solved = st.session_state.get(key + "solved")  # a goal seek's result applied to the page
    if solved is not None:
        options.append("solved")
    source = st.radio(
        t(f"{section}.source"),
        options,
        format_func=lambda k: t(f"{section}.source.{k}"),
        horizontal=True,
        help=t("help.common.source"),
        key=key + "source",
    )
    name, text = default, read_bundled(default)
    if source == "bundled":
        name = st.selectbox(
            t(f"{section}.bundled"),
            bundled,
            format_func=title or str,
            help=t("help.common.bundled"),
            key=key + "bundled",
        )
        text = read_bundled(name)
    elif source == "solved" and solved is not None:
        name, text = solved
    elif source == "store":
        from app_pages._store_widgets import open_stored

        got = open_stored(str(store_kind), key)
        if got is not None:
            name, text = got
    else:
        up = st.file_uploader(
            t(f"{section}.upload"),
            type=["yaml", "yml"],
            max_upload_size=1,
            help=t("help.common.upload"),
            key=key + "upload",
        )
        if up is None:
            st.info(t(f"{section}.upload_hint"))
        elif up.size > MAX_YAML_BYTES:
            st.error(t("common.upload_too_big", size=up.size, limit=MAX_YAML_BYTES))
        else:
            name, text = up.name, up.getvalue().decode("utf-8", errors="replace")
    try:
        return name, text, parse(text, name)
    except InputError as exc:
        st.error(
            f"{t('common.error_title')}\n\n{md_escape(str(exc))}\n\n{t(f'{section}.fallback')}"
        )
        text = read_bundled(default)
        return default, text, parse(text, default)


AUDIT_LABELS = ("section", "parameter", "value", "unit", "rule", "document", "issuer")
AUDIT_LABELS += ("article", "date", "effective_from", "confidence", "reason", "note")
AUDIT_LABELS += ("jurisdiction",)


def audit_expander(result: Any, key: str) -> None:
    """The audit appendix under a result: every rule value and assumption behind it.

    `result` is a result the library can audit (worded in the chosen language), or a
    frame already made by :func:`costshare.report.audit.audit_frame`
    (``audit_frame(rules=…, assumptions=…)``). Headers, sections and jurisdictions are
    shown in the chosen language; the rule id is shown as the citation handle. Shown as a
    table, so no cell is ever rendered as Markdown.
    """
    import pandas as pd
    import streamlit as st

    from app_pages._i18n import jur_name, lang, t
    from costshare.report.audit import audit_frame
    from costshare.report.audit_words import unit

    frame = result if isinstance(result, pd.DataFrame) else audit_frame(result, lang=lang())
    frame = frame.fillna("").astype(str)
    if "unit" in frame and "value" in frame:  # a ratio reads as a percentage
        ratio = frame["unit"].isin(["/1", unit("/1", lang())]) & frame["value"].str.fullmatch(
            r"-?\d+(\.\d+)?"
        )
        frame.loc[ratio, "value"] = [_percent(v) for v in frame.loc[ratio, "value"]]
        frame.loc[ratio, "unit"] = ""
    if "unit" in frame:
        frame["unit"] = [unit(u, lang()) if u else "" for u in frame["unit"]]
    if "section" in frame:
        frame["section"] = [t(f"audit.section.{s}") if s else "" for s in frame["section"]]
    if "jurisdiction" in frame:
        frame["jurisdiction"] = [jur_name(j) if j else "" for j in frame["jurisdiction"]]
    config = {c: t(f"audit.col.{c}") for c in AUDIT_LABELS if c in frame.columns}
    with st.expander(t("common.audit"), expanded=False):
        st.dataframe(
            frame,
            hide_index=True,
            column_config=config,
            key=key + "audit",
            placeholder="",
        )


def _percent(value: str) -> str:
    """``"0.042"`` as ``"4.2%"`` (exact: the decimal point moves, nothing is rounded)."""
    from decimal import Decimal

    text = f"{Decimal(value).scaleb(2):f}"
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def amount_caption(where: Any, value: float, ratio: bool = False) -> None:
    """Under a number input: the amount with thousands separators, or a ratio as a percent.

    ``st.number_input`` cannot group digits, so the page repeats a large amount below it.
    """
    from decimal import Decimal

    from app_pages._i18n import t
    from costshare.money import format_amount, to_fen

    if ratio:
        where.caption(t("community.percent", percent=f"{value:.2%}"))
    else:
        grouped = format_amount(to_fen(Decimal(repr(float(value))))).removesuffix(" 元")
        where.caption(t("community.grouped", amount=grouped))


COMPACT_WAN_FEN = 100_000_000
"""From 1,000,000 元 (in fen) on, :func:`money` shows 万元 (a metric box fits ~14 characters)."""
COMPACT_YI_FEN = 100_000_000_000
"""From 10 亿元 (in fen) on, :func:`money` shows 亿元."""


def money(fen: int) -> str:
    """An amount in fen for a metric: 元 below 1,000,000 元, 万元 below 10 亿元, else 亿元.

    Compact so a metric is never cut; the figure is
    :func:`costshare.money.format_amount`'s (to the fen in 元, half up to the unit's
    hundredth in 万元/亿元). The unit is the currency's symbol in both languages, as on
    every metric of the app.

    Examples
    --------
    >>> money(123_456), money(3_570_000_000), money(-150_000_000_000)
    ('1,234.56 元', '3,570.00 万元', '-15.00 亿元')
    """
    from costshare.money import format_amount

    size = abs(int(fen))
    unit = "元" if size < COMPACT_WAN_FEN else "万元" if size < COMPACT_YI_FEN else "亿元"
    return format_amount(int(fen), unit)
