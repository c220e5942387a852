"""Funding-line keys: what kind of money a line is, and its name in a language.

A scenario's sources are keyed ``payer:<enterprise>`` (a utility's rule share), a plan
channel (``central_subsidy``, ``municipal``, ...), ``residents_fund`` / ``residents``
(the residents' money: paid from the maintenance fund, paid in cash) or ``other:<name>``.
This module is the one place that tells them apart and names them.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from costshare import i18n

__all__ = [
    "PAYER_PREFIX",
    "RESIDENTS",
    "channel_kind",
    "channel_label",
    "is_residents",
    "residents_mask",
]

PAYER_PREFIX = "payer:"
RESIDENTS = ("residents_fund", "residents")
"""The residents' lines: paid from the maintenance fund, then in cash."""

Kind = Literal["payer", "channel", "residents", "other"]


def is_residents(key: str) -> bool:
    """Whether funding line `key` is the residents' own money.

    >>> is_residents("residents_fund"), is_residents("municipal")
    (True, False)
    """
    return key in RESIDENTS


def residents_mask(keys: object) -> npt.NDArray[np.bool_]:
    """:func:`is_residents` over an array or Series of line keys.

    >>> residents_mask(["residents", "payer:water"]).tolist()
    [True, False]
    """
    return np.isin(np.asarray(keys, dtype=object), RESIDENTS)


def channel_kind(key: str) -> Kind:
    """``payer``, ``residents``, ``other`` or ``channel`` (a plan channel).

    >>> [channel_kind(k) for k in ("payer:water", "residents", "other:捐赠", "municipal")]
    ['payer', 'residents', 'other', 'channel']
    """
    if key.startswith(PAYER_PREFIX):
        return "payer"
    if is_residents(key):
        return "residents"
    if key.startswith("other:"):
        return "other"
    return "channel"


def channel_label(key: str, line: str, lang: i18n.Lang = "zh") -> str:
    """Line `key`'s name in `lang` from the translation table; `line` when it has none
    (a new channel or payer reads as its file names it; ``other:`` keeps the user's name).

    >>> channel_label("municipal", "市级财政", "en"), channel_label("other:捐赠", "捐赠", "en")
    ('Municipal finance', '捐赠')
    """
    kind = channel_kind(key)
    if kind == "payer":
        return i18n.label("payer", key.removeprefix(PAYER_PREFIX), lang, line)
    if kind == "residents":
        return i18n.label("chart", key, lang, line)
    if kind == "other":
        return line
    return i18n.label("channel", key, lang, line)
