"""A folder two commands write keeps one manifest listing every file: the files of an
earlier run stay listed while unchanged, with that run's description (earlier_outputs)."""

import hashlib
import json
from pathlib import Path

from planlib.outputs.files.earlier_outputs import with_earlier_outputs
from planlib.outputs.files.manifest import build_manifest
from planlib.outputs.files.staging import write_staged


def _write(out: Path, files: dict[str, bytes], parameters: dict) -> dict:
    """One run into ``out`` the way the processed folder is written; its manifest."""

    def manifest(staged: list[Path], folder: Path) -> dict:
        return with_earlier_outputs(build_manifest(
            plan_file=None, inputs=[], outputs=staged, out_dir=folder,
            parameters=parameters), out)

    write_staged(out, files.items(), manifest)
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_second_run_keeps_the_first_runs_files_with_their_description(tmp_path):
    out = tmp_path / "processed"
    _write(out, {"evaluation.csv": b"e1", "observations.csv": b"o1"}, {"run": "evaluate"})
    manifest = _write(out, {"targets.csv": b"t1"}, {"run": "propose"})
    assert manifest["outputs"] == [{"path": "evaluation.csv", "sha256": _sha(b"e1")},
                                   {"path": "observations.csv", "sha256": _sha(b"o1")},
                                   {"path": "targets.csv", "sha256": _sha(b"t1")}]
    assert manifest["parameters"] == {"run": "propose"}
    assert manifest["earlier"] == [{
        "files": ["evaluation.csv", "observations.csv"], "inputs": [], "plan": None,
        "parameters": {"run": "evaluate"}, "versions": manifest["versions"]}]
    # the first command again: its files rewritten, the other's kept, the description
    # of each run moved verbatim between top level and `earlier`
    again = _write(out, {"evaluation.csv": b"e2", "observations.csv": b"o2"},
                   {"run": "evaluate"})
    assert [o["sha256"] for o in again["outputs"]] == [_sha(b"e2"), _sha(b"o2"), _sha(b"t1")]
    assert again["parameters"] == {"run": "evaluate"}
    assert [(b["files"], b["parameters"]) for b in again["earlier"]] == [
        (["targets.csv"], {"run": "propose"})]


def test_a_run_that_rewrites_every_listed_file_writes_todays_manifest(tmp_path):
    out = tmp_path / "processed"
    first = _write(out, {"a.csv": b"1"}, {"run": 1})
    second = _write(out, {"a.csv": b"2"}, {"run": 2})
    assert "earlier" not in first and "earlier" not in second
    assert second["outputs"] == [{"path": "a.csv", "sha256": _sha(b"2")}]


def test_changed_deleted_or_unlisted_files_are_not_vouched_for(tmp_path):
    out = tmp_path / "processed"
    _write(out, {"kept.csv": b"k", "edited.csv": b"e", "deleted.csv": b"d"}, {"run": 1})
    (out / "edited.csv").write_bytes(b"edited by hand")
    (out / "deleted.csv").unlink()
    (out / "mine.txt").write_bytes(b"a user's own file")
    manifest = _write(out, {"targets.csv": b"t"}, {"run": 2})
    assert [o["path"] for o in manifest["outputs"]] == ["kept.csv", "targets.csv"]
    assert manifest["earlier"][0]["files"] == ["kept.csv"]


def test_a_broken_or_hostile_previous_manifest_carries_nothing(tmp_path):
    out = tmp_path / "processed"
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"outside")
    _write(out, {"a.csv": b"1"}, {"run": 1})
    hostile = {"outputs": [{"path": "../secret.txt", "sha256": _sha(b"outside")},
                           {"path": "manifest.json", "sha256": "0" * 64}]}
    for text in (b"{not json", b"\xff\xfe", b"[]", b'{"outputs": [{"path": 1}]}',
                 json.dumps({"outputs": [{"path": "a.csv", "sha256": _sha(b"1")}],
                             "earlier": [{"files": "a.csv"}]}).encode(),
                 json.dumps(hostile).encode()):
        (out / "manifest.json").write_bytes(text)
        manifest = _write(out, {"b.csv": b"2"}, {"run": 2})
        assert [o["path"] for o in manifest["outputs"]] == ["b.csv"], text
        assert "earlier" not in manifest
