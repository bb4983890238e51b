"""Numbers as a Chinese government evaluation report prints them, in zh or en.

Rates (units % and ‰) to one decimal; other quantities with thousands separators and the
decimals the published data use (a count published as whole numbers stays whole; a unit
already in 万 stays in 万); years as years; shares of the plan period in per cent to one
decimal; probabilities as printed by the evaluation (``r.p_meet_text``), in words with the
number in brackets. Nothing here computes a number: it only formats the result's numbers.
"""

from __future__ import annotations

import math

import pandas as pd

from planlib.core.result import IndicatorResult
from planlib.core.targets.registry import flow_total
from planlib.inputs.units import is_ratio

RATE_UNITS = ("%", "％", "‰")
#: Most decimals a non-rate quantity is printed with, whatever the data carry.
MAX_DECIMALS = 2
#: English renderings of the Chinese units the plans use ("" prints the bare number).
UNIT_EN: dict[str, str] = {"年": " years", "个": "", "所": " schools", "人": " persons",
                           "万人": " × 10,000 persons", "万个": " × 10,000", "所/个": ""}
#: The English unit after a count of exactly one ("1 school", not "1 schools").
UNIT_EN_ONE: dict[str, str] = {"年": " year", "所": " school", "人": " person"}


def is_rate(unit: str) -> bool:
    """True for units printed to one decimal as rates (per cent, per mille)."""
    return unit.strip() in RATE_UNITS


def _decimals_of(value: float) -> int:
    """Decimals a published value was written with (0.5 -> 1, 1234.0 -> 0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return len(text.split(".")[1]) if "." in text else 0


def decimals(result: IndicatorResult) -> int:
    """Decimals this indicator's values are printed with: one for rates, else as the
    published data are (at most MAX_DECIMALS)."""
    if is_rate(result.indicator.unit):
        return 1
    raw = pd.to_numeric(result.history.get("raw_value", pd.Series(dtype="float64")),
                        errors="coerce").dropna()
    if raw.empty:
        return 1
    return min(MAX_DECIMALS, max(_decimals_of(float(v)) for v in raw))


def number(value: float, places: int) -> str:
    """A plain number with thousands separators and ``places`` decimals ("" if missing)."""
    if value is None or math.isnan(value):
        return ""
    if round(value, places) == 0:
        value = 0.0  # never print "-0.0"
    return f"{value:,.{places}f}"


def unit_text(unit: str, lang: str, unit_en: str = "", count: str = "") -> str:
    """The unit as printed after a number in ``lang``: a ratio to one (教师=1) as ":1",
    or " pupils per teacher" in English when the plan gives ``unit_en``. ``count``: the
    number as printed before it; an English unit after "1" is singular ("1 school")."""
    unit = unit.strip()
    if lang == "en" and unit_en.strip() and not is_rate(unit):
        return f" {unit_en.strip()}"
    if is_ratio(unit):
        return ":1"
    if lang == "zh" or is_rate(unit):
        return unit
    if count == "1" and unit in UNIT_EN_ONE:
        return UNIT_EN_ONE[unit]
    return UNIT_EN.get(unit, f" {unit}" if unit else "")


def unit_label(unit: str, lang: str, unit_en: str = "") -> str:
    """The unit as a label beside a name or atop a column ("教师=1", "pupils per teacher")."""
    if is_ratio(unit) and not (lang == "en" and unit_en.strip()):
        return unit.strip()
    return unit_text(unit, lang, unit_en).strip()


def value(result: IndicatorResult, x: float, lang: str) -> str:
    """A value of the indicator with its unit: "95.0%", "11.3年" / "11.3 years"."""
    if x is None or math.isnan(x):
        return "—"
    ind = result.indicator
    printed = number(x, decimals(result))
    return printed + unit_text(ind.unit, lang, ind.unit_en, count=printed)


def bare(result: IndicatorResult, x: float) -> str:
    """A value of the indicator without its unit (table cells)."""
    return number(x, decimals(result)) if not (x is None or math.isnan(x)) else "—"


def change(result: IndicatorResult, x: float, lang: str) -> str:
    """A yearly change as words: "提高0.5个百分点" / "a rise of 0.5 percentage points"."""
    places = decimals(result)
    unit = result.indicator.unit.strip()
    size = number(abs(x), places)
    if is_rate(unit):
        amount = f"{size}个百分点" if lang == "zh" else f"{size} percentage points"
    else:
        amount = size + unit_text(unit, lang, result.indicator.unit_en, count=size)
    if flow_total(result.target_kind, result.spec.measure):
        return ("新增" + amount) if lang == "zh" else f"{amount} added"
    if lang == "zh":
        return ("提高" if x > 0 else "下降" if x < 0 else "变化") + amount
    return ("a rise of " if x > 0 else "a fall of " if x < 0 else "a change of ") + amount


def pace(result: IndicatorResult, x: float, lang: str) -> str:
    """A signed yearly pace for a table cell: "+0.5" (points or units a year)."""
    if x is None or math.isnan(x):
        return "—"
    sign = "+" if x > 0 else "-" if x < 0 else ""
    return sign + number(abs(x), decimals(result))


def share(x: float) -> str:
    """A share of the plan period or of the way to the target, in per cent: "40.0%"."""
    if x is None or math.isnan(x):
        return "—"
    return f"{x * 100:,.1f}%"


def times(x: float, lang: str) -> str:
    """A ratio of paces: "1.8倍" / "1.8 times"."""
    return f"{x:,.1f}倍" if lang == "zh" else f"{x:,.1f} times"


def year(y: int | float | None, lang: str) -> str:
    """A year as a year: "2025年" / "2025"."""
    if y is None or (isinstance(y, float) and math.isnan(y)):
        return "—"
    return f"{int(y)}年" if lang == "zh" else f"{int(y)}"


def p_words(text: str, lang: str) -> str:
    """A printed probability with its comparison in words: "< 0.01" -> "小于0.01"."""
    if lang == "zh":
        return text.replace("> ", "大于").replace("< ", "小于")
    return text.replace("> ", "above ").replace("< ", "below ")


def probability(result: IndicatorResult, lang: str) -> str:
    """P(met) in brackets after its band: "（概率0.96）" / " (probability 0.96)"; "" if none."""
    text = result.p_meet_text
    if not text:
        return ""
    if lang == "zh":
        return f"（概率{p_words(text, lang)}）"
    return f" (probability {p_words(text, lang)})"


def p_cell(result: IndicatorResult) -> str:
    """P(met) for a table cell, as the evaluation prints it ("—" when none)."""
    return result.p_meet_text or "—"
