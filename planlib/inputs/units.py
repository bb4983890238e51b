"""A data file's unit (单位 column) against the plan's unit: convert, or refuse.

A file saying 万个 where the plan counts 个 holds values 10,000 times too small; read as
they are, the progress would be silently wrong. Units that differ only by a Chinese
magnitude prefix (十 百 千 万 十万 百万 千万 亿) are converted; units that differ otherwise
(万人 against %) are refused when both are units this module knows (percent, persons,
count classifiers, years, yuan); free text it does not know ("places per 1,000
population") is left alone. A unit in brackets ("10k places (万个)") is the one used.
"""

from __future__ import annotations

import re
import unicodedata

_PREFIXES: dict[str, float] = {
    "十": 1e1, "百": 1e2, "千": 1e3, "万": 1e4, "十万": 1e5, "百万": 1e6, "千万": 1e7,
    "亿": 1e8, "十亿": 1e9, "百亿": 1e10, "千亿": 1e11, "万亿": 1e12,
}
#: Spellings of one unit (after NFKC and lower case).
_SYNONYMS: dict[str, str] = {
    "%": "%", "百分比": "%", "百分点": "%", "percent": "%", "pct": "%", "per cent": "%",
    "名": "人", "人": "人", "persons": "人", "people": "人",
    "years": "年", "year": "年", "yuan": "元",
}
_SPACES = re.compile(r"\s+")
#: Chinese count classifiers; 个 is the general one and may stand for any of them.
_CLASSIFIERS = frozenset("个所座家位处项套间张台辆户园校班")
_KNOWN = _CLASSIFIERS | {"%", "人", "年", "岁", "元"}
_BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]")


def _normal(unit: str | None) -> str:
    """A unit as compared: NFKC, lower case, no spaces, synonyms merged; "" for none."""
    if unit is None or unit != unit:  # None or NaN
        return ""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(unit)).lower())
    text = text.removeprefix("单位:").removeprefix("单位")
    inner = _BRACKETED.search(text)
    if inner and _split(_SYNONYMS.get(inner.group(1), inner.group(1)))[0] in _KNOWN:
        text = inner.group(1)
    return _SYNONYMS.get(text, text)


def _split(unit: str) -> tuple[str, float]:
    """("人", 1e4) for 万人: the base unit and the magnitude of the prefix."""
    if unit in _SYNONYMS.values():
        return unit, 1.0
    for prefix in sorted(_PREFIXES, key=len, reverse=True):
        base = unit.removeprefix(prefix)
        if base != unit and base:
            return _SYNONYMS.get(base, base), _PREFIXES[prefix]
    return unit, 1.0


def unit_factor(file_unit: str | None, plan_unit: str | None) -> float | None:
    """What to multiply a value in ``file_unit`` by to get ``plan_unit``.

    1.0 when either is missing, they agree, or one is text this module does not know;
    None when both are known units that cannot be converted (万人 against %).
    """
    have, want = _normal(file_unit), _normal(plan_unit)
    if not have or not want or have == want:
        return 1.0
    (have_base, have_scale), (want_base, want_scale) = _split(have), _split(want)
    if have_base == want_base or _same_count(have_base, want_base):
        return have_scale / want_scale
    return None if {have_base, want_base} <= _KNOWN else 1.0


#: A ratio to one: 教师=1 (pupils per teacher), 学生:教师=x:1, 以教师为1.
_RATIO = re.compile(r"(?:[=:]\s*1|以.+为1)$")


def is_ratio(unit: str | None) -> bool:
    """True for a unit saying the value is a ratio to one (教师=1): shown as "17.0:1"."""
    return bool(_RATIO.search(_normal(unit)))


def is_percent(unit: str | None) -> bool:
    """True for a unit meaning percent (%, ％, 百分比)."""
    return _normal(unit) == "%"


def _same_count(a: str, b: str) -> bool:
    """个 (the general classifier) against another count classifier (所, 座…)."""
    return {a, b} <= _CLASSIFIERS and "个" in (a, b)


#: English units that count things (a whole unit, not "places per 1,000 population").
_COUNT_WORDS = frozenset({"places", "persons", "people", "schools", "children", "pupils",
                          "students", "teachers", "kindergartens", "classes"})


def is_count(unit: str | None) -> bool:
    """True for a unit counting things (个, 所, 人, 万人, places): the parts' values add up
    to the whole's. A ratio (%, 人/千人, places per 1,000) or a level (年, 元) does not."""
    base, _ = _split(_normal(unit))
    return base in _CLASSIFIERS or base == "人" or base in _COUNT_WORDS
