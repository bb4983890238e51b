"""Write the large or binary cases of the bad-input corpus (tests/data/bad/safety/).

These are never committed: each is a few lines of code here and is made fresh by the
tests (tests/outputs/test_bad_corpus_safety.py) in a temporary folder. Run by hand to look at
them:  python tests/data/make_bad_corpus_safety.py /tmp/bad
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

BAD = Path(__file__).resolve().parent / "bad" / "safety"
GOOD_PLAN = (BAD / "plan_good.yaml").read_text(encoding="utf-8")
ROWS = (("rate", 2020, 50), ("rate", 2021, 52), ("rate", 2022, 54))


def _plan_with(old: str, new: str) -> str:
    assert old in GOOD_PLAN, old
    return GOOD_PLAN.replace(old, new, 1)


def plan_5000_digit_int(folder: Path) -> Path:
    """A target value 5,000 digits long (Python converts at most 4,300)."""
    return _write(folder / "plan.yaml", _plan_with("value: 60", "value: 1" + "0" * 4999))


def plan_5000_digit_year(folder: Path) -> Path:
    """A baseline year 5,000 digits long."""
    return _write(folder / "plan.yaml",
                  _plan_with("baseline_year: 2020", "baseline_year: 2" + "0" * 4999))


def plan_5000_digit_tagged_int(folder: Path) -> Path:
    """A note tagged !!int with 5,000 digits (the tag forces the conversion)."""
    return _write(folder / "plan.yaml",
                  _plan_with("    name_zh: 比率\n", "    name_zh: 比率\n    note: !!int 9"
                             + "9" * 4999 + "\n"))


def plan_deep_flow_nesting(folder: Path) -> Path:
    """A note nested 5,000 brackets deep ([[[[...]]]])."""
    return _write(folder / "plan.yaml",
                  _plan_with("    name_zh: 比率\n", "    name_zh: 比率\n    note: "
                             + "[" * 5000 + "]" * 5000 + "\n"))


def plan_deep_block_nesting(folder: Path) -> Path:
    """A note nested 200 levels deep by indentation."""
    lines = "".join(" " * (6 + 2 * i) + f"k{i}:\n" for i in range(200))
    return _write(folder / "plan.yaml",
                  _plan_with("    name_zh: 比率\n", "    name_zh: 比率\n    note:\n" + lines))


def plan_huge_file(folder: Path) -> Path:
    """A plan file over 10 MB (a data file given as --plan, say)."""
    return _write(folder / "plan.yaml", GOOD_PLAN + ("# padding\n" * 1_100_000))


#: What a payload sets when it runs: the tests look for this attribute in the browser's DOM.
MARKER = "data-pwned"
#: Text that would run or fetch if a page or a Markdown viewer took it as markup.
PAYLOADS = (
    f"<img src=x onerror=\"document.body.setAttribute('{MARKER}','img')\">",
    f"<script>document.body.setAttribute('{MARKER}','script')</script>",
    f"<svg onload=\"document.body.setAttribute('{MARKER}','svg')\"></svg>",
    "![remote](http://198.51.100.7/fetched.png)",
    "[click](javascript:alert(1)) **bold** _it_ `code` | pipe",
)
#: Regions whose file names collide once slugged (or on a case-insensitive drive), one
#: too long for a file name, and the payloads.
HOSTILE_REGIONS = ("A区/1", "A区_1", "？？", "！！", "a", "A", "区" * 120, *PAYLOADS)


def plan_hostile_names(folder: Path) -> Path:
    """The plan's title and the rate's names are payloads; data for every hostile region
    (a long table with a region column)."""
    text = _plan_with("title_zh: 测试", f"title_zh: {_yaml(PAYLOADS[0] + PAYLOADS[3])}")
    text = text.replace("    name_zh: 比率\n", f"    name_zh: {_yaml(PAYLOADS[0])}\n"
                        f"    name_en: {_yaml(PAYLOADS[3] + ' ' + PAYLOADS[1])}\n", 1)
    _write(folder / "plan.yaml", text)
    rows = ["indicator_id,region,year,value"]
    for i, region in enumerate(HOSTILE_REGIONS):
        cell = '"' + region.replace('"', '""') + '"'
        rows += [f"rate,{cell},{year},{value + i % 5}" for _, year, value in ROWS]
    return _write(folder / "data_regions.csv", "\n".join(rows) + "\n")


def _yaml(text: str) -> str:
    """``text`` as a double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _book(path: Path, extra: Callable[[object], None] | None = None) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append(["indicator_id", "year", "value"])
    for row in ROWS:
        sheet.append(list(row))
    if extra is not None:
        extra(sheet)
    workbook.save(path)
    return path


