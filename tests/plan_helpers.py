"""A small plan built in code for tests: one place for the plan header the tests share."""

import yaml

from planlib.inputs.plan import Plan, parse_plan


def make_plan(*indicators: dict, baseline: int = 2020, target: int = 2025, as_of: int = 2023,
              **top: object) -> Plan:
    """A plan "t" with these indicators (name_zh defaults to the id, direction to increase)
    and any further top-level keys (e.g. status_cutoffs)."""
    doc = {
        "plan": {"id": "t", "title_zh": "测试", "baseline_year": baseline,
                 "target_year": target, "as_of": as_of},
        **top,
        "indicators": [
            {"name_zh": i.get("id", "x"), "direction": "increase", **i} for i in indicators
        ],
    }
    return parse_plan(yaml.safe_dump(doc, allow_unicode=True))
