"""Finish the hostile corpus's cases (tests/data/bad/hostile/<case>/) at test time.

Each case folder is committed as readable text: its plan.yaml, data files and
expect.yaml. What cannot be committed as readable text is made here, in a copy:
- a character written ``⟪U+000C⟫`` in a committed file becomes that character (a form
  feed, a NUL, a lone surrogate), and a file named in expect.yaml's ``encoding`` is
  written in that encoding (GB18030, UTF-32);
- a case whose expect.yaml says ``build: NAME`` gets the files of the builder NAME below
  (workbooks, pipes, device and dangling links, damaged bytes).
Run by hand to look at every case as the tests see it:
    python tests/data/make_bad_corpus_hostile.py /tmp/hostile
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import yaml
from openpyxl import Workbook

HOSTILE = Path(__file__).resolve().parent / "bad" / "hostile"
DATA = Path(__file__).resolve().parent
#: A character a committed file cannot show: ⟪U+000C⟫ stands for a form feed.
PLACEHOLDER = re.compile(r"⟪U\+([0-9A-F]{4,6})⟫")
#: What a payload sets when it runs: the tests look for this attribute in the browser's DOM.
MARKER = "data-pwned"
GOOD_CSV = ("indicator_id,region,year,value\npreschool_ger,,2020,88.2\n"
            "preschool_ger,,2021,89.6\npreschool_ger,,2022,90.5\n")


def expectations(case: str) -> dict:
    """The case's expect.yaml."""
    return yaml.safe_load((HOSTILE / case / "expect.yaml").read_text(encoding="utf-8"))


def cases() -> list[str]:
    """Every case folder's name."""
    return sorted(p.parent.name for p in HOSTILE.glob("*/expect.yaml"))


def materialise(case: str, folder: Path) -> Path:
    """Copy the case into ``folder`` as the tests run it (without its expect.yaml)."""
    expect = expectations(case)
    shutil.copytree(HOSTILE / case, folder, ignore=shutil.ignore_patterns("expect.yaml"))
    for source in expect.get("copy", []):  # fixtures kept elsewhere under tests/data
        shutil.copy(DATA / source, folder / Path(source).name)
    encodings = expect.get("encoding", {})
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".yaml", ".csv", ".txt"):
            text = path.read_text(encoding="utf-8")
            real = PLACEHOLDER.sub(lambda m: chr(int(m.group(1), 16)), text)
            encoding = encodings.get(path.name, "utf-8")
            if real != text or encoding != "utf-8":
                path.write_bytes(real.encode(encoding, errors="surrogatepass"))
    if "build" in expect:
        BUILDERS[expect["build"]](folder)
    return folder


# ------------------------------------------------------------------------ workbooks


def _workbook(path: Path, rows: list[list[object]], title: str = "数据") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _rewrite(path: Path, change: Callable[[str, bytes], bytes]) -> Path:
    """Rewrite a workbook's members through ``change(name, data)``."""
    with zipfile.ZipFile(path) as src:
        members = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members:
            dst.writestr(info.filename, change(info.filename, data))
    return path


_ROWS: list[list[object]] = [["indicator_id", "region", "year", "value"],
                             ["preschool_ger", "PLACEHOLDER", 2020, 88.2],
                             ["preschool_ger", "", 2021, 89.6]]


def _inline(text: bytes) -> Callable[[str, bytes], bytes]:
    """A change putting ``text`` (raw XML) into cell B2's inline string."""
    def change(name: str, data: bytes) -> bytes:
        return data.replace(b"<t>PLACEHOLDER</t>", b"<t>" + text + b"</t>") \
            if name.startswith("xl/worksheets/") else data
    return change


def xlsx_raw_control(folder: Path) -> None:
    """A worksheet whose XML holds a raw vertical tab in B2 (a broken exporter)."""
    _rewrite(_workbook(folder / "data.xlsx", _ROWS), _inline(b"A\x0bB"))


def xlsx_fffe_in_cell(folder: Path) -> None:
    """U+FFFE written raw (UTF-8 EF BF BE) into cell B2: XML 1.0 refuses it."""
    _rewrite(_workbook(folder / "data.xlsx", _ROWS), _inline("东城\ufffe".encode()))


