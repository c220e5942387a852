"""The notice's Chinese font: found on the system (or given), registered and embedded."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

__all__ = ["FONT_CANDIDATES", "NoticeFontWarning", "cjk_font", "find_cjk_font"]

FONT_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
"""Where to look for an embeddable CJK TrueType font, in order (``COSTSHARE_CJK_FONT`` first)."""


class NoticeFontWarning(UserWarning):
    """No embeddable Chinese font was found: the notice uses the non-embedded STSong-Light."""


def find_cjk_font(path: str | Path | None = None) -> Path | None:
    """The first embeddable CJK font: `path`, ``$COSTSHARE_CJK_FONT``, then :data:`FONT_CANDIDATES`.

    Examples
    --------
    >>> find_cjk_font("/no/such/font.ttf") is None or True
    True
    """
    if path is not None:
        p = Path(path)
        return p if p.is_file() else None
    env = os.environ.get("COSTSHARE_CJK_FONT")
    for c in ([env] if env else []) + list(FONT_CANDIDATES):
        p = Path(c)
        if p.is_file() and _try_register(p) is not None:
            return p
    return None


_REGISTERED: dict[str, str] = {}


def _try_register(path: Path) -> str | None:
    """Register `path` with reportlab; the font name, or None if it cannot be embedded."""
    key = str(path)
    if key in _REGISTERED:
        return _REGISTERED[key]
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    name = f"CJK{len(_REGISTERED)}"
    try:
        kw = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
        pdfmetrics.registerFont(TTFont(name, str(path), **kw))
    except (OSError, TTFError):  # unreadable, or a format reportlab cannot embed
        return None
    _REGISTERED[key] = name
    return name


def cjk_font(font_path: str | Path | None) -> str:
    """The registered name of the CJK font to draw with (a built-in font, with a warning,
    when none is found)."""
    p = find_cjk_font(font_path)
    name = _try_register(p) if p is not None else None
    if name is not None:
        return name
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    where = f"at {font_path}" if font_path else "on this system"
    warnings.warn(
        f"no embeddable Chinese TrueType font found {where}; the notice uses STSong-Light, "
        "which is NOT embedded (readers without Chinese fonts will ask for a font pack). "
        "Install fonts-wqy-zenhei or pass font_path=/path/to/font.ttf|.ttc.",
        NoticeFontWarning,
        stacklevel=3,
    )
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"
