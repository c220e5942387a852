"""One CSV reader: encoding, separator and quoting sniffed by one rule.

- **Encoding**: a BOM (UTF-8, UTF-16, UTF-32, GB18030); else strict UTF-8; else
  UTF-16 by its zero bytes; else GB18030 (GBK's superset) or Big5, told apart on a
  sample when both decode. A BOM is never kept as part of the first header.
- **Separator**: an Excel ``sep=`` first line names it (and is not a row); else the one
  of ``, tab ; ， |`` that splits the first lines into the same number of cells. A
  semicolon file writes decimals with a comma (``82,5``).
- **Quoting**: a quote that is never closed, or that swallows the lines after it (a
  cell holding the separator across line breaks), is an error at the line where it
  opens, never a row silently lost.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
from pathlib import Path
from typing import Any

from costshare.errors import InputError, Problem
from costshare.tables.sheet import MAX_COLUMNS, MAX_ROWS, Sheet

__all__ = ["csv_sheet", "decode_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"\x84\x31\x95\x33", "gb18030"),
)


def decode_text(data: bytes, file: str) -> str:
    """CSV bytes as text, the encoding sniffed (see the module notes); no BOM kept.

    Examples
    --------
    >>> decode_text("房号".encode("gb18030"), "a.csv"), decode_text(b"\\xef\\xbb\\xbfid", "a.csv")
    ('房号', 'id')
    >>> decode_text("\\ufeff房号".encode("gb18030"), "a.csv")
    '房号'
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError:
                return _guess(data[len(bom) :], file)
    sample = data[:4096]
    if sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM
        even = sample[0::2].count(b"\x00") > sample[1::2].count(b"\x00")
        try:
            return data.decode("utf-16-be" if even else "utf-16-le").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        return _guess(data, file)


def _plausible(text: str, enc: str) -> float:
    """Share of the non-ASCII characters of `text` that are common hanzi or punctuation
    in `enc` (GB2312's level-1 block for GB18030, Big5's level-1 block for Big5)."""
    wide = [c for c in text if not c.isascii()]
    if not wide:
        return 1.0
    good = 0
    for c in wide:
        try:
            b = c.encode("gb2312" if enc == "gb18030" else "big5")
        except UnicodeEncodeError:
            continue
        code = int.from_bytes(b, "big")
        if enc == "gb18030":
            good += 0xA1A1 <= code <= 0xA3FE or 0xB0A1 <= code <= 0xD7F9
        else:
            good += 0xA140 <= code <= 0xA3BF or 0xA440 <= code <= 0xC67E
    return good / len(wide)


def _guess(data: bytes, file: str) -> str:
    """GB18030 (GBK's superset) or Big5: the one whose characters are common ones.

    Both decode most Chinese bytes; Big5 read as GBK gives symbols and rare hanzi
    (half its trail bytes are below 0xA1), GBK read as Big5 mostly common hanzi, so
    Big5 is taken only when it reads clearly better (a tie is GB18030).
    """
    fits: dict[str, str] = {}
    for enc in ("gb18030", "big5"):
        try:
            fits[enc] = data.decode(enc)
        except UnicodeDecodeError:
            continue
    if len(fits) == 2:
        sample = {enc: t[:20000] for enc, t in fits.items()}
        gb, big5 = (_plausible(sample[e], e) for e in ("gb18030", "big5"))
        if big5 > gb + 0.2:
            del fits["gb18030"]
    if fits:
        return next(iter(fits.values())).lstrip("\ufeff")
    msg = "cannot tell the text encoding; save the file as UTF-8 or GBK CSV"
    raise InputError(Problem(msg, file=file))


_SEP_LINE = re.compile(r"^\s*sep=(.)\s*$", re.IGNORECASE)
_CANDIDATES = (",", "\t", ";", "，", "|")


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def _separator(lines: list[str], suffix: str) -> str:
    """The separator that splits the first lines into the same number of cells."""
    sample = [_outside_quotes(ln) for ln in lines if ln.strip()][:30]
    if not sample:
        return "\t" if suffix == ".tsv" else ","
    best, score = ",", (0.0, 0)
    for sep in _CANDIDATES:
        counts = [ln.count(sep) for ln in sample]
        if not any(counts):
            continue
        mode = max(set(counts), key=counts.count)
        agree = counts.count(mode) / len(counts)
        if mode and (agree, mode) > score:
            best, score = sep, (agree, mode)
    if score == (0.0, 0) and suffix == ".tsv":
        return "\t"
    return best


def csv_sheet(data: bytes, file: str) -> Sheet:
    """The rows of a CSV file (encoding, separator and quoting sniffed).

    Raises
    ------
    InputError
        An empty file, more than :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns,
        or a quote that is not closed (named by its line).

    Examples
    --------
    >>> s = csv_sheet("sep=;\\n房号;面积\\n101;82,5\\n".encode("gb18030"), "r.csv")
    >>> s.rows, s.decimal_comma, s.notes
    ([[], ['房号', '面积'], ['101', '82,5']], True, ["line 1: 'sep=;' names the separator"])
    >>> csv_sheet(b'id,a\\n1,"x\\n2,y\\n3,z\\n', "r.csv")
    Traceback (most recent call last):
    ...
    costshare.errors.InputError: r.csv, line 2: a quote (") opens here and is never closed; the rows after it would be lost
    """
    if not data.strip():
        raise InputError(Problem("the file is empty: expected a header row and rows", file))
    if data.count(b"\n") > MAX_ROWS:
        msg = f"more than {MAX_ROWS - 10:,} rows: split the table (by building, say)"
        raise InputError(Problem(msg, file))
    text = decode_text(data, file)
    if "\x00" in text:  # a damaged or binary file: a NUL inside a cell would be kept in it
        line = text.count("\n", 0, text.index("\x00")) + 1
        msg = "a NUL byte (\\x00) in the text: the file is damaged or not a text table"
        raise InputError(Problem(msg, file, f"line {line}"))
    lines = text.splitlines()
    notes: list[str] = []
    sep_line = _SEP_LINE.match(lines[0]) if lines else None
    if sep_line:
        sep = sep_line.group(1)
        notes.append(f"line 1: 'sep={sep}' names the separator")
    else:
        sep = _separator(lines[:50], Path(file).suffix.lower())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[list[Any]] = []
    start = 1
    # csv.reader makes one list per row and nothing cyclic: pausing the cycle collector
    # saves its repeated scans of the growing list (half the time at 100,000 rows)
    paused = gc.isenabled()
    gc.disable()
    try:
        for row in reader:
            # a record over several lines holds a quoted line break: fine in a cell,
            # but a "cell" holding the separator or many lines is rows swallowed
            if reader.line_num > start and any(
                ("\n" in c or "\r" in c) and (sep in c or c.count("\n") > 3) for c in row
            ):
                raise csv.Error("swallowed")
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        msg = """a quote (") opens here and is never closed; the rows after it would be lost"""
        if "field larger" in str(exc):
            limit = csv.field_size_limit()
            msg = f"not a readable csv table: a cell longer than {limit:,} characters"
        raise InputError(Problem(msg, file, f"line {start}")) from None
    finally:
        if paused:
            gc.enable()
    if sep_line:
        rows[0] = []
    wide = next((i for i, r in enumerate(rows) if len(r) > MAX_COLUMNS), None)
    if wide is not None:
        msg = f"more than {MAX_COLUMNS} columns: a table has a few columns per row"
        raise InputError(Problem(msg, file, f"row {wide + 1}"))
    return Sheet("", rows, notes=notes, decimal_comma=sep == ";")
