from __future__ import annotations

from pathlib import Path

import pytest

from llmsecops.config import Config, discover, load_file, parse, parse_threshold
from llmsecops.errors import ConfigError, ExitCode
from llmsecops.model import Severity


def test_defaults_when_no_config(tmp_path: Path) -> None:
    cfg = discover(tmp_path)
    assert cfg == Config()
    assert cfg.fail_on is Severity.HIGH
    assert cfg.scanner("bandit").enabled


def test_yaml_config_is_parsed(tmp_path: Path) -> None:
    (tmp_path / ".llmsecops.yml").write_text(
        "fail-on: medium\n"
        "exclude: [tests/fixtures]\n"
        "max-file-size: 5000\n"
        "scanners:\n  semgrep: {timeout: 30}\n  dependencies: {enabled: false}\n"
        "rules:\n  bandit/B101: {enabled: false}\n  llmsecops/prompt-concat: {severity: high}\n"
    )
    cfg = discover(tmp_path)
    assert cfg.source == ".llmsecops.yml"
    assert cfg.fail_on is Severity.MEDIUM
    assert cfg.exclude == ("tests/fixtures",)
    assert cfg.max_file_size == 5000
    assert cfg.scanner("semgrep").timeout_s == 30
    assert not cfg.scanner("dependencies").enabled
    assert not cfg.rules["bandit/B101"].enabled
    assert cfg.rules["llmsecops/prompt-concat"].severity is Severity.HIGH


def test_pyproject_table_is_used_when_no_yaml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname="x"\n[tool.llmsecops]\nfail-on = "low"\n'
    )
    cfg = discover(tmp_path)
    assert cfg.fail_on is Severity.LOW
    assert cfg.source == "pyproject.toml [tool.llmsecops]"


def test_pyproject_without_our_table_means_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n')
    assert discover(tmp_path) == Config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail_on: high\n", "config c.yml: fail_on: unknown key"),
        ("scanners:\n  bandit: {timout: 3}\n", "config c.yml: scanners.bandit.timout: unknown key"),
        ("scanners:\n  gitleaks: {}\n", "config c.yml: scanners.gitleaks: unknown scanner"),
        (
            "rules:\n  llmsecops/prompt-concat: {severity: severe}\n",
            "config c.yml: rules.llmsecops/prompt-concat.severity: "
            "expected one of info, low, medium, high, critical",
        ),
        ("rules:\n  B101: {enabled: false}\n", "config c.yml: rules.B101: rule ids look like"),
        ("fail-on: 3\n", "config c.yml: fail-on: expected one of"),
        ("exclude: tests\n", "config c.yml: exclude: expected a list of strings"),
        ("max-file-size: -1\n", "config c.yml: max-file-size: expected a positive integer"),
        (
            "scanners:\n  bandit: {enabled: 'yes'}\n",
            "config c.yml: scanners.bandit.enabled: expected true or false",
        ),
        ("- a\n- b\n", "config c.yml: expected a mapping, got a list"),
        ("fail-on: [unclosed\n", "config c.yml: line"),
    ],
)
def test_invalid_config_names_the_key_path(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "c.yml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_file(path, display="c.yml")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert info.value.exit_code is ExitCode.USAGE


def test_explicit_missing_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        discover(tmp_path, tmp_path / "nope.yml")


def test_invalid_toml_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.llmsecops\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        discover(tmp_path)


def test_empty_yaml_means_defaults(tmp_path: Path) -> None:
    (tmp_path / ".llmsecops.yml").write_text("# nothing yet\n")
    assert discover(tmp_path).fail_on is Severity.HIGH


def test_threshold_none_disables_failing() -> None:
    assert parse_threshold("none") is None
    assert parse_threshold("critical") is Severity.CRITICAL
    assert parse({"fail-on": "none"}, "x").fail_on is None


def test_scanner_memory_ceiling_and_caps() -> None:
    from llmsecops import config

    cfg = parse({"scanners": {"semgrep": {"max-memory": 8192, "timeout": 60}}}, "x")
    assert cfg.scanner("semgrep").max_memory_mb == 8192
    assert cfg.scanner("bandit").max_memory_mb == config.DEFAULT_MAX_MEMORY_MB
    for data, key in [
        ({"scanners": {"semgrep": {"max-memory": 10**9}}}, "scanners.semgrep.max-memory"),
        ({"scanners": {"semgrep": {"timeout": 10**9}}}, "scanners.semgrep.timeout"),
        ({"max-file-size": 10**12}, "max-file-size"),
    ]:
        with pytest.raises(ConfigError, match=f"{key}: at most"):
            parse(data, "x")


def test_nested_too_deeply_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".llmsecops.yml").write_text("exclude: " + "[" * 20_000 + "]" * 20_000)
    with pytest.raises(ConfigError, match="nested too deeply"):
        discover(tmp_path)
