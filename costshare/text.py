"""Text that leaves the library: personal numbers scrubbed, control characters and Markdown escaped.

Three guards, used wherever text from a user's file may reach a person:

- :func:`scrub` hides personal numbers (phones, ID numbers, bank cards) found *by
  content*, whatever the separators; every :class:`~costshare.errors.Problem` message
  passes through it, so no error message quotes one.
- :func:`escape_control` makes control characters (ESC, BEL, CR, ...) visible as
  ``\\x1b``-style escapes before text is printed to a terminal.
- :func:`escape_markdown` shows text as typed in a Markdown page (Streamlit): HTML and
  every Markdown special character escaped, control characters made visible.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = [
    "HIDDEN",
    "escape_control",
    "escape_markdown",
    "has_personal_number",
    "lookalike_note",
    "mask_name",
    "scrub",
]

HIDDEN = "[number hidden]"
"""What :func:`scrub` puts in place of a personal number."""

# a run of digits joined by separators people type inside phone and ID numbers
# (spaces, dashes of every width, slashes, dots, commas, brackets), ending in a digit
# or the X of an ID number
_SEP = r"(?:\s?[-‐‑‒–—―−/\\.·・_()（）]\s?|\s|,(?=\d))"
# the X of an ID number ends a word: "2024-06-01.xlsx" is a date and a suffix, no X
_RUN = re.compile(rf"(?<!\d)[+＋(（]?\d(?:{_SEP}{{1,2}}\d|\d)*(?:[xX](?![A-Za-z]))?(?!\d)")
_DATE = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}")
_COMPACT_DATE = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
_UNIT = re.compile(r"\d{1,3}-\d{1,2}-\d{1,4}")  # building-stairwell-room, as units are named
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|[+-]?\d+\.\d+")
_MIN_DIGITS = 7


def _personal(run: str) -> bool:
    digits = sum(c.isdigit() for c in run)
    if digits < _MIN_DIGITS:
        return False
    plain = run.strip().lstrip("+＋(（")  # '(2001-01-01' is a date in brackets
    # a date (2024-01-02), an amount written as one (1,234,567.89 or 12345678.5), a unit
    if _COMPACT_DATE.fullmatch(plain):  # 20240601 in a file name is a date
        return False
    return not (_DATE.fullmatch(plain) or _GROUPED.fullmatch(plain) or _UNIT.fullmatch(plain))


_HEX = frozenset("0123456789abcdefABCDEF")


def _hex_token(s: str, m: re.Match[str]) -> bool:
    """True when the digits of `m` are part of a hex reference or digest (``1f4d94961727``).

    The whole word must be hex, 8+ characters, with letters; a run of 11 or more digits
    (a phone's length) inside one still counts as a personal number.
    """
    run = m.group(0)
    if not run.isdigit() or len(run) >= 11:
        return False
    a, b = m.start(), m.end()
    while a > 0 and s[a - 1] in _HEX:
        a -= 1
    while b < len(s) and s[b] in _HEX:
        b += 1
    word = s[a:b]
    edge = (a == 0 or not s[a - 1].isalnum()) and (b == len(s) or not s[b].isalnum())
    return edge and len(word) >= 8 and not word.isdigit()


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def has_personal_number(text: object) -> bool:
    """True when `text` holds a run of 7 or more digits that may be a phone or ID number.

    Examples
    --------
    >>> [has_personal_number(x) for x in ("张三", "139—1234—5678", "2024-01-02", "1,234,567.00")]
    [False, True, False, False]
    """
    s = _nfkc(str(text))
    return any(_personal(m.group(0)) and not _hex_token(s, m) for m in _RUN.finditer(s))


def scrub(text: str) -> str:
    """`text` with every personal number replaced by :data:`HIDDEN`.

    A personal number is any run of 7 or more digits, whatever separates them (spaces,
    dashes including ``—``, slashes, dots), optionally ending in the ``X`` of an ID
    number. Dates (``2024-01-02``) and amounts written as amounts (``1,234,567.89``)
    are left alone. Full-width digits count as digits.

    Examples
    --------
    >>> scrub("row 3: got '139—1234—5678'")
    "row 3: got '[number hidden]'"
    >>> scrub("id 11010119900101123X, phone 138/1234/5678, tel 010 6512 3456")
    'id [number hidden], phone [number hidden], tel [number hidden]'
    >>> scrub("row 12, 2024-01-02, 1,234,567.89 yuan, unit 1-1-101")
    'row 12, 2024-01-02, 1,234,567.89 yuan, unit 1-1-101'
    """
    if not any(c.isdigit() for c in text):
        return text
    s = _nfkc(text)
    if len(s) != len(text):  # normalisation changed the length: scrub the normalised text
        text = s
    out, last = [], 0
    for m in _RUN.finditer(s):
        if _personal(m.group(0)) and not _hex_token(s, m):
            out += [text[last : m.start()], HIDDEN]
            last = m.end()
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def escape_control(text: object, *, keep_newlines: bool = True) -> str:
    """`text` with control and direction-changing characters shown as escapes.

    ESC, BEL, CR, backspace, bidi overrides and zero-width characters become ``\\x1b``,
    ``\\x07``, ``\\r``... so a file or document name cannot move the cursor, ring the
    bell, overwrite a line or reorder text in a terminal. Newlines (and tabs) are kept
    unless `keep_newlines` is false.

    Examples
    --------
    >>> escape_control("a\\x1b[31mb\\x07\\rc")
    'a\\\\x1b[31mb\\\\x07\\\\rc'
    >>> escape_control("x\\ny", keep_newlines=False)
    'x\\\\ny'
    """
    s = str(text)

    def esc(m: re.Match[str]) -> str:
        return repr(m.group(0))[1:-1] if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}"

    s = _CONTROL.sub(esc, s)
    if not keep_newlines:
        s = s.replace("\n", "\\n").replace("\t", "\\t")
    return s


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$])")


def escape_markdown(text: object) -> str:
    """`text` (a file name, a cell, a document name) shown as typed in Markdown.

    HTML is escaped, every Markdown special character is backslash-escaped, and control
    characters are made visible (:func:`escape_control`), so a link, an image, a heading
    or a formula in a user's file appears as the characters typed.

    Examples
    --------
    >>> print(escape_markdown("![x](http://e/p.png) # 1. *b*"))
    \\!\\[x\\]\\(http://e/p\\.png\\) \\# 1\\. \\*b\\*
    """
    s = html.escape(escape_control(text), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", s)


_SPLIT = re.compile(r"([、，,;；/\s]+)")


def _mask_one(name: str) -> str:
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_name(name: object) -> str:
    """Mask a name for a public notice: keep the first and last character.

    Two-character names keep only the first (李四 → 李*); several owners separated by
    、 , ; / or spaces are masked one by one.

    Examples
    --------
    >>> mask_name("张小三"), mask_name("李四"), mask_name("欧阳小明"), mask_name("王")
    ('张*三', '李*', '欧**明', '*')
    >>> mask_name("张小三、李四"), mask_name(None)
    ('张*三、李*', '')
    """
    if name is None or name != name or str(name) == "<NA>":  # None, NaN, pd.NA
        return ""
    parts = _SPLIT.split(str(name).strip())
    return "".join(p if _SPLIT.fullmatch(p) else _mask_one(p) for p in parts)


# letters of other scripts that look like ASCII ones (the common confusables of a key
# typed with a Russian or Greek keyboard layout, or pasted from a web page)
_CONFUSABLE = dict(
    zip(
        "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХІЈЅαοντρκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
        "aeopcyxijsdhlqwABEKMHOPCTXIJSaovtpkABEZHIKMNOPTYX",
        strict=True,
    )
)


def lookalike_note(key: object) -> str | None:
    """A sentence naming the look-alike characters in `key` (a YAML key), or None.

    A key typed with a Cyrillic ``а`` or a full-width ``ｎ`` looks right and is unknown;
    the note names each such character and the key as it was probably meant.

    Examples
    --------
    >>> lookalike_note("name") is None
    True
    >>> print(lookalike_note("n\u0430me"))
    the key holds look-alike characters: U+0430 CYRILLIC SMALL LETTER A (looks like 'a'); did you mean 'name'?
    """
    s = str(key)
    if s.isascii():
        return None
    found, meant = [], []
    for c in s:
        plain = c if c.isascii() else _CONFUSABLE.get(c) or unicodedata.normalize("NFKC", c)
        if not c.isascii() and plain.isascii() and plain.strip():
            name = unicodedata.name(c, "")
            found.append(f"U+{ord(c):04X} {name} (looks like {plain!r})".replace("  ", " "))
        elif _INVISIBLE_KEY.match(c):
            found.append(f"U+{ord(c):04X} {unicodedata.name(c, 'an invisible character')}")
            plain = ""
        meant.append(plain)
    if not found:
        return None
    guess = "".join(meant)
    tail = f"; did you mean {guess!r}?" if guess.isascii() and guess else ""
    return "the key holds look-alike characters: " + ", ".join(found) + tail


_INVISIBLE_KEY = re.compile(r"[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