def xlsx_encrypted(folder: Path) -> None:
    """A password-protected workbook: Excel saves it as an OLE container, .xlsx name kept."""
    (folder / "data.xlsx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 1016)


def xlsx_char_reference(folder: Path) -> None:
    """A form feed as a character reference (&#12;), which XML 1.0 refuses too, in B2
    of the second sheet."""
    _rewrite(_notes_then_data(folder / "data.xlsx"), _inline(b"East&#12;side"))


def xlsx_shared_string_control(folder: Path) -> None:
    """A raw escape character in a shared string that cells C7 and C9 use (Excel's
    usual way of storing text)."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c><c r="B{r}"><v>{2013 + r}</v></c>'
        f'<c r="C{r}" t="s"><v>{1 if r in (7, 9) else 2}</v></c><c r="D{r}"><v>{80 + r}</v>'
        f"</c></row>" for r in range(2, 10))
    header = ('<row r="1"><c r="A1" t="s"><v>3</v></c><c r="B1" t="s"><v>4</v></c>'
              '<c r="C1" t="s"><v>5</v></c><c r="D1" t="s"><v>6</v></c></row>')
    strings = ["preschool_ger", "西\x1b城", "东城", "indicator_id", "year", "region", "value"]
    _handmade_xlsx(folder / "data.xlsx", "区县", header + rows, strings)


def xlsx_escaped_form_feed(folder: Path) -> None:
    """A form feed as Excel saves it, the escape ``_x000C_``, in a shared string that
    cell B2 uses (Excel's usual way of storing text)."""
    shared_regions(folder / "data.xlsx", "东城_x000C_", "西城")


def xlsx_escaped_underscore_shared(folder: Path) -> None:
    """The text ``_x000C_`` typed in B2 as Excel saves it, in a shared string with its
    underscore escaped (``_x005F_x000C_``); B3 holds ``x005F_`` without an underscore before
    it, which is no escape: both must reach planlib as typed."""
    shared_regions(folder / "data.xlsx", "东城_x005F_x000C_", "西城x005F_")


def shared_regions(path: Path, b2: str, b3: str) -> Path:
    """A workbook laid out as Excel saves it (text in shared strings) with two rows of
    preschool_ger whose regions (B2, B3) are these stored texts (raw XML)."""
    header = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
              '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>')
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>4</v></c><c r="B{r}" t="s"><v>{3 + r}</v></c>'
        f'<c r="C{r}"><v>{2018 + r}</v></c><c r="D{r}"><v>{86 + r}</v></c></row>'
        for r in (2, 3))
    strings = ["indicator_id", "region", "year", "value", "preschool_ger", b2, b3]
    return _handmade_xlsx(path, "数据", header + rows, strings)


def xlsx_escaped_vertical_tab_inline(folder: Path) -> None:
    """A vertical tab escaped with lower-case hex (``_x000b_``) in an inline string of
    the second sheet's B2."""
    _rewrite(_notes_then_data(folder / "data.xlsx"), _inline(b"East_x000b_side"))


def xlsx_escaped_underscore_kept(folder: Path) -> None:
    """The text ``_x000C_`` typed as it is: Excel escapes its underscore (``_x005F_``),
    so it must stay that text, not become a form feed."""
    _rewrite(_workbook(folder / "data.xlsx", _ROWS), _inline(b"A_x005F_x000C_"))


def _notes_then_data(path: Path) -> Path:
    """A workbook whose first sheet is a note (说明) and whose second holds the data rows:
    the payload goes into the second sheet's B2."""
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["indicator_id", "year", "value"])
    book.active.append(["preschool_ger", 2019, 87.0])
    data = book.create_sheet("数据")
    for row in _ROWS:
        data.append(row)
    book.save(path)
    return path


def _handmade_xlsx(path: Path, sheet: str, rows: str, strings: list[str]) -> Path:
    """A minimal workbook written part by part, as Excel lays it out (shared strings)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="'
            'application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="'
            'xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="'
            'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
            f"<sheetData>{rows}</sheetData></worksheet>"),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text.encode("utf-8"))
    return path


def strict_ooxml(folder: Path) -> None:
    """A workbook as Excel writes "Strict Open XML Spreadsheet": the Strict namespaces."""
    path = _workbook(folder / "严格.xlsx", [["indicator_id", "year", "value"],
                                            ["preschool_ger", 2020, 88.2]])
    _rewrite(path, lambda name, data: data.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main") if name.endswith(".xml") else data)


def xlsx_named_csv(folder: Path) -> None:
    """A workbook saved under a .csv name."""
    _workbook(folder / "data.csv", [["indicator_id", "year", "value"],
                                    ["preschool_ger", 2020, 88.2]])


# ------------------------------------------------------------------ bytes and links


def utf32_damaged(folder: Path) -> None:
    """A UTF-32 CSV with one code unit past U+10FFFF at byte 40."""
    data = GOOD_CSV.encode("utf-32")
    (folder / "data.csv").write_bytes(data[:40] + b"\x00\x00\x11\x00" + data[44:])


def fifo_matched(folder: Path) -> None:
    """A named pipe matched by the data glob (reading it would wait for ever)."""
    os.mkfifo(folder / "管道.csv")


def device_link_matched(folder: Path) -> None:
    """A link to /dev/zero matched by the data glob (reading it would never end)."""
    (folder / "zero.csv").symlink_to("/dev/zero")


def dangling_link_matched(folder: Path) -> None:
    """A link to a file that was moved away, matched by the data glob."""
    (folder / "旧数据.csv").symlink_to(folder / "moved" / "away.csv")


def folder_matched(folder: Path) -> None:
    """A folder whose name ends in .csv, matched by the data glob."""
    (folder / "archive.csv").mkdir()
    (folder / "archive.csv" / "old.txt").write_text("2019\n", encoding="utf-8")


BUILDERS: dict[str, Callable[[Path], None]] = {f.__name__: f for f in (
    xlsx_raw_control, xlsx_fffe_in_cell, xlsx_encrypted, xlsx_char_reference,
    xlsx_shared_string_control, xlsx_escaped_form_feed, xlsx_escaped_vertical_tab_inline,
    xlsx_escaped_underscore_kept, xlsx_escaped_underscore_shared, strict_ooxml,
    xlsx_named_csv, utf32_damaged, fifo_matched, device_link_matched, dangling_link_matched,
    folder_matched)}


def main(out: Path) -> None:
    for case in cases():
        materialise(case, out / case)
    print(f"{len(cases())} cases written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "corpus_hostile"))
