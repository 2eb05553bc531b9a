"""A config file found in the scanned repository can tune the scan, never
name a program, add tool arguments, point outside the repository, lift the
time/memory bounds without limit, or crash/hang the parser."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from llmsecops import config
from llmsecops.errors import ConfigError
from tests.hostile.conftest import assert_no_traceback, scan

# Nine levels of nine aliases: 9**9 leaves if anything walks or prints it.
ALIAS_BOMB = (
    "[&a [x, x, x, x, x, x, x, x, x], "
    + ", ".join(f"&{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8))
    + "]"
)


@pytest.mark.parametrize(
    "text, fragment",
    [
        # Keys that would name programs, add arguments or point outside: all unknown.
        ("scanners:\n  semgrep:\n    program: /tmp/evil\n", "scanners.semgrep.program"),
        ("scanners:\n  bandit:\n    args: ['-c', '/tmp/x']\n", "scanners.bandit.args"),
        ("scanners:\n  semgrep:\n    config: ../../rules\n", "scanners.semgrep.config"),
        ("semgrep:\n  rules: /etc\n", "semgrep: unknown key"),
        ("rules-dir: /tmp/rules\n", "rules-dir: unknown key"),
        ("dependencies:\n  vuln-db: /etc\n", "dependencies.vuln-db"),
        ("dependencies:\n  osv-api-url: http://evil.invalid\n", "dependencies.osv-api-url"),
        ("dependencies:\n  cache-dir: /tmp\n", "dependencies.cache-dir"),
        ("history:\n  since: '--output=/tmp/x'\n", "history.since"),
        ("history:\n  since: '2024-01-01; touch /tmp/x'\n", "history.since"),
        ("baseline: ../baseline.json\n", "baseline: unknown key"),
        # Numbers are capped.
        ("scanners:\n  semgrep:\n    timeout: 999999999\n", "at most 7200"),
        ("scanners:\n  semgrep:\n    max-memory: 99999999\n", "at most 65536"),
        ("max-file-size: 99999999999\n", "at most 67108864"),
        # An alias bomb is not expanded into the message.
        (f"max-file-size: {ALIAS_BOMB}\n", "max-file-size: expected a positive integer"),
        (f"exclude: {ALIAS_BOMB}\n", "exclude: expected a list of strings"),
        (f"history: {{since: {ALIAS_BOMB}}}\n", "history.since"),
        (f"scanners: {{bandit: {{timeout: {ALIAS_BOMB}}}}}\n", "scanners.bandit.timeout"),
        # Deep nesting is a config error, not a RecursionError.
        ("exclude: " + "[" * 50_000 + "]" * 50_000 + "\n", "nested too deeply"),
        ("{" * 50_000, ""),
    ],
)
def test_repository_config_cannot_reach_out(tmp_path: Path, text: str, fragment: str) -> None:
    (tmp_path / ".llmsecops.yml").write_text(text, encoding="utf-8")
    start = time.monotonic()
    with pytest.raises(ConfigError) as raised:
        config.discover(tmp_path)
    assert time.monotonic() - start < 30  # a bomb would take minutes and gigabytes
    message = str(raised.value)
    assert fragment in message
    assert "\n" not in message.strip()
    assert len(message) < 2000


def test_deeply_nested_pyproject_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.llmsecops]\nexclude = " + "[" * 50_000)
    with pytest.raises(ConfigError, match="nested too deeply"):
        config.discover(tmp_path)


def test_config_files_that_are_links_or_fifos_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("fail-on: none\n")
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".llmsecops.yml").symlink_to(outside)
    os.mkfifo(root / ".llmsecops.yaml")
    (root / "pyproject.toml").symlink_to(outside)
    assert config.discover(root) == config.Config()  # defaults; nothing blocked


def test_config_tunes_the_scan_within_bounds() -> None:
    cfg = config.parse(
        {
            "exclude": ["../../etc", "/abs/*"],
            "scanners": {"semgrep": {"timeout": 30, "max-memory": 512}},
        },
        "t",
    )
    assert cfg.scanner("semgrep").timeout_s == 30
    assert cfg.scanner("semgrep").max_memory_mb == 512
    assert cfg.scanner("bandit").max_memory_mb == config.DEFAULT_MAX_MEMORY_MB
    # Exclude patterns only filter the file set: they cannot add paths to it.
    assert cfg.exclude == ("../../etc", "/abs/*")


def test_hostile_config_keys_print_as_one_safe_line(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    key = "\x1b]0;pwned\x07\x1b[2J[bold]k\u202e" + "x" * 5000
    yaml_key = key.replace("\x1b", "\\e").replace("\x07", "\\a")
    (root / ".llmsecops.yml").write_text(f'? "{yaml_key}"\n: 1\n', encoding="utf-8")
    result = scan(root, "--only", "secrets", tmp=tmp_path, formats=())
    assert_no_traceback(result)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;pwned\\x07" in lines[0]
    assert len(lines[0]) <= 600
