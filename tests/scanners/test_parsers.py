"""Each adapter's parser on recorded tool output (tests/data/recorded/README.md)."""

from __future__ import annotations

import pytest

from llmsecops.deps import manifests
from llmsecops.model import Confidence, Severity
from llmsecops.scanners import bandit, dependencies, secrets, semgrep
from tests.helpers import DATA

REC = DATA / "recorded"


def read(name: str) -> str:
    return (REC / name).read_text(encoding="utf-8")


def test_bandit_parser_maps_ids_severity_cwe_and_columns() -> None:
    parsed = bandit.parse(read("bandit-example.json"))
    by_key = {
        (f.rule_id, f.location.path.removeprefix("./"), f.location.start_line): f
        for f in parsed.findings
    }
    shell = by_key[("bandit/B602", "app/agent.py", 35)]
    assert shell.severity is Severity.HIGH
    assert shell.confidence is Confidence.HIGH
    assert shell.cwe == ("CWE-78",)
    assert shell.location.start_column >= 1
    assert by_key[("bandit/B506", "app/rag.py", 23)].severity is Severity.MEDIUM
    assert {m.id for m in parsed.rules} >= {"bandit/B602", "bandit/B506", "bandit/B105"}
    assert parsed.errors == ()


def test_bandit_parser_redacts_hard_coded_passwords() -> None:
    raw = read("bandit-example.json")
    parsed = bandit.parse(raw)
    passwords = [f for f in parsed.findings if f.rule_id == "bandit/B105"]
    assert len(passwords) == 3
    for f in passwords:
        assert "chars)" in f.message
        quoted = f.message.split("'")[1]
        assert quoted in raw or "…" in quoted
        assert len(quoted.split("…")[0]) <= 4


def test_bandit_parser_reports_files_it_could_not_parse() -> None:
    parsed = bandit.parse(read("bandit-parse-error.json"))
    assert parsed.errors == ("./broken.py: syntax error while parsing AST from file",)
    assert [f.rule_id for f in parsed.findings] == ["bandit/B404", "bandit/B607", "bandit/B602"]


@pytest.mark.parametrize(
    "garbage", ["", "not json", "[]", '{"results": 3}', '{"results": [{"x": 1}]}']
)
def test_bandit_parser_rejects_garbage(garbage: str) -> None:
    with pytest.raises(bandit.BanditOutputError):
        bandit.parse(garbage)


def test_semgrep_parser_uses_our_metadata() -> None:
    parsed = semgrep.parse(read("semgrep-example.json"))
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in parsed.findings] == [
        ("llmsecops/prompt-concat", "app/main.py", 58),
        ("llmsecops/prompt-concat", "app/main.py", 74),
        ("llmsecops/prompt-concat", "app/main.py", 102),
    ]
    f = parsed.findings[0]
    assert f.severity is Severity.MEDIUM
    assert f.cwe == ("CWE-1427",)
    assert f.owasp_llm == ("LLM01:2025",)
    assert f.location.end_column is not None
    assert parsed.fatal == ""


def test_semgrep_parser_flags_rule_errors_as_fatal() -> None:
    parsed = semgrep.parse(read("semgrep-invalid-rule.json"))
    assert parsed.fatal.startswith("semgrep Rule parse error")
    assert "\n" not in parsed.fatal


def test_semgrep_parser_without_our_metadata_maps_levels() -> None:
    raw = (
        '{"results": [{"check_id": "x.y.z", "path": "a.py", "start": {"line": 2, "col": 1}, '
        '"end": {"line": 2, "col": 9}, "extra": {"message": "m", "severity": "ERROR", '
        '"metadata": {"cwe": ["CWE-79: Improper Neutralization"]}}}], "errors": []}'
    )
    (f,) = semgrep.parse(raw).findings
    assert (f.rule_id, f.severity, f.cwe) == ("semgrep/z", Severity.HIGH, ("CWE-79",))


@pytest.mark.parametrize("garbage", ["", "<html>", '{"errors": []}'])
def test_semgrep_parser_rejects_garbage(garbage: str) -> None:
    with pytest.raises(semgrep.SemgrepOutputError):
        semgrep.parse(garbage)


def test_detect_secrets_parser_and_redaction() -> None:
    raws = secrets.parse(read("detect-secrets-example.json"))
    assert {(r.path, r.line, r.type) for r in raws} >= {
        ("app/settings.py", 18, "AWS Access Key"),
        ("app/settings.py", 24, "GitHub Token"),
        ("config/dev_key.pem", 1, "Private Key"),
    }
    from tests.helpers import EXAMPLE

    def read_line(path: str, line: int) -> str | None:
        return (EXAMPLE / path).read_text().splitlines()[line - 1]

    converted = secrets.to_findings(raws, read_line)
    github = [
        f
        for f in converted.findings
        if f.location.path == "app/settings.py" and f.location.start_line == 24
    ]
    # GitHub Token and the entropy detector hit the same token: one finding, the specific one.
    assert [f.rule_id for f in github] == ["secrets/github-token"]
    assert github[0].secret is not None and github[0].secret.preview == "ghp_… (40 chars)"
    token = read_line("app/settings.py", 24) or ""
    span = next(r for r in converted.redactions if r.path == "app/settings.py" and r.line == 24)
    value = token[span.start_column - 1 : span.end_column - 1]
    assert value.startswith("ghp_") and len(value) == 40
    for f in converted.findings:
        assert value not in f.message


