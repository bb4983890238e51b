"""File names made from ids and regions: safe on every file system, bounded in length and
unique within one set of outputs.

A name keeps letters, digits (hanzi too), ``-`` and ``_``; any other run of characters
becomes ``_``. When that changed the text, when the name would be too long, or when two
names of the set would be the same file (also on a case-insensitive drive), a short hash
of the original texts is appended, the same on every run: regions ``A区/1`` and ``A区_1``,
or ``？？`` and ``！！``, get files of their own.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence

#: Longest file stem in UTF-8 bytes (file systems allow 255 per name; the staging folder,
#: an extension and a copy suffix need room too).
MAX_STEM_BYTES = 100
_HASH_CHARS = 10
_UNSAFE = re.compile(r"[^\w\-]+", flags=re.UNICODE)


def slug(text: str) -> str:
    """``text`` with every run of characters other than letters, digits, ``-`` and ``_``
    replaced by ``_`` (leading and trailing ``_`` dropped)."""
    return _UNSAFE.sub("_", text).strip("_")


def _hash(parts: Sequence[str]) -> str:
    """A short stable hash of the original texts (NUL-separated, so parts cannot blur)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[
        :_HASH_CHARS]


def _cut(text: str, max_bytes: int) -> str:
    """The longest start of ``text`` that fits ``max_bytes`` in UTF-8."""
    return text.encode("utf-8", "surrogatepass")[:max_bytes].decode("utf-8", "ignore")


def _plain(prefix: str, parts: Sequence[str]) -> tuple[str, bool]:
    """The stem without a hash, and whether it needs one (slugging changed a part, or the
    stem is too long)."""
    slugs = [slug(p) for p in parts if p]
    stem = "_".join([prefix, *slugs]) if prefix else "_".join(slugs)
    changed = any(s != p for s, p in zip(slugs, [p for p in parts if p], strict=True))
    return stem, changed or not slugs or len(stem.encode("utf-8")) > MAX_STEM_BYTES


def _hashed(stem: str, parts: Sequence[str]) -> str:
    """``stem`` cut to fit with the hash of ``parts`` appended."""
    room = MAX_STEM_BYTES - _HASH_CHARS - 1
    return f"{_cut(stem, room).rstrip('_')}_{_hash(parts)}"


def unique_stems(keys: Iterable[Sequence[str]], prefix: str = "") -> dict[tuple[str, ...], str]:
    """A file stem per key (its texts, e.g. indicator id and region; empty texts left out),
    ``prefix`` first: distinct for distinct keys, also when case is ignored."""
    stems: dict[tuple[str, ...], str] = {}
    for k in dict.fromkeys(tuple(k) for k in keys):
        stem, needs = _plain(prefix, k)
        stems[k] = _hashed(stem, k) if needs else stem
    for _ in range(4):  # a name equal to another's hashed one takes a second hash
        counts = Counter(s.casefold() for s in stems.values())
        clash = [k for k, s in stems.items() if counts[s.casefold()] > 1]
        if not clash:
            return stems
        for k in clash:
            stems[k] = _hashed(stems[k], k)
    raise RuntimeError("file names still collide after hashing")  # 40-bit hash collision


def indicator_stems(keys: Iterable[Sequence[str]]) -> dict[tuple[str, ...], str]:
    """The file stem of each indicator's chart by (id, region): indicator_<id>[_<region>]
    (figures and the report's links read the same stems)."""
    return unique_stems(keys, "indicator")
