"""Build the input-side corpus (tests/test_bad_corpus_inputs.py): one plan folder per case.

Classes (issue #16 items 2, 4, 7): characters XML cannot hold, in the plan (YAML line)
and in data (file, row, column); growth and change targets beyond sane bounds; formats
named right (Strict Open XML, UTF-32, pipes and devices matched by a glob). Every file is
written here (control characters and damaged workbooks are not committed); run
``python tests/data/make_bad_corpus_inputs.py OUT`` to write every case into OUT.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

PLAN = Path(__file__).parent / "bad" / "reading" / "plan.yaml"  # the reading corpus's plan
GOOD_CSV = ("indicator_id,region,year,value\npreschool_ger,,2020,88.2\n"
            "preschool_ger,,2021,89.6\npreschool_ger,,2022,90.5\n")


def _plan(folder: Path, line: int | None = None, text: str | None = None) -> None:
    """The shared plan, with one line (1-based) replaced."""
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    if line is not None and text is not None:
        lines[line - 1] = text
    (folder / "plan.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _csv(folder: Path, text: str = GOOD_CSV, name: str = "data.csv",
         encoding: str = "utf-8") -> None:
    (folder / name).write_bytes(text.encode(encoding, errors="surrogatepass"))


# --- characters XML cannot hold: plan
def _plan_char(line: int, text: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        _plan(folder, line, text)
        _csv(folder)
    return build


# --- characters XML cannot hold: data
def _data_cell(region: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        _plan(folder)
        _csv(folder, GOOD_CSV.replace("preschool_ger,,2021", f"preschool_ger,{region},2021"))
    return build


def data_note_form_feed(folder: Path) -> None:
    _plan(folder)
    _csv(folder, "indicator_id,year,value,note\npreschool_ger,2020,88.2,\n"
                 "preschool_ger,2021,89.6,初步\x0c数\n")


def data_header_control(folder: Path) -> None:
    _plan(folder)
    _csv(folder, "indicator_id,year,value,备\x07注\npreschool_ger,2020,88.2,\n")


def data_gb18030_escape(folder: Path) -> None:
    _plan(folder)
    _csv(folder, "indicator_id,region,year,value\npreschool_ger,东城\x1b区,2020,88.2\n",
         encoding="gb18030")


def xlsx_raw_control(folder: Path) -> None:
    """A worksheet whose XML holds a raw control character (a broken exporter)."""
    _plan(folder)
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["indicator_id", "region", "year", "value"])
    ws.append(["preschool_ger", "PLACEHOLDER", 2020, 88.2])
    plain = folder / "plain.xlsx"
    wb.save(plain)
    _rewrite(plain, folder / "data.xlsx",
             lambda xml: xml.replace(b'<c r="B2" t="inlineStr"><is><t>PLACEHOLDER</t></is>',
                                     b'<c r="B2" t="inlineStr"><is><t>A\x0bB</t></is>'))
    plain.unlink()


# --- targets beyond sane bounds
def _target(text: str) -> Callable[[Path], None]:
    def build(folder: Path) -> None:
        _plan(folder, 16, f"    target: {text}")
        _csv(folder)
    return build


# --- formats
def strict_ooxml(folder: Path) -> None:
    """A workbook as Excel writes "Strict Open XML Spreadsheet": the Strict namespaces."""
    _plan(folder)
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator_id", "year", "value"])
    ws.append(["preschool_ger", 2020, 88.2])
    plain = folder / "plain.xlsx"
    wb.save(plain)
    _rewrite(plain, folder / "严格.xlsx", lambda xml: xml.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"))
    plain.unlink()


def utf32_csv(folder: Path) -> None:
    _plan(folder)
    _csv(folder, GOOD_CSV.replace("indicator_id", "指标代码"), encoding="utf-32")


def utf32_damaged(folder: Path) -> None:
    _plan(folder)
    data = GOOD_CSV.encode("utf-32")
    (folder / "data.csv").write_bytes(data[:40] + b"\x00\x00\x11\x00" + data[44:])


def fifo_matched(folder: Path) -> None:
    _plan(folder)
    _csv(folder)
    os.mkfifo(folder / "管道.csv")


def device_link_matched(folder: Path) -> None:
    _plan(folder)
    _csv(folder)
    (folder / "zero.csv").symlink_to("/dev/zero")


def _rewrite(src: Path, dst: Path, change: Callable[[bytes], bytes]) -> None:
    """Copy a workbook, passing every XML member through ``change``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename.endswith(".xml") else data)


BUILDERS: dict[str, Callable[[Path], None]] = {
    "plan_name_form_feed": _plan_char(12, '    name_zh: "学前\\f教育"'),
    "plan_name_nul": _plan_char(12, '    name_zh: "学前\\0教育"'),
    "plan_name_lone_surrogate": _plan_char(12, '    name_zh: "学前\\ud800教育"'),
    "plan_name_fffe": _plan_char(12, '    name_zh: "学前\\uFFFE教育"'),
    "plan_unit_vertical_tab": _plan_char(26, '    unit: "个\\v"'),
    "plan_title_escape": _plan_char(5, '  title_zh: "规划\\e"'),
    "plan_raw_control": _plan_char(18, "    name_zh: 学生\x0c体质"),
    "data_region_form_feed": _data_cell("东城\x0c区"),
    "data_region_fffe": _data_cell("东城\ufffe"),
    "data_region_ffff": _data_cell("\uffff"),
    "data_region_nul": _data_cell("东\x00城"),
    "data_note_form_feed": data_note_form_feed,
    "data_header_control": data_header_control,
    "data_gb18030_escape": data_gb18030_escape,
    "xlsx_raw_control": xlsx_raw_control,
    "growth_1e99": _target("{kind: average_growth, value: 1e99}"),
    "growth_minus_100": _target("{kind: average_growth, value: -100}"),
    "growth_2000_percent": _target("{kind: average_growth, value: 2000}"),
    "annual_change_1e20": _target("{kind: annual_change, value: -1e20}"),
    "level_1e300": _target("{kind: level_at_least, value: 1e300}"),
    "strict_ooxml": strict_ooxml,
    "utf32_csv": utf32_csv,
    "utf32_damaged": utf32_damaged,
    "fifo_matched": fifo_matched,
    "device_link_matched": device_link_matched,
}


def build(case: str, folder: Path) -> None:
    """Write the files of ``case`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    BUILDERS[case](folder)


def main(out: Path) -> None:
    for case in BUILDERS:
        build(case, out / case)
    print(f"{len(BUILDERS)} cases written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus_inputs"))
