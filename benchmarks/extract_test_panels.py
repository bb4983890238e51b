"""Extract the calibration test panels from copies of two public data repositories.

Run once, by hand::

    python benchmarks/extract_test_panels.py OWID_GIT_DIR EDSTATS_GIT_DIR

where OWID_GIT_DIR is a clone (or bare mirror) of github.com/owid/owid-datasets and
EDSTATS_GIT_DIR one of github.com/open-numbers/ddf--wb--edu (World Bank EdStats as
republished by Gapminder's open-numbers), each holding the commit named in SOURCES. Writes the
CSV files listed in PANELS to benchmarks/data/ in planlib's long layout
(`indicator_id, region, year, value, source`), without regional and income aggregates.
Sources and licences: benchmarks/data/README.md.
"""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent / "data"
#: repository -> the commit every panel of it is read at
SOURCES = {
    "owid": "48c9992ae317b35ed327fc36d2af75fe8b3ef7ed",  # owid/owid-datasets
    "edstats": "d9aad9390e692c63b13072928f85d673acd63e49",  # open-numbers/ddf--wb--edu
}
#: OWID entities that are WHO regions or the world, not countries.
OWID_AGGREGATES = {"Africa", "Americas", "Europe", "South-East Asia", "Western Pacific",
                   "Eastern Mediterranean", "World"}
#: EdStats codes that are World Bank regional, income or lending groups, not economies (the
#: first 26 rows of ddf--entities--country.csv); codes absent from that file are groups too.
EDSTATS_AGGREGATES = {"arb", "eas", "eap", "emu", "ecs", "eca", "euu", "hpc", "hic", "lcn",
                      "lac", "ldc", "lmy", "lic", "lmc", "mea", "mna", "mic", "nac", "oed",
                      "sas", "ssf", "ssa", "umc", "wld"}


@dataclass(frozen=True)
class Panel:
    """One test panel: where it is read from and how it is labelled."""

    repo: str  # a key of SOURCES
    path: str  # file inside the repository
    column: str  # value column
    region: str  # column naming the country
    indicator: str
    source: str


PANELS = {
    "expected_years_schooling.csv": Panel(
        "owid", "datasets/Expected Years of Schooling - UNDP (2018)/"
        "Expected Years of Schooling - UNDP (2018).csv",
        "Expected Years of Schooling (years)", "Entity",
        "expected_years_schooling", "UNDP HDR 2018 via OWID owid-datasets"),
    "education_share_gov_expenditure.csv": Panel(
        "owid", "datasets/World Bank! Education Dataset - World Bank (2015)/"
        "World Bank! Education Dataset - World Bank (2015).csv",
        "Share of education in government expenditure (World Bank (2015))", "Entity",
        "education_share_gov_expenditure_pct",
        "World Bank (UNESCO UIS) 2015 via OWID owid-datasets"),
    "preprimary_ger.csv": Panel(
        "edstats", "ddf--datapoints--se_pre_enrr--by--country--year.csv",
        "se_pre_enrr", "country", "preprimary_ger_pct",
        "World Bank EdStats SE.PRE.ENRR (UNESCO UIS) via open-numbers ddf--wb--edu"),
}


def read_blob(git_dir: Path, commit: str, path: str) -> pd.DataFrame:
    """One CSV file of a repository at a commit."""
    blob = subprocess.run(["git", "-C", str(git_dir), "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout
    return pd.read_csv(io.BytesIO(blob))


def countries(panel: Panel, git_dir: Path, frame: pd.DataFrame) -> pd.Series:
    """Whether each row of `frame` is a country (not a region, income group or the world)."""
    names = frame[panel.region]
    if panel.repo == "owid":
        return ~names.isin(OWID_AGGREGATES)
    known = read_blob(git_dir, SOURCES["edstats"], "ddf--entities--country.csv")["country"]
    return names.isin(set(known) - EDSTATS_AGGREGATES)


def region_name(panel: Panel, names: pd.Series) -> pd.Series:
    """OWID's country names as they are; EdStats codes as ISO 3166 alpha-3 (upper case)."""
    return names if panel.repo == "owid" else names.str.upper()


def extract(dirs: dict[str, Path]) -> None:
    """Write every panel of PANELS to OUT."""
    for name, panel in PANELS.items():
        frame = read_blob(dirs[panel.repo], SOURCES[panel.repo], panel.path)
        frame = frame[countries(panel, dirs[panel.repo], frame)].dropna(subset=[panel.column])
        out = pd.DataFrame({"indicator_id": panel.indicator,
                            "region": region_name(panel, frame[panel.region]),
                            "year": frame["year" if "year" in frame else "Year"].astype(int),
                            "value": frame[panel.column].astype(float).round(5),
                            "source": panel.source})
        out = out.sort_values(["region", "year"])
        out.to_csv(OUT / name, index=False, lineterminator="\n")
        print(f"{name}: {out['region'].nunique()} regions, {len(out)} values, "
              f"{out['year'].min()}-{out['year'].max()}")


if __name__ == "__main__":
    extract({"owid": Path(sys.argv[1]), "edstats": Path(sys.argv[2])})
