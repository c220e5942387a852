"""Household level: rosters, contribution sheets, fairness, elevators and owners' votes."""
