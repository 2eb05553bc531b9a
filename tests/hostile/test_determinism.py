"""Two scans of the same tree give the same findings, fingerprints and
report bytes, apart from the documented timing fields (docs/security-model.md):
``scanners[].duration_s`` in JSON, the time cell of the HTML scanner table
and the console's time column."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from tests.helpers import EXAMPLE
from tests.hostile.conftest import assert_no_traceback, commit_all, init_repo, scan

HOSTILE = {
    "[x]/é\u202e.py": "import subprocess\nsubprocess.call('a', shell=True)\n",
    "tab\tname.py": "import pickle\npickle.loads(b'')\n",
}


def _tree(dest: Path) -> Path:
    shutil.copytree(EXAMPLE, dest)
    for rel, text in HOSTILE.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    init_repo(dest)
    commit_all(dest)
    return dest


def _timeless_json(text: str) -> dict[str, object]:
    data = json.loads(text)
    for run in data["scanners"]:
        run["duration_s"] = 0
    return data  # type: ignore[no-any-return]


def _timeless_html(text: str) -> str:
    return re.sub(r"<td>\d+\.\d s</td>", "<td>T</td>", text)


def test_two_scans_give_the_same_bytes(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    args = ("--only", "bandit,secrets", "--offline")
    first = scan(root, *args, tmp=tmp_path)
    second = scan(root, *args, tmp=tmp_path)
    assert_no_traceback(first)
    assert first.code == second.code == 1, first.stderr
    assert first.reports["sarif"] == second.reports["sarif"]
    assert first.reports["markdown"] == second.reports["markdown"]
    assert _timeless_json(first.reports["json"]) == _timeless_json(second.reports["json"])
    assert _timeless_html(first.reports["html"]) == _timeless_html(second.reports["html"])
    findings = first.json()["findings"]
    assert len(findings) > 10  # type: ignore[arg-type]
    paths = {f["location"]["path"] for f in findings}  # type: ignore[union-attr, index]
    assert set(HOSTILE) <= paths

    # The same tree somewhere else: the same findings and fingerprints.
    moved = scan(_tree(tmp_path / "elsewhere" / "copy"), *args, tmp=tmp_path)

    def keyed(result: object) -> list[tuple[str, str, int, str]]:
        data = json.loads(result.reports["json"])  # type: ignore[attr-defined]
        return sorted(
            (f["rule_id"], f["location"]["path"], f["location"]["start_line"], f["fingerprint"])
            for f in data["findings"]
        )

    assert keyed(moved) == keyed(first)
