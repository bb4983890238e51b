"""The backtest benchmark's peers: statsforecast's Auto* models give nested, bounded
intervals on a real series, and optional peers are skipped when their package is missing."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
NATIONAL = ROOT / "data" / "raw" / "cn_education_14th" / "observations.csv"


@pytest.fixture(scope="module")
def backtest():
    spec = importlib.util.spec_from_file_location("backtest", ROOT / "benchmarks" / "backtest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["backtest"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules["backtest"]


def test_optional_peers_are_skipped_when_their_package_is_missing(backtest, monkeypatch, capsys):
    for lib, (_, names) in list(backtest.OPTIONAL.items()):
        monkeypatch.setitem(backtest.OPTIONAL, lib, (lambda: False, names))
    assert backtest.choose_peers(False) == ("theta", "ets_damped")
    assert "statsforecast not installed: skipped" in capsys.readouterr().out
    for lib, (_, names) in list(backtest.OPTIONAL.items()):
        monkeypatch.setitem(backtest.OPTIONAL, lib, (lambda: True, names))
    assert backtest.choose_peers(False) == backtest.PEERS
    assert {"autoets", "autotheta", "autoarima"} <= set(backtest.PEERS)
    assert backtest.choose_peers(True) == ()


@pytest.mark.parametrize("peer", ["autoets", "autotheta", "autoarima"])
def test_statsforecast_peers_give_nested_bounded_intervals(backtest, peer):
    pytest.importorskip("statsforecast")
    frame = pd.read_csv(NATIONAL)
    count = frame[(frame.indicator_id == "kindergarten_enrolment") & (frame.year <= 2018)]
    years, values = count["year"].to_numpy(), count["value"].to_numpy(float)
    q = backtest.run_method(peer, years, values, (0.0, None))[0]
    assert all(len(v) == backtest.MAX_H for v in q.values())
    assert (q["lo95"] <= q["lo80"]).all() and (q["lo80"] < q["hi80"]).all()
    assert (q["hi80"] <= q["hi95"]).all()
    inside = (q["lo80"] <= q["median"]) & (q["median"] <= q["hi80"])
    # AutoTheta's simulated intervals drift away from its point forecast: on this series
    # the 5-year median lies above its own 80 % interval (one reason its coverage is low).
    assert inside.all() == (peer != "autotheta")
    assert (q["lo95"] >= 0).all()
    width = q["hi80"] - q["lo80"]
    assert width[-1] > width[0] > 0
    assert abs(q["median"][0] - values[-1]) < 3 * np.abs(np.diff(values)).max()


def test_autoets_refuses_short_windows_which_the_backtest_counts(backtest):
    pytest.importorskip("statsforecast")
    years = np.arange(2009, 2014)
    with pytest.raises(NotImplementedError):
        backtest.run_method("autoets", years, np.linspace(50, 60, 5), (0.0, 100.0))
