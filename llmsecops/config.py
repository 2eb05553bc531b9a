"""Discover, parse and validate configuration; the result is frozen.

Sources, first found wins: ``--config FILE``, ``<root>/.llmsecops.yml``
(or ``.yaml``), ``[tool.llmsecops]`` in ``<root>/pyproject.toml``. Every
unknown key is an error naming its key path, so a typo never silently
disables a check.

A config file may come from the repository being scanned, so it can only
tune the scan: no key names a program, adds tool arguments or names a path
(the vulnerability database, caches and extra rules come from the command
line), and numbers are capped so it cannot lift the time and memory bounds
of a scan without limit. Parsing is bounded too: a size limit, no
recursion error from deep nesting, no expansion of YAML aliases in messages.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from llmsecops.errors import ConfigError
from llmsecops.model import Severity

SCANNER_NAMES: tuple[str, ...] = ("bandit", "semgrep", "secrets", "dependencies")
CONFIG_FILENAMES: tuple[str, ...] = (".llmsecops.yml", ".llmsecops.yaml")
MAX_CONFIG_BYTES = 256 * 1024

DEFAULT_TIMEOUT_S = 600
DEFAULT_MAX_FILE_SIZE = 1024 * 1024
DEFAULT_MAX_MEMORY_MB = 4096
# Ceilings on what a config file may ask for.
MAX_TIMEOUT_S = 7200
MAX_FILE_SIZE_CAP = 64 * 1024 * 1024
MAX_MEMORY_MB = 65536
DEFAULT_MAX_TOKEN_AGE_DAYS = 90
PROFILES: tuple[str, ...] = ("default", "audit", "strict")  # see profile.py
CLASSIFY_KEYS: tuple[str, ...] = ("production", "tests", "fixtures", "examples", "generated")
_SINCE = re.compile(r"^[0-9A-Za-z :.\-]{1,40}$")


@dataclass(frozen=True)
class HistoryConfig:
    """Bounds on the git-history read for token age (secrets scanner)."""

    enabled: bool = True
    since: str | None = None  # anything git's --since accepts, e.g. 2024-01-01 or "2 years ago"
    depth: int | None = None  # at most this many commits


def check_since(value: str) -> str:
    if not _SINCE.match(value):
        raise ValueError(f"expected a date such as 2024-01-01 or '1 year ago', got {value!r}")
    return value


@dataclass(frozen=True)
class DependenciesConfig:
    """The dependency audit's inputs. Only ``require-pinned`` comes from a
    config file; the database and service locations come from the command
    line and environment, never from the scanned repository."""

    require_pinned: bool = False
    vuln_db: str | None = None  # --vuln-db: a folder of OSV records or an OSV zip
    cache_dir: str | None = None  # where `db update` keeps its downloads
    osv_api_url: str = "https://api.osv.dev"


@dataclass(frozen=True)
class ScannerConfig:
    enabled: bool = True
    timeout_s: int = DEFAULT_TIMEOUT_S
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB  # allocation ceiling of its subprocesses


@dataclass(frozen=True)
class RuleConfig:
    enabled: bool = True
    severity: Severity | None = None


@dataclass(frozen=True)
class Config:
    source: str = ""  # where it came from, for messages; "" means defaults
    fail_on: Severity | None = Severity.HIGH
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    scanners: Mapping[str, ScannerConfig] = field(
        default_factory=lambda: {name: ScannerConfig() for name in SCANNER_NAMES}
    )
    rules: Mapping[str, RuleConfig] = field(default_factory=dict)
    max_token_age_days: int = DEFAULT_MAX_TOKEN_AGE_DAYS
    history: HistoryConfig = HistoryConfig()
    dependencies: DependenciesConfig = DependenciesConfig()
    profile: str = "default"
    classify: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # key -> globs

    def scanner(self, name: str) -> ScannerConfig:
        return self.scanners.get(name, ScannerConfig())


def discover(root: Path, explicit: Path | None = None) -> Config:
    """Load the configuration for a scan of ``root``."""
    if explicit is not None:
        return load_file(explicit)
    for name in CONFIG_FILENAMES:
        candidate = root / name
        if candidate.is_file() and not candidate.is_symlink():
            return load_file(candidate, display=name)
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        table = _pyproject_table(pyproject, "pyproject.toml")
        if table is not None:
            return parse(table, "pyproject.toml [tool.llmsecops]")
    return Config()


def load_file(path: Path, display: str | None = None) -> Config:
    shown = display or str(path)
    if not path.exists():
        raise ConfigError(f"config {shown}: file not found")
    if not path.is_file():
        raise ConfigError(f"config {shown}: not a regular file")
    if path.name == "pyproject.toml":
        table = _pyproject_table(path, shown)
        return parse(table or {}, f"{shown} [tool.llmsecops]")
    text = _read(path, shown)
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise ConfigError(f"config {shown}: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"config {shown}:{where}: {problem}") from None
    if data is None:
        data = {}
    return parse(data, shown)


def _read(path: Path, shown: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"config {shown}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"config {shown}: larger than {MAX_CONFIG_BYTES // 1024} KiB")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"config {shown}: not valid UTF-8") from None


def _pyproject_table(path: Path, shown: str) -> Mapping[str, Any] | None:
    try:
        data = tomllib.loads(_read(path, shown))
    except RecursionError:
        raise ConfigError(f"config {shown}: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {shown}: invalid TOML: {exc}") from None
    tool = data.get("tool", {})
    table = tool.get("llmsecops") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"config {shown}: tool.llmsecops: expected a table")
    return table


def parse(data: object, source: str) -> Config:
    """Validate a decoded mapping into a Config; raises ConfigError."""
    v = _Validator(source)
    top = v.mapping(data, "")
    v.known_keys(
        top,
        "",
        {
            "fail-on",
            "exclude",
            "max-file-size",
            "scanners",
            "rules",
            "max-token-age",
            "history",
            "dependencies",
            "profile",
            "classify",
        },
    )

    fail_on: Severity | None = Severity.HIGH
    if "fail-on" in top:
        fail_on = v.threshold(top["fail-on"], "fail-on")
    exclude = tuple(v.str_list(top.get("exclude", []), "exclude"))
    max_file_size = v.positive_int(
        top.get("max-file-size", DEFAULT_MAX_FILE_SIZE), "max-file-size", cap=MAX_FILE_SIZE_CAP
    )

    scanners: dict[str, ScannerConfig] = {name: ScannerConfig() for name in SCANNER_NAMES}
    raw_scanners = v.mapping(top.get("scanners", {}), "scanners")
    for name, raw in raw_scanners.items():
        path = f"scanners.{name}"
        if name not in SCANNER_NAMES:
            raise v.fail(path, f"unknown scanner (expected one of {', '.join(SCANNER_NAMES)})")
        table = v.mapping(raw, path)
        v.known_keys(table, path, {"enabled", "timeout", "max-memory"})
        scanners[name] = ScannerConfig(
            enabled=v.boolean(table.get("enabled", True), f"{path}.enabled"),
            timeout_s=v.positive_int(
                table.get("timeout", DEFAULT_TIMEOUT_S), f"{path}.timeout", cap=MAX_TIMEOUT_S
            ),
            max_memory_mb=v.positive_int(
                table.get("max-memory", DEFAULT_MAX_MEMORY_MB),
                f"{path}.max-memory",
                cap=MAX_MEMORY_MB,
            ),
        )

    rules: dict[str, RuleConfig] = {}
    raw_rules = v.mapping(top.get("rules", {}), "rules")
    for rule_id, raw in raw_rules.items():
        path = f"rules.{rule_id}"
        if "/" not in rule_id:
            raise ConfigError(
                f"config {source}: {path}: rule ids look like 'llmsecops/<slug>' or 'bandit/B602'"
            )
        table = v.mapping(raw, path)
        v.known_keys(table, path, {"enabled", "severity"})
        severity = None
        if "severity" in table:
            severity = v.severity(table["severity"], f"{path}.severity")
        rules[rule_id] = RuleConfig(
            enabled=v.boolean(table.get("enabled", True), f"{path}.enabled"), severity=severity
        )

    max_age = v.positive_int(top.get("max-token-age", DEFAULT_MAX_TOKEN_AGE_DAYS), "max-token-age")
    raw_history = v.mapping(top.get("history", {}), "history")
    v.known_keys(raw_history, "history", {"enabled", "since", "depth"})
    since = raw_history.get("since")
    if since is not None:
        if not isinstance(since, str):
            raise v.fail("history.since", "expected a date such as 2024-01-01")
        try:
            check_since(since)
        except ValueError as exc:
            raise v.fail("history.since", str(exc)) from None
    depth = raw_history.get("depth")
    history = HistoryConfig(
        enabled=v.boolean(raw_history.get("enabled", True), "history.enabled"),
        since=since,
        depth=v.positive_int(depth, "history.depth") if depth is not None else None,
    )
    raw_deps = v.mapping(top.get("dependencies", {}), "dependencies")
    v.known_keys(raw_deps, "dependencies", {"require-pinned"})
    dependencies = DependenciesConfig(
        require_pinned=v.boolean(
            raw_deps.get("require-pinned", False), "dependencies.require-pinned"
        )
    )
    profile = top.get("profile", "default")
    if profile not in PROFILES:
        raise v.fail("profile", f"expected one of {', '.join(PROFILES)}, got {profile!r}")
    raw_classify = v.mapping(top.get("classify", {}), "classify")
    v.known_keys(raw_classify, "classify", set(CLASSIFY_KEYS))
    classify = {
        key: tuple(v.str_list(value, f"classify.{key}")) for key, value in raw_classify.items()
    }
    return Config(
        source=source,
        fail_on=fail_on,
        exclude=exclude,
        max_file_size=max_file_size,
        scanners=scanners,
        rules=rules,
        max_token_age_days=max_age,
        history=history,
        dependencies=dependencies,
        profile=profile,
        classify=classify,
    )


def parse_threshold(text: str) -> Severity | None:
    """``--fail-on`` values: a severity, or ``none`` to never fail on findings."""
    if text.strip().lower() == "none":
        return None
    return Severity.parse(text)


class _Validator:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, problem: str) -> ConfigError:
        where = f"{path}: " if path else ""
        return ConfigError(f"config {self.source}: {where}{problem}")

    def mapping(self, value: object, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a mapping, got {_kind(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(path, f"keys must be strings, got {_shown(key)}")
        return value

    def known_keys(self, table: Mapping[str, Any], path: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                full = f"{path}.{key}" if path else key
                raise self.fail(full, f"unknown key (expected one of {', '.join(sorted(allowed))})")

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, got {_kind(value)}")
        return value

    def positive_int(self, value: object, path: str, cap: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(path, f"expected a positive integer, got {_shown(value)}")
        if cap is not None and value > cap:
            raise self.fail(path, f"at most {cap}, got {value}")
        return value

    def str_list(self, value: object, path: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(i, str) for i in value):
            raise self.fail(path, "expected a list of strings")
        return list(value)

    def severity(self, value: object, path: str) -> Severity:
        if not isinstance(value, str):
            raise self.fail(path, f"expected one of {', '.join(s.label for s in Severity)}")
        try:
            return Severity.parse(value)
        except ValueError:
            raise self.fail(
                path, f"expected one of {', '.join(s.label for s in Severity)}"
            ) from None

    def threshold(self, value: object, path: str) -> Severity | None:
        choices = ", ".join([*(s.label for s in Severity), "none"])
        if not isinstance(value, str):
            raise self.fail(path, f"expected one of {choices}")
        try:
            return parse_threshold(value)
        except ValueError:
            raise self.fail(path, f"expected one of {choices}") from None


def _shown(value: object, limit: int = 60) -> str:
    """A value for an error message: scalars as themselves (cut short),
    containers by kind, so an aliased YAML structure is never expanded."""
    if isinstance(value, list | dict | set | tuple):
        return _kind(value)
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kind(value: object) -> str:
    match value:
        case None:
            return "nothing"
        case bool():
            return "a boolean"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case list():
            return "a list"
        case dict():
            return "a mapping"
        case _:
            return type(value).__name__
