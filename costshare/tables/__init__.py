"""Reading tables at the input edge: one reader, one header matcher, one cell normaliser.

Rosters, registers, ballots, community tables and plan candidates are read by
:mod:`.read` (CSV through :mod:`.delimited`, XLSX through :mod:`.workbook` and
:mod:`.sheetxml`, both into a :class:`~costshare.tables.sheet.Sheet`), their headers
matched by one rule (:mod:`.headers`), their identifier cells compared by one key
(:mod:`.cells`). A foundation module: it imports nothing from the engines or the shells.
"""

from costshare.tables.cells import clean_text, clean_texts, ident_key, ident_keys, same_ident

__all__ = ["clean_text", "clean_texts", "ident_key", "ident_keys", "same_ident"]
