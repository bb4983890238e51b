"""Build hook (everything else is in pyproject.toml): the shipped plans and their data
(data/raw/), the notebooks and the backtest summary travel in the wheel as package data,
under planlib/_shipped/ in the checkout's layout, so an installed planlib runs with no
checkout (planlib/config.py reads them from there). An editable install reads the
checkout itself."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

#: Checkout folders copied into the wheel, with the files of each that are shipped.
SHIPPED = {"data/raw": "**/*", "notebooks": "*.ipynb", "benchmarks/results": "backtest.md"}
HERE = Path(__file__).resolve().parent


class BuildWithShippedInputs(build_py):
    """build_py, then copy the shipped inputs into planlib/_shipped/ of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "planlib" / "_shipped"
        for folder, pattern in SHIPPED.items():
            for source in sorted((HERE / folder).glob(pattern)):
                if source.is_file():
                    copy = target / folder / source.relative_to(HERE / folder)
                    self.mkpath(str(copy.parent))
                    self.copy_file(str(source), str(copy))


setup(cmdclass={"build_py": BuildWithShippedInputs})
