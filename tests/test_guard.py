"""The other guards of the input edge: YAML 1.2, identifier keys, personal numbers, numbers.

Hand-computed cases from the hostile corpus of issue 21, one per silently-wrong or
leaking case, plus hypothesis properties for the identifier key and the scrubber.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costshare.errors import InputError, Problem
from costshare.finance import loan_schedule
from costshare.money import allocate, amount_fen
from costshare.rules import RULES_DIR, validate_file
from costshare.tables.cells import clean_text, ident_key
from costshare.text import HIDDEN, escape_control, has_personal_number, scrub
from costshare.yamlio import load_yaml


class TestYaml:
    """YAML 1.2 through one loader: no sexagesimal or octal numbers, bounded aliases."""

    def test_times_and_leading_zeros_stay_text(self) -> None:
        assert load_yaml("a.yaml", text="cost: 12:30\nhouseholds: 0460\n") == {
            "cost": "12:30",
            "households": "0460",
        }

    def test_duplicate_key_refused_with_its_line(self) -> None:
        with pytest.raises(InputError, match=r"^a\.yaml, line 3: duplicate key 'cost'"):
            load_yaml("a.yaml", text="name: x\ncost: 1\ncost: 2\n")

    def test_alias_bomb_refused_quickly(self) -> None:
        lines = ["a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
        for prev, cur in zip("abcdefg", "bcdefgh", strict=True):
            lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
        with pytest.raises(InputError, match="expands to more than 200,000 values"):
            load_yaml("bomb.yaml", text="\n".join(lines) + "\n")

    def test_extends_is_a_key_never_a_path(self, tmp_path: Path) -> None:
        text = (RULES_DIR / "fujian.yaml").read_text(encoding="utf-8")
        assert "\nextends: national\n" in text
        bad = tmp_path / "x.yaml"
        bad.write_text(text.replace("\nextends: national\n", "\nextends: ../outside/x\n"), "utf-8")
        with pytest.raises(InputError, match="extends must name a jurisdiction key") as exc:
            validate_file(bad)
        assert "outside" not in str(exc.value).split("extends must", 1)[1]


class TestIdentifiers:
    """One key for every spelling of a building, stairwell or unit."""

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            ("1", "1栋"),
            ("1号楼", "１号楼"),
            ("一号楼", "1"),
            ("1-101", "1栋101"),
            ("1-1-101", "1号楼1单元101室"),
            ("'101", "101"),
            ("1\u200b01", "101"),
            ("\ufeff0101", "101"),
        ],
    )
    def test_spellings_compare_as_one(self, a: str, b: str) -> None:
        assert ident_key(a) == ident_key(b)

    @pytest.mark.parametrize(
        ("a", "b"), [("1", "2"), ("1-101", "1-102"), ("A座", "B座"), ("10", "1")]
    )
    def test_different_units_stay_different(self, a: str, b: str) -> None:
        assert ident_key(a) != ident_key(b)

    @settings(max_examples=200, deadline=None)
    @given(
        b=st.integers(1, 30),
        s=st.integers(1, 9),
        room=st.integers(101, 3004),
        style=st.sampled_from(
            ["{b}-{s}-{r}", "{b}栋{s}单元{r}", "{b}号楼{s}单元{r}室", "{b} - {s} - {r}"]
        ),
        junk=st.sampled_from(["", "\u200b", "\ufeff", "'", " "]),
    )
    def test_any_spelling_of_a_unit_has_the_canonical_key(
        self, b: int, s: int, room: int, style: str, junk: str
    ) -> None:
        text = junk + style.format(b=b, s=s, r=room)
        assert ident_key(text) == f"{b}-{s}-{room}"
        assert clean_text(text) == clean_text(style.format(b=b, s=s, r=room))


class TestPersonalNumbers:
    """Phones and ID numbers are found by content and never leave in a message."""

    @pytest.mark.parametrize(
        "text",
        [
            "139—1234—5678",
            "138/1234/5678",
            "11010119900101123X",
            "010 6512 3456",
            "+86 138 0013 8000",
        ],
    )
    def test_found_whatever_the_separators(self, text: str) -> None:
        assert has_personal_number(text)
        assert scrub(f"got {text!r}") == f"got '{HIDDEN}'"

    @pytest.mark.parametrize("text", ["2024-01-02", "1,234,567.89", "1-1-101", "row 12", "82.5"])
    def test_dates_amounts_and_units_stay(self, text: str) -> None:
        assert scrub(text) == text

    def test_every_problem_message_is_scrubbed(self) -> None:
        p = Problem("expected an area, got '139 1234 5678'", "r.csv", "row 3", "area_m2")
        assert "1234" not in str(p) and HIDDEN in str(p)

    @settings(max_examples=200, deadline=None)
    @given(
        digits=st.text("0123456789", min_size=11, max_size=18),
        sep=st.sampled_from(["", " ", "-", "—", "/", ".", " - "]),
        cut=st.integers(3, 4),
    )
    def test_no_run_of_digits_survives(self, digits: str, sep: str, cut: int) -> None:
        shown = sep.join(digits[i : i + cut] for i in range(0, len(digits), cut))
        out = scrub(f"业主电话 {shown} 已登记")
        assert sum(c.isdigit() for c in out) < 7, out

    def test_control_characters_are_shown_not_obeyed(self) -> None:
        assert escape_control("a\x1b[2Jb\x07") == "a\\x1b[2Jb\\x07"


class TestNumbersAtEntryPoints:
    """A library call never truncates or rounds a number away silently."""

    def test_allocate_refuses_half_a_fen(self) -> None:
        with pytest.raises(ValueError, match="whole numbers of fen"):
            allocate(Decimal("100.5"), [1, 1])
        with pytest.raises(ValueError, match="whole number"):
            allocate(100.5, [1, 1])
        assert allocate(101, [1, 1]).tolist() == [51, 50]

    @pytest.mark.parametrize("x", ["0.001", Decimal("12.345"), "1,000.005"])
    def test_amount_below_a_fen_is_refused(self, x: object) -> None:
        with pytest.raises(InputError, match="field 'total': an amount in yuan has at most two"):
            amount_fen(x, "total")  # type: ignore[arg-type]

    def test_amount_in_yuan(self) -> None:
        assert amount_fen("1,234.56", "total") == 123456
        assert amount_fen(Decimal("0.01"), "total") == 1

    def test_loan_term_must_be_whole(self) -> None:
        with pytest.raises(ValueError, match="whole numbers"):
            loan_schedule(1_000_000, "0.04", 2.5)  # type: ignore[arg-type]
        assert len(loan_schedule(1_000_000, "0.04", 3)) == 3


class TestIdentKeysAtScale:
    """Labels already in key form skip the per-value work (a pandas string column in one
    vectorized pass); every route gives ident_key's answer, and the duplicate check by
    integer codes finds the households the key columns repeat."""

    LABELS = st.lists(
        st.one_of(
            st.from_regex(r"[0-9]{1,4}(-[0-9]{1,4}){0,2}", fullmatch=True),
            st.sampled_from(["1号楼", "1栋", "０１", "01-0101", "a座", "", " 7 ", "'12", "1-"]),
            st.integers(0, 3000),
            st.none(),
        ),
        max_size=60,
    )

    @given(LABELS)
    @settings(max_examples=200, deadline=None)
    def test_every_route_equals_ident_key(self, labels):
        import pandas as pd

        from costshare.tables.cells import ident_key, ident_keys

        want = [ident_key(v) for v in labels]
        assert ident_keys(labels) == want
        text = pd.Series([None if v is None else str(v) for v in labels], dtype="str")
        assert ident_keys(text) == [ident_key(v) for v in text.tolist()]

    @given(
        st.lists(
            st.tuples(st.sampled_from(["1", "1栋", "2", "02"]), st.sampled_from(["1", "一"]),
                      st.sampled_from(["101", "0101", "102", "1-101"])),
            min_size=1, max_size=30,
        )
    )  # fmt: skip
    @settings(max_examples=100, deadline=None)
    def test_duplicates_by_codes_equal_duplicates_by_keys(self, rows):
        import pandas as pd

        from costshare.households.scope import _duplicated, _keyed

        roster = pd.DataFrame(rows, columns=["building", "stairwell", "unit_id"])
        keyed = _keyed(roster)
        want = keyed.astype(str).duplicated(keep=False).to_numpy()
        assert _duplicated(keyed).tolist() == want.tolist()
