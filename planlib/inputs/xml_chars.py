"""Characters XML 1.0 cannot hold, refused where plan and data text is read.

SVG, DOCX and XLSX are XML: a form feed, a NUL, U+FFFE/U+FFFF or a lone surrogate in a
name or a region would make a figure malformed or stop a report writer. Refusing them
when the plan or a data file is read (with the YAML line or the file, row and column)
means ``validate`` and every writer agree about what is acceptable input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

#: C0 controls except tab, newline and carriage return; U+FFFE, U+FFFF; lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FIX = ("delete the character (it is invisible in most editors: retype the text, or paste "
       "it through a plain-text editor)")


def not_xml(text: str) -> str | None:
    """The characters of ``text`` XML 1.0 cannot hold, named ("U+000C (form feed)"), or
    None when there is none."""
    found = list(dict.fromkeys(_NOT_XML.findall(text)))
    if not found:
        return None
    return ", ".join(_name(ch) for ch in found)


def has_not_xml(text: str) -> bool:
    """True when ``text`` holds a character XML 1.0 cannot hold (a fast test)."""
    return _NOT_XML.search(text) is not None


def offsets(text: str) -> Iterator[int]:
    """Where in ``text`` the characters XML 1.0 cannot hold are (for a raw file part)."""
    return (m.start() for m in _NOT_XML.finditer(text))


def visible(text: str) -> str:
    """``text`` with the refused characters written as escapes (\\u000c), for a place
    name (a header, a YAML key) printed outside quotes."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def message(what: str, named: str) -> str:
    """The problem's sentence: which text holds which characters."""
    return f"{what} holds a character XML cannot hold in reports and figures: {named}"


def strings_in(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[
        tuple[tuple[str | int, ...], str]]:
    """Every string in parsed YAML (keys and values) with its key path."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            child = (*path, str(key))
            if isinstance(key, str):
                yield child, key
            yield from strings_in(value, child)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from strings_in(item, (*path, i))


def _name(ch: str) -> str:
    """U+000C (form feed): the code point and, where Unicode has one, its name."""
    code = f"U+{ord(ch):04X}"
    if 0xD800 <= ord(ch) <= 0xDFFF:
        return f"{code} (a lone surrogate)"
    if ch in "\ufffe\uffff":
        return f"{code} (a noncharacter)"
    words = {"\x00": "NUL", "\x0b": "vertical tab", "\x0c": "form feed", "\x1b": "escape"}
    name = words.get(ch) or unicodedata.name(ch, "")
    return f"{code} ({name.lower()})" if name else f"{code} (a control character)"