def test_secret_locate_widens_partial_hashes_to_the_whole_token() -> None:
    from llmsecops import redact

    line = 'TOKEN = "ghp_Zk3X9qL0vTb7Wm2Np8Rs4Yd6Fh1Jc5Ae0GuI"'
    span = secrets.locate(line, redact.sha1("ghp"))
    assert span is not None
    start, end = secrets.widen(line, span)
    assert line[start:end] == "ghp_Zk3X9qL0vTb7Wm2Np8Rs4Yd6Fh1Jc5Ae0GuI"


def test_unlocatable_secrets_mask_the_whole_line() -> None:
    raw = secrets.RawSecret("a.py", 1, "Private Key", "0" * 40)
    converted = secrets.to_findings([raw], lambda p, n: "    key = something_unusual")
    (f,) = converted.findings
    assert f.secret is not None and f.secret.preview == "(value not shown)"
    (r,) = converted.redactions
    assert (r.start_column, r.end_column) == (5, len("    key = something_unusual") + 1)


def test_requirements_parser() -> None:
    text = (
        "# comment\n"
        "requests==2.25.1  # pinned\n"
        "Jinja2[i18n]==2.11.2 ; python_version >= '3.8' \\\n"
        "    --hash=sha256:abc\n"
        "flask>=2.0\n"
        "-r other.txt\n"
        "-e git+https://example.invalid/x.git#egg=x\n"
        "pkg @ https://example.invalid/pkg.whl\n"
        "--index-url https://example.invalid/simple\n"
        "numpy==1.*\n"
    )
    parsed = manifests.parse_requirements("requirements.txt", text)
    pins = [(d.name, d.version, d.line) for d in parsed.dependencies if d.pinned]
    assert pins == [("requests", "2.25.1", 2), ("jinja2", "2.11.2", 3)]
    unpinned = [(d.name, d.line) for d in parsed.dependencies if not d.pinned]
    assert unpinned == [("flask", 5), ("numpy", 10)]
    assert [i.target for i in parsed.includes] == ["other.txt"]
    assert len(parsed.not_auditable) == 2


def test_requirements_file_names() -> None:
    assert dependencies.is_requirements_file("requirements.txt")
    assert dependencies.is_requirements_file("svc/requirements-dev.txt")
    assert dependencies.is_requirements_file("requirements/base.txt")
    assert not dependencies.is_requirements_file("docs/notes.txt")
    assert not dependencies.is_requirements_file("requirements.py")


def _pin(name: str, version: str, path: str, line: int) -> manifests.Dependency:
    return manifests.Dependency("PyPI", name, version, f"=={version}", path, line)


def test_pip_audit_parser_points_at_the_pinning_line() -> None:
    pins = [
        _pin("jinja2", "2.11.2", "requirements.txt", 7),
        _pin("jinja2", "2.11.2", "svc/requirements.txt", 2),
        _pin("openai", "1.40.0", "requirements.txt", 9),
    ]
    audited = dependencies.parse_audit(read("pip-audit-vulns.json"), pins)
    assert [(f.rule_id, f.location.path, f.location.start_line) for f in audited.findings] == [
        ("deps/PYSEC-2021-66", "requirements.txt", 7),
        ("deps/PYSEC-2021-66", "svc/requirements.txt", 2),
    ]
    f = audited.findings[0]
    assert "CVE-2020-28493" in f.message and "fixed in 2.11.3" in f.message
    assert f.cwe == ("CWE-1395",)
    assert audited.not_audited == ()


def test_pip_audit_parser_counts_what_it_could_not_audit() -> None:
    audited = dependencies.parse_audit(read("pip-audit-not-found.json"), [])
    assert len(audited.not_audited) == 12
    assert audited.findings == ()


def test_pip_audit_traceback_becomes_one_line() -> None:
    from llmsecops.scanners._process import error_line

    line = error_line(read("pip-audit-proxy-refused.stderr"))
    assert line.startswith("requests.exceptions.ProxyError")


@pytest.mark.parametrize("garbage", ["", "nope", '{"fixes": []}'])
def test_pip_audit_parser_rejects_garbage(garbage: str) -> None:
    with pytest.raises(ValueError):
        dependencies.parse_audit(garbage, [])
