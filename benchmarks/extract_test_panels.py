"""Extract the calibration test panels from a copy of github.com/owid/owid-datasets.

Run once, by hand: ``python benchmarks/extract_test_panels.py OWID_GIT_DIR``, where
OWID_GIT_DIR is a clone (or bare mirror) of owid/owid-datasets at COMMIT. Writes the three
CSV files listed in PANELS to benchmarks/data/ in planlib's long layout
(`indicator_id, region, year, value, source`), without OWID's regional aggregates.
Sources and licences: benchmarks/data/README.md.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pandas as pd

COMMIT = "48c9992ae317b35ed327fc36d2af75fe8b3ef7ed"
OUT = Path(__file__).resolve().parent / "data"
#: OWID entities that are WHO regions or the world, not countries.
AGGREGATES = {"Africa", "Americas", "Europe", "South-East Asia", "Western Pacific",
              "Eastern Mediterranean", "World"}
#: file name -> (OWID dataset folder, column, indicator id, source words)
PANELS = {
    "expected_years_schooling.csv": (
        "Expected Years of Schooling - UNDP (2018)", "Expected Years of Schooling (years)",
        "expected_years_schooling", "UNDP HDR 2018 via OWID owid-datasets"),
    "education_share_gov_expenditure.csv": (
        "World Bank! Education Dataset - World Bank (2015)",
        "Share of education in government expenditure (World Bank (2015))",
        "education_share_gov_expenditure_pct",
        "World Bank (UNESCO UIS) 2015 via OWID owid-datasets"),
    "dtp3_coverage.csv": (
        "Vaccine Coverage and Disease Burden - WHO (2017)",
        "DTP3 immunization coverage among 1-year-olds (WHO 2017)",
        "dtp3_coverage_pct", "WHO GHO 2017 via OWID owid-datasets"),
}


def read_owid(git_dir: Path, folder: str) -> pd.DataFrame:
    """One OWID dataset's CSV at COMMIT."""
    ref = f"{COMMIT}:datasets/{folder}/{folder}.csv"
    blob = subprocess.run(["git", "-C", str(git_dir), "show", ref],
                          check=True, capture_output=True).stdout
    return pd.read_csv(io.BytesIO(blob))


def extract(git_dir: Path) -> None:
    """Write every panel of PANELS to OUT."""
    for name, (folder, column, ind, source) in PANELS.items():
        frame = read_owid(git_dir, folder)
        frame = frame[~frame["Entity"].isin(AGGREGATES)].dropna(subset=[column])
        out = pd.DataFrame({"indicator_id": ind, "region": frame["Entity"],
                            "year": frame["Year"].astype(int),
                            "value": frame[column].astype(float).round(5), "source": source})
        out = out.sort_values(["region", "year"])
        out.to_csv(OUT / name, index=False, lineterminator="\n")
        print(f"{name}: {out['region'].nunique()} regions, {len(out)} values")


if __name__ == "__main__":
    extract(Path(sys.argv[1]))
