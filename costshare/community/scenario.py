"""Community scenarios: work items and funding of one community, balanced to the fen.

A scenario is a YAML file (see ``scenarios/``) validated by :class:`Scenario`. Running it
is running a portfolio of one: the scenario becomes a
:class:`~costshare.community.template.Template` and the one community engine
(:func:`costshare.community.engine.run_group`) computes the rule split of utility items
(enterprises then pay their share themselves), the funding plan, the residents' money
and any maintenance-fund top-up; the result is a sources-and-uses table with an explicit
gap or surplus line.
"""

from __future__ import annotations

import numpy as np

from costshare.community.engine import GroupResult, Rows, run_group
from costshare.community.model import (
    CHANNELS,
    POOLED,
    Community,
    Funding,
    FundTopup,
    OtherSource,
    Residents,
    ScenarioModel,
    WorkItem,
)
from costshare.community.scenario_result import ScenarioResult
from costshare.community.split import SplitResult
from costshare.community.template import template_from_scenario
from costshare.rules import RuleSet
from costshare.rules import load as load_rules

__all__ = [
    "CHANNELS",
    "POOLED",
    "Community",
    "FundTopup",
    "Funding",
    "OtherSource",
    "Residents",
    "Scenario",
    "ScenarioResult",
    "WorkItem",
    "default_scenario_path",
    "result_from_group",
]


class Scenario(ScenarioModel):
    """One community's renovation: work items, funding plan, assumptions and sources.

    Examples
    --------
    >>> s = Scenario.from_yaml(default_scenario_path())
    >>> r = s.run()
    >>> r.uses_fen == r.sources_fen + r.gap_fen
    True
    """

    def rules(self) -> RuleSet:
        """The jurisdiction's rules in force on ``rules_date`` (today when unset)."""
        return load_rules(self.community.jurisdiction, self.rules_date)

    def run(self, rules: RuleSet | None = None) -> ScenarioResult:
        """Split the items, set the funding plan against them, and balance to the fen.

        Parameters
        ----------
        rules : RuleSet, optional
            The rules to apply; by default those of the scenario's jurisdiction in force
            on its ``rules_date`` (loaded once here and passed down to every engine).
        """
        rs = self.rules() if rules is None else rules
        tpl = template_from_scenario(self, rs)
        group = run_group(tpl, Rows(ids=np.array([self.name], dtype=object)), file=self.name)
        return result_from_group(self, group, 0)


def result_from_group(scenario: ScenarioModel, group: GroupResult, i: int) -> ScenarioResult:
    """Row `i` of a group run as the :class:`ScenarioResult` of `scenario`.

    Examples
    --------
    >>> s = Scenario.from_yaml(default_scenario_path())
    >>> g = run_group(template_from_scenario(s, s.rules()), Rows(np.array(["x"], dtype=object)))
    >>> result_from_group(s, g, 0).gap_fen == s.run().gap_fen
    True
    """
    tpl = group.template
    table = tpl.split.assign(amount_fen=group.split[i]).reset_index(drop=True)
    cols = ["item", "category", "owner", "payer", "share", "amount_fen", "rule", "source"]
    table = table[[*cols, "fallback"]]
    notes = {**group.notes, "residents": group.residents_note[i]}
    lines = [
        {"channel": k, "line": group.labels[k], "amount_fen": int(v[i]), "note": notes[k]}
        for k, v in group.sources.items()
        if v[i] != 0
    ]
    fund = None if group.memo is None else {k: int(v[i]) for k, v in group.memo.items()}
    return ScenarioResult.build(scenario, tpl.rules, SplitResult(table, tpl.rules), lines, fund)


def default_scenario_path():
    """The bundled default scenario (a Fujian community using every utility category)."""
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent
    for cand in (
        here.parent / "scenarios" / "fujian_default.yaml",
        here / "data" / "fujian_default.yaml",
    ):
        if cand.exists():
            return cand
    msg = "the default scenario file is missing"
    raise FileNotFoundError(msg)
