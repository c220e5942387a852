"""Errors that tell the user where the bad input is: file, row or rule, field.

Every message is scrubbed of personal numbers on the way in (:func:`costshare.text.scrub`):
a phone or ID number copied from a cell into a message is shown as ``[number hidden]``.
"""

from __future__ import annotations

__all__ = ["InputError", "Problem"]

from dataclasses import dataclass

from costshare.text import scrub


@dataclass(frozen=True)
class Problem:
    """One problem in one place of an input: ``file``, ``where`` (row or rule), ``field``."""

    message: str
    file: str | None = None
    where: str | None = None
    field: str | None = None

    def __post_init__(self) -> None:
        # no message leaves the library quoting a personal number (phone, ID, card)
        for attr in ("message", "file", "where", "field"):  # a file may be named by a phone
            value = getattr(self, attr)
            if isinstance(value, str):
                object.__setattr__(self, attr, scrub(value))

    def __str__(self) -> str:
        loc = ", ".join(
            p for p in (self.file, self.where, f"field {self.field!r}" if self.field else None) if p
        )
        return f"{loc}: {self.message}" if loc else self.message


class InputError(ValueError):
    """Bad user input, with every problem found (not just the first).

    The message lists each problem as ``file, row N, field 'x': what was expected``,
    ready to show in the CLI or the app without a traceback.
    """

    def __init__(self, problems: list[Problem] | Problem | str, *, more: int = 0) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = [p if isinstance(p, Problem) else Problem(scrub(str(p))) for p in problems]
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problems")
        super().__init__("\n".join(lines))