def xlsx_stray_value_at_xfd1048576(folder: Path) -> Path:
    """A 5 KB workbook with one stray value in the last cell Excel has."""
    return _book(folder / "data.xlsx", lambda s: s.__setitem__("XFD1048576", "x"))


def xlsx_stray_formatted_cell(folder: Path) -> Path:
    """One formatted but empty cell at XFD1048576: the sheet claims A1:XFD1048576."""
    def bold(sheet: object) -> None:
        sheet["XFD1048576"].font = Font(bold=True)
    return _book(folder / "data.xlsx", bold)


def xlsx_stray_formula_without_result(folder: Path) -> Path:
    """A formula without a saved result at XFD1048576."""
    return _book(folder / "data.xlsx", lambda s: s.__setitem__("XFD1048576", "=1+1"))


def xlsx_wide_stray_value(folder: Path) -> Path:
    """A value in column 2,000 of row 2 (beyond the 1,000 columns read)."""
    return _book(folder / "data.xlsx", lambda s: s.cell(2, 2000, "备注"))


def xlsx_merged_to_the_end(folder: Path) -> Path:
    """A merged range from D10 to the last cell of the sheet (17 billion cells that
    openpyxl would create one by one), written into the XML directly."""
    path = _book(folder / "data.xlsx")
    merge = b'<mergeCells count="1"><mergeCell ref="D10:XFD1048576"/></mergeCells>'
    return _rewrite(path, "xl/worksheets/sheet1.xml",
                    lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + merge))


def xlsx_dimension_lies(folder: Path) -> Path:
    """A small sheet whose <dimension> claims A1:XFD1048576."""
    path = _book(folder / "data.xlsx")
    return _rewrite(path, "xl/worksheets/sheet1.xml",
                    lambda xml: xml.replace(b'<dimension ref="A1:C4"/>',
                                            b'<dimension ref="A1:XFD1048576"/>'))


def xlsx_zip_bomb(folder: Path) -> Path:
    """A workbook of ~100 KB whose sheet unpacks to 70 MB (blank padding in the XML)."""
    path = _book(folder / "data.xlsx")
    return _rewrite(path, "xl/worksheets/sheet1.xml",
                    lambda xml: xml.replace(b"<sheetData>", b"<sheetData>" + b" " * 70_000_000))


def xlsx_truncated(folder: Path) -> Path:
    """A workbook cut off half-way (a failed download)."""
    path = _book(folder / "data.xlsx")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def csv_binary_garbage(folder: Path) -> Path:
    """A PNG saved with a .csv name."""
    return _write_bytes(folder / "data.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


def csv_300_mb(folder: Path) -> Path:
    """A CSV of 300 MB (sparse on disk: a header, then a hole the file system fills with
    zero bytes), past the 256 MB read."""
    path = _write(folder / "data.csv", "indicator_id,year,value\nrate,2020,50\n")
    with path.open("r+b") as handle:
        handle.truncate(300_000_000)
    return path


def xls_old_format(folder: Path) -> Path:
    """An old .xls workbook (the OLE2 signature)."""
    return _write_bytes(folder / "data.xls", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504)


def _rewrite(path: Path, member: str, change: Callable[[bytes], bytes]) -> Path:
    """Rewrite one member of a zip file."""
    with zipfile.ZipFile(path) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    members[member] = change(members[member])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


#: Every generated case by name; each writes its file into a plan folder and returns it.
GENERATED: dict[str, Callable[[Path], Path]] = {
    f.__name__: f for f in (
        plan_5000_digit_int, plan_5000_digit_year, plan_5000_digit_tagged_int,
        plan_deep_flow_nesting, plan_hostile_names,
        plan_deep_block_nesting, plan_huge_file, xlsx_stray_value_at_xfd1048576,
        xlsx_stray_formatted_cell, xlsx_stray_formula_without_result, xlsx_wide_stray_value,
        xlsx_merged_to_the_end, xlsx_dimension_lies, xlsx_zip_bomb, xlsx_truncated,
        csv_binary_garbage, csv_300_mb, xls_old_format,
    )
}


def main(out: Path) -> None:
    """Write every generated case into ``out/<case>/``."""
    for name, make in GENERATED.items():
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        print(make(folder))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "bad_corpus_safety"))
