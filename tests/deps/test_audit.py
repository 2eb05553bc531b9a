"""The dependencies scanner end to end through the CLI (in process): offline
from a database, online against a local OSV stand-in, db update, unpinned
dependencies, bad input. No test leaves 127.0.0.1."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from llmsecops.cli.main import main
from llmsecops.scanners import _process
from tests.deps.osv_server import FIXTURE_DB, Server, osv_server

Maker = Callable[..., Path]


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    # Nothing reachable unless a test starts the local server; no real cache.
    monkeypatch.setenv("LLMSECOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("LLMSECOPS_OSV_API_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("LLMSECOPS_OSV_DOWNLOAD_URL", "http://127.0.0.1:9")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    with osv_server() as state:
        monkeypatch.setenv("LLMSECOPS_OSV_API_URL", state.url)
        monkeypatch.setenv("LLMSECOPS_OSV_DOWNLOAD_URL", state.url)
        yield state


def scan(
    root: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, *extra: str
) -> tuple[int, dict[str, Any], str]:
    out = tmp_path / "report.json"
    code = main(
        ["scan", str(root), "--only", "dependencies", "--no-progress", "--json", str(out), *extra]
    )
    _, err = capsys.readouterr()
    return code, json.loads(out.read_text()) if out.exists() else {}, err


def found(report: dict[str, Any]) -> set[tuple[str, str, int]]:
    return {
        (f["rule_id"], f["location"]["path"], f["location"]["start_line"])
        for f in report["findings"]
    }


def deps_run(report: dict[str, Any]) -> dict[str, Any]:
    return next(s for s in report["scanners"] if s["name"] == "dependencies")


PACKAGE_LOCK = json.dumps(
    {
        "name": "web",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "web"},
            "node_modules/lodash": {"version": "4.17.15"},
            "node_modules/left-pad": {"version": "1.3.0"},
        },
    },
    indent=2,
)


def test_offline_audit_of_every_python_lock_format(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree(
        {
            "a/poetry.lock": '[[package]]\nname = "Jinja2"\nversion = "2.11.2"\n',
            "b/uv.lock": 'version = 1\n\n[[package]]\nname = "pyyaml"\nversion = "5.3"\n'
            'source = { registry = "https://pypi.org/simple" }\n',
            "c/Pipfile.lock": json.dumps({"default": {"requests": {"version": "==2.25.1"}}}),
            "d/pylock.toml": 'lock-version = "1.0"\n\n[[packages]]\nname = "langchain"\n'
            'version = "0.0.100"\n',
            "e/pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n  lodash@4.17.20:\n"
            "    resolution: {integrity: x}\n",
            "f/yarn.lock": 'lodash@^4.17.0:\n  version "4.17.15"\n',
            "g/package-lock.json": PACKAGE_LOCK,
        }
    )
    code, report, err = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB))
    assert code == 1, err
    assert found(report) >= {
        ("deps/PYSEC-2021-66", "a/poetry.lock", 2),
        ("deps/PYSEC-2020-96", "b/uv.lock", 4),
        ("deps/PYSEC-2023-74", "c/Pipfile.lock", 1),
        ("deps/PYSEC-2023-18", "d/pylock.toml", 4),
        ("deps/GHSA-35jh-r3h4-6jhm", "e/pnpm-lock.yaml", 3),
        ("deps/GHSA-p6mc-m468-83gw", "f/yarn.lock", 1),
        ("deps/GHSA-p6mc-m468-83gw", "g/package-lock.json", 8),
    }
    assert ("deps/GHSA-p6mc-m468-83gw", "e/pnpm-lock.yaml", 3) not in found(report)  # 4.17.20
    run = deps_run(report)
    assert run["status"] == "ok"
    assert any("newest record 2025-04-18" in n for n in run["notes"])
    yaml_finding = next(f for f in report["findings"] if f["rule_id"] == "deps/PYSEC-2020-96")
    assert yaml_finding["severity"] == "critical"
    assert "GHSA-6757-jp84-gxfx" in yaml_finding["message"]
    assert "fixed in 5.3.1" in yaml_finding["message"]


def test_database_date_reaches_sarif_and_console(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({"requirements.txt": "jinja2==3.1.4\n"})
    sarif = tmp_path / "out.sarif"
    code, report, err = scan(
        root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB), "--sarif", str(sarif)
    )
    assert code == 0, err
    assert report["findings"] == []
    assert "newest record 2025-04-18" in " ".join(err.split())  # the table may wrap it
    assert "newest record 2025-04-18" in sarif.read_text()


def test_unpinned_dependencies_are_low_findings_and_require_pinned_fails_the_build(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({"requirements.txt": "requests==2.31.0\nflask>=2.0\n"})
    code, report, _ = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB))
    assert code == 0
    (f,) = report["findings"]
    assert (f["rule_id"], f["location"]["start_line"], f["severity"]) == (
        "deps/unpinned",
        2,
        "low",
    )
    assert "flask" in f["message"] and ">=2.0" in f["message"]
    code, report, _ = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB), "--require-pinned")
    assert code == 1
    assert [f["severity"] for f in report["findings"]] == ["high"]


def test_require_pinned_from_config(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree(
        {
            "requirements.txt": "flask\n",
            ".llmsecops.yml": "dependencies:\n  require-pinned: true\n",
        }
    )
    code, report, _ = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB))
    assert code == 1
    assert report["findings"][0]["severity"] == "high"


def test_unknown_dependencies_config_key_is_a_usage_error(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree(
        {"requirements.txt": "flask\n", ".llmsecops.yml": "dependencies:\n  vuln-db: x\n"}
    )
    code, _, err = scan(root, capsys, tmp_path)
    assert code == 2
    assert "dependencies.vuln-db: unknown key" in err


def test_lock_file_overrides_the_manifest_and_includes_are_followed(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree(
        {
            "pyproject.toml": '[project]\nname = "x"\ndependencies = ["jinja2>=2"]\n',
            "poetry.lock": '[[package]]\nname = "jinja2"\nversion = "2.11.2"\n',
            "svc/requirements.txt": "-r ../common/base.in\n-r ../../outside.txt\n",
            "common/base.in": "# shared pins\npyyaml==5.3\n",
        }
    )
    code, report, _ = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB))
    assert code == 1
    assert ("deps/PYSEC-2021-66", "poetry.lock", 2) in found(report)
    assert ("deps/PYSEC-2020-96", "common/base.in", 2) in found(report)
    assert not any(r == "deps/unpinned" for r, _, _ in found(report))  # the lock pins jinja2
    notes = " ".join(deps_run(report)["notes"])
    assert "replaced by the lock file" in notes
    assert "svc/requirements.txt:2 ../../outside.txt (outside the workspace)" in notes


def test_malformed_manifests_are_counted_notes_not_tracebacks(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree(
        {
            "requirements.txt": "pyyaml==5.3\n",
            "web/package-lock.json": "{ not json",
            # (a broken pyproject.toml at the root is a config error, exit 2)
            "lib/pyproject.toml": "[project\n",
        }
    )
    code, report, err = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB))
    assert code == 1
    assert "Traceback" not in err
    notes = deps_run(report)["notes"]
    assert any(n.startswith("2 manifest(s) could not be parsed: ") for n in notes), notes
    assert ("deps/PYSEC-2020-96", "requirements.txt", 1) in found(report)


@pytest.mark.parametrize("kind", ["missing", "empty-dir", "not-zip"])
def test_malformed_vuln_db_is_a_one_line_usage_error(
    kind: str, make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({"requirements.txt": "pyyaml==5.3\n"})
    db = tmp_path / kind
    if kind == "empty-dir":
        db.mkdir()
    elif kind == "not-zip":
        db.write_text("hello")
    code, _, err = scan(root, capsys, tmp_path, "--vuln-db", str(db))
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("llmsecops: error: --vuln-db ")


def test_offline_without_a_database_skips_visibly_but_reports_unpinned(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_tree({"requirements.txt": "pyyaml==5.3\nflask\n"})
    code, report, err = scan(root, capsys, tmp_path, "--offline")
    assert code == 0
    run = deps_run(report)
    assert run["status"] == "skipped"
    assert "offline: dependency audit skipped" in run["reason"]
    assert "offline: dependency audit skipped" in err
    assert found(report) == {("deps/unpinned", "requirements.txt", 2)}


def test_offline_with_a_database_lacking_an_ecosystem_says_so(
    make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pypi_only = tmp_path / "pypi"
    pypi_only.mkdir()
    for p in FIXTURE_DB.glob("PYSEC-*.json"):
        (pypi_only / p.name).write_text(p.read_text())
    root = make_tree({"requirements.txt": "pyyaml==5.3\n", "package-lock.json": PACKAGE_LOCK})
    code, report, _ = scan(root, capsys, tmp_path, "--offline", "--vuln-db", str(pypi_only))
    assert code == 1
    assert found(report) == {("deps/PYSEC-2020-96", "requirements.txt", 1)}
    assert any("npm: 2 package(s) not audited" in n for n in deps_run(report)["notes"])


def test_npm_online_through_the_osv_api(
    server: Server, make_tree: Maker, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    server.answers[("npm", "lodash", "4.17.15")] = ["GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm"]
    root = make_tree({"package-lock.json": PACKAGE_LOCK})
    code, report, err = scan(root, capsys, tmp_path)
    assert code == 1, err
    assert found(report) == {
        ("deps/GHSA-p6mc-m468-83gw", "package-lock.json", 8),
        ("deps/GHSA-35jh-r3h4-6jhm", "package-lock.json", 8),
    }
    f = next(f for f in report["findings"] if f["rule_id"] == "deps/GHSA-p6mc-m468-83gw")
    assert f["severity"] == "high" and "fixed in 4.17.19" in f["message"]
    assert f["properties"]["source"] == "OSV API"
    assert ("POST", "/v1/querybatch") in server.requests
    assert ("GET", "/v1/vulns/GHSA-35jh-r3h4-6jhm") in server.requests
    assert deps_run(report)["status"] == "ok"


@pytest.mark.parametrize("status", [0, 500])
def test_unreachable_osv_api_makes_the_scan_incomplete(
    status: int,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    if status:
        server.fail_with = status
    else:
        monkeypatch.setenv("LLMSECOPS_OSV_API_URL", "http://127.0.0.1:9")
    root = make_tree({"package-lock.json": PACKAGE_LOCK})
    code, report, err = scan(root, capsys, tmp_path)
    assert code == 3
    run = deps_run(report)
    assert run["status"] == "failed"
    assert "could not be audited" in run["reason"] and "\n" not in run["reason"]
    assert "SCAN INCOMPLETE" in err


def test_db_update_downloads_into_the_cache_that_scans_use(
    server: Server,
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"
    assert main(["db", "update", "--ecosystem", "pypi", "--ecosystem", "npm"]) == 0
    err = capsys.readouterr().err
    assert "PyPI: 16 advisories" in err and "npm: 2 advisories" in err
    assert ("GET", "/PyPI/all.zip") in server.requests
    with zipfile.ZipFile(cache / "osv" / "npm.zip") as zf:
        assert sorted(zf.namelist()) == ["GHSA-35jh-r3h4-6jhm.json", "GHSA-p6mc-m468-83gw.json"]
    meta = json.loads((cache / "osv" / "llmsecops-db.json").read_text())
    assert set(meta) == {"PyPI", "npm"}
    # The API is now unreachable: the scan must run from the cache alone.
    monkeypatch.setenv("LLMSECOPS_OSV_API_URL", "http://127.0.0.1:9")
    root = make_tree({"requirements.txt": "pyyaml==5.3\n", "package-lock.json": PACKAGE_LOCK})
    code, report, _ = scan(root, capsys, tmp_path)
    assert code == 1
    assert found(report) >= {
        ("deps/PYSEC-2020-96", "requirements.txt", 1),
        ("deps/GHSA-p6mc-m468-83gw", "package-lock.json", 8),
    }
    assert any("downloaded" in n for n in deps_run(report)["notes"])


def test_db_update_errors(
    server: Server, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["db", "update", "--ecosystem", "cargo"]) == 2
    assert "unknown ecosystem 'cargo'" in capsys.readouterr().err
    server.fail_with = 503
    assert main(["db", "update", "--cache-dir", str(tmp_path / "c2")]) == 3
    err = capsys.readouterr().err
    assert "HTTP 503" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "c2" / "osv" / "PyPI.zip").exists()


def test_nothing_from_the_repository_runs(
    make_tree: Maker,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A repository whose setup.py (and a local path dependency) would write a
    marker file if anything installed, built or imported it. Online, through
    a fake pip-audit that records what it was given, and offline."""
    marker = tmp_path / "MARKER"
    evil = f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
    root = make_tree(
        {
            "setup.py": evil,
            "pkg/setup.py": evil,
            "pkg/__init__.py": evil,
            "requirements.txt": "-e .\n./pkg\npyyaml==5.3\nrequests>=2\n",
            "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\n'
            '[project]\nname = "evil"\ndependencies = ["jinja2==2.11.2"]\n',
        }
    )
    seen = tmp_path / "seen"
    fake = tmp_path / "fake-pip-audit"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$@" > {seen}.argv\n'
        'while [ $# -gt 0 ]; do [ "$1" = --requirement ] && cat "$2" > '
        f"{seen}.req; shift; done\n"
        "echo '{\"dependencies\": []}'\n"
    )
    fake.chmod(0o755)
    real = _process.find_program
    monkeypatch.setattr(
        _process, "find_program", lambda n: str(fake) if n == "pip-audit" else real(n)
    )
    code, report, err = scan(root, capsys, tmp_path)
    assert code == 0, err
    assert (tmp_path / "seen.req").read_text() == "jinja2==2.11.2\npyyaml==5.3\n"
    argv = (tmp_path / "seen.argv").read_text()
    assert "--no-deps" in argv and "--disable-pip" in argv
    assert found(report) == {("deps/unpinned", "requirements.txt", 4)}
    code, report, _ = scan(root, capsys, tmp_path, "--vuln-db", str(FIXTURE_DB), "--offline")
    assert code == 1
    assert not marker.exists()
