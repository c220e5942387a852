"""Utility-split engine: Fujian splits computed by hand, unmatched items, fallbacks."""

from decimal import Decimal

import pandas as pd
import pytest

from costshare import rules, split_costs
from costshare.errors import InputError

FUJIAN = rules.load("fujian", on="2024-01-01")


class TestSplitCosts:
    def test_fujian_hand_computed(self):
        """Telecom 640,000 → 416,000 / 224,000; shared power lines 1,180,000 → 590,000 each."""
        r = split_costs(
            [
                {"item": "缆线规整", "category": "telecom_cabling", "cost": "640000"},
                {"item": "一户一表", "category": "power", "owner": "residents", "cost": 1_180_000},
                {"item": "供水", "category": "water", "cost": "12,345.67"},
                {"item": "管沟", "category": "utility_civil_works", "cost": 860000.0},
                {
                    "item": "产权单位线路",
                    "category": "power",
                    "owner": "property_unit",
                    "cost": 210000,
                },
            ],
            FUJIAN,
        )
        got = {
            (i, p): a
            for i, p, a in r.table[["item", "payer", "amount_fen"]].itertuples(index=False)
        }
        assert got == {
            ("缆线规整", "telecom_operators"): 41_600_000,
            ("缆线规整", "local_finance"): 22_400_000,
            ("一户一表", "local_finance"): 59_000_000,
            ("一户一表", "power_company"): 59_000_000,
            ("供水", "water_company"): 1_234_567,
            ("管沟", "local_finance"): 86_000_000,
            ("产权单位线路", "property_unit"): 21_000_000,
        }
        assert r.by_payer() == {
            "local_finance": Decimal("1674000.00"),
            "power_company": Decimal("590000.00"),
            "telecom_operators": Decimal("416000.00"),
            "property_unit": Decimal("210000.00"),
            "water_company": Decimal("12345.67"),
        }

    def test_odd_fen_goes_by_largest_remainder(self):
        """100.01 yuan of telecom: 6500.65 / 3500.35 fen → the spare fen to the 65% payer."""
        r = split_costs([{"item": "x", "category": "telecom_cabling", "cost": "100.01"}], FUJIAN)
        assert r.table["amount_fen"].tolist() == [6501, 3500]

    def test_tie_goes_to_payer_listed_first(self):
        """3 fen split 50/50: 1.5 each, the tie goes to local_finance, listed first in the rule."""
        r = split_costs(
            [{"item": "x", "category": "power", "owner": "residents", "cost": "0.03"}], FUJIAN
        )
        assert r.table[["payer", "amount_fen"]].values.tolist() == [
            ["local_finance", 2],
            ["power_company", 1],
        ]

    def test_each_item_sums_to_its_cost(self):
        """Payer amounts of each item add up exactly to the item's cost."""
        items = pd.DataFrame(
            {
                "item": [f"i{k}" for k in range(50)],
                "category": ["telecom_cabling", "power"] * 25,
                "owner": ["any", "residents"] * 25,
                "cost": [f"{k * 1234.57 + 0.01:.2f}" for k in range(50)],
            }
        )
        r = split_costs(items, FUJIAN)
        sums = r.table.groupby("item", sort=False)["amount_fen"].sum()
        expected = [round(float(c) * 100) for c in items["cost"]]
        assert sums.tolist() == expected

    def test_owner_falls_back_to_any(self):
        """An owner with no specific rule uses the category's 'any' rule."""
        r = split_costs(
            [{"item": "x", "category": "water", "owner": "residents", "cost": 1}], FUJIAN
        )
        assert r.table["rule"].tolist() == ["fj.water"]

    def test_unmatched_item_names_item_and_jurisdiction(self):
        """Drainage has no Fujian split: the error names the item and 福建省 (fujian)."""
        with pytest.raises(InputError, match=r"item '雨污分流'.*福建省 \(fujian\).*'drainage'"):
            split_costs([{"item": "雨污分流", "category": "drainage", "cost": 100}], FUJIAN)

    def test_fallback_payer_flags_rows(self):
        """With a fallback payer the unmatched item goes to it and is flagged."""
        r = split_costs(
            [{"item": "雨污分流", "category": "drainage", "cost": 100}],
            FUJIAN,
            fallback="local_finance",
        )
        row = r.table.iloc[0]
        assert (row["payer"], row["amount_fen"], bool(row["fallback"])) == (
            "local_finance",
            10000,
            True,
        )

    def test_unknown_fallback_payer(self):
        """The fallback payer must be declared."""
        with pytest.raises(InputError, match="unknown fallback payer"):
            split_costs(
                [{"item": "x", "category": "drainage", "cost": 1}], FUJIAN, fallback="aliens"
            )

    def test_bad_cost_names_item_and_field(self):
        """A cost that is not a number names the item and the field."""
        with pytest.raises(InputError, match=r"item 1 \(x\).*'cost'.*'abc'"):
            split_costs([{"item": "x", "category": "water", "cost": "abc"}], FUJIAN)

    def test_takes_the_rules_of_the_date_given(self):
        """split_costs uses the RuleSet it is given; it loads no rules itself."""
        assert split_costs([{"item": "x", "category": "gas", "cost": 5}], FUJIAN).by_payer() == {
            "gas_company": Decimal("5.00")
        }
        with pytest.raises(TypeError, match="RuleSet"):
            split_costs([{"item": "x", "category": "gas", "cost": 5}], "fujian")  # type: ignore[arg-type]
