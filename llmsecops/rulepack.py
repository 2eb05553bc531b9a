"""The bundled LLM rule pack: where it lives and what its rules declare.

In a wheel the pack is ``llmsecops/_rules`` (hatch force-include); in a source
checkout it is the top-level ``rules/``. Each semgrep rule carries our
metadata; this module turns it into RuleMeta without running semgrep.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from llmsecops.errors import LlmsecopsError
from llmsecops.model import Confidence, RuleId, RuleMeta, ScannerName, Severity

_PACKAGE_DIR = Path(__file__).resolve().parent
DOCS_BASE_URL = "https://github.com/llmsecops/llmsecops/blob/main/docs/rules"
RULE_SUFFIXES = (".yml", ".yaml")


class RulePackError(LlmsecopsError):
    """The bundled rules are broken: a packaging bug, not a user error."""


def rules_dir() -> Path:
    bundled = _PACKAGE_DIR / "_rules"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / "rules"


def docs_dir() -> Path:
    bundled = _PACKAGE_DIR / "_docs" / "rules"
    if bundled.is_dir():
        return bundled
    return _PACKAGE_DIR.parent / "docs" / "rules"


def rule_files(directory: Path | None = None) -> list[Path]:
    base = directory or rules_dir()
    return sorted(p for p in base.rglob("*") if p.suffix in RULE_SUFFIXES and p.is_file())


def pack_hash(directory: Path | None = None) -> str:
    digest = hashlib.sha256()
    base = directory or rules_dir()
    for path in rule_files(base):
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Prefilter:
    """``metadata.prefilter``: one regex, or a list of regexes that must all match.

    A list lets a taint rule require text from its sources *and* from its
    sinks: a file with no sink in it can hold no finding of the rule.
    """

    patterns: tuple[re.Pattern[str], ...]

    def search(self, text: str) -> bool:
        return all(pattern.search(text) for pattern in self.patterns)


@dataclass(frozen=True)
class PackRule:
    meta: RuleMeta
    semgrep_id: str  # the id inside the YAML file
    source: Path
    languages: tuple[str, ...]
    taint: bool = False  # mode: taint, so findings are data flows
    # metadata.prefilter: the rule can only match in a file these regexes all
    # find something in; the semgrep adapter runs it on no other file.
    prefilter: Prefilter | None = field(default=None, compare=False)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


def slug(rule_id: str) -> str:
    return rule_id.split("/", 1)[1] if "/" in rule_id else rule_id


def help_uri(rule_id: str) -> str:
    return f"{DOCS_BASE_URL}/{slug(rule_id)}.md"


def doc_path(rule_id: str) -> Path:
    return docs_dir() / f"{slug(rule_id)}.md"


# libyaml when PyYAML has it: the pure-Python loader takes seconds on this pack.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LOADED: dict[tuple[object, ...], list[PackRule]] = {}
_LOCK = threading.Lock()


class ParsedStore(Protocol):
    """Where parsed rule files are kept between scans (the result cache)."""

    def get_value(self, key: str) -> str | None: ...

    def put_value(self, key: str, value: str) -> None: ...


def load(directory: Path | None = None, store: ParsedStore | None = None) -> list[PackRule]:
    """Every rule in the pack, validated; raises RulePackError on a bad rule.

    Memoized per process on the files' paths, sizes and modification times
    (a scan asks for the pack from several threads). With a ``store``, each
    file's parsed YAML is kept there as JSON, keyed by the file's content:
    parsing the pack's YAML takes about half a second, reading it back as
    JSON a few milliseconds.
    """
    files = rule_files(directory)
    key: tuple[object, ...] = tuple((str(p), *_stamp(p)) for p in files)
    with _LOCK:
        if key not in _LOADED:
            _LOADED.clear()
            _LOADED[key] = _load(files, store)
        return list(_LOADED[key])


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_size, stat.st_mtime_ns)


def _load(files: list[Path], store: ParsedStore | None) -> list[PackRule]:
    out: list[PackRule] = []
    seen: dict[str, Path] = {}
    for path in files:
        data = _parse(path, store)
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise RulePackError(f"rule file {path.name}: expected a top-level 'rules' list")
        for raw in data["rules"]:
            rule = _pack_rule(raw, path)
            if rule.meta.id in seen:
                raise RulePackError(
                    f"rule {rule.meta.id} is defined twice ({seen[rule.meta.id].name}, {path.name})"
                )
            seen[rule.meta.id] = path
            out.append(rule)
    return out


# Bump when what _parse() stores changes: entries from before are then ignored.
_STORE_FORMAT = "rule-file/1"


def _parse(path: Path, store: ParsedStore | None) -> Any:
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise RulePackError(f"rule file {path.name}: cannot load: {exc}") from None
    key = f"{_STORE_FORMAT}:{hashlib.sha256(content).hexdigest()}"
    stored = store.get_value(key) if store is not None else None
    if stored is not None:
        try:
            return json.loads(stored)
        except ValueError:
            pass  # a damaged entry: parse the file again
    try:
        data = yaml.load(content.decode("utf-8"), Loader=_Loader)  # noqa: S506 - a safe loader
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulePackError(f"rule file {path.name}: cannot load: {exc}") from None
    if store is not None:
        # YAML that JSON cannot hold (dates...) is simply parsed each time
        with contextlib.suppress(TypeError, ValueError):
            store.put_value(key, json.dumps(data))
    return data


def _pack_rule(raw: Any, path: Path) -> PackRule:
    if not isinstance(raw, dict) or "id" not in raw:
        raise RulePackError(f"rule file {path.name}: a rule without an id")
    where = f"rule file {path.name}: rule {raw['id']}"
    meta = raw.get("metadata")
    if not isinstance(meta, dict):
        raise RulePackError(f"{where}: missing metadata")
    if "paths" in raw:
        # the semgrep scanner gives each rule its files with paths: include:
        raise RulePackError(
            f"{where}: 'paths' is not allowed; the scanner chooses each rule's files"
        )
    rule_id = _text(meta, "llmsecops-id", where)
    if not rule_id.startswith("llmsecops/") or slug(rule_id) != raw["id"]:
        raise RulePackError(f"{where}: llmsecops-id must be 'llmsecops/{raw['id']}'")
    try:
        severity = Severity.parse(_text(meta, "severity", where))
        confidence = Confidence.parse(_text(meta, "confidence", where))
    except ValueError as exc:
        raise RulePackError(f"{where}: {exc}") from None
    cwe = tuple(_list(meta, "cwe", where))
    if not cwe:
        raise RulePackError(f"{where}: metadata.cwe must name at least one CWE")
    message = " ".join(str(raw.get("message", "")).split())
    rule_meta = RuleMeta(
        id=RuleId(rule_id),
        scanner=ScannerName("semgrep"),
        name=_text(meta, "name", where),
        short_description=_text(meta, "short-description", where),
        full_description=message,
        severity=severity,
        confidence=confidence,
        cwe=cwe,
        owasp_llm=tuple(_list(meta, "owasp-llm", where)),
        fix=_text(meta, "fix", where),
        help_uri=help_uri(rule_id),
        help_markdown=doc_text(rule_id),
        references=tuple(_list(meta, "references", where)),
    )
    languages = tuple(str(x) for x in raw.get("languages", []))
    return PackRule(
        meta=rule_meta,
        semgrep_id=str(raw["id"]),
        source=path,
        languages=languages,
        taint=raw.get("mode") == "taint",
        prefilter=_prefilter(meta, where),
        raw=raw,
    )


def _prefilter(meta: Mapping[str, Any], where: str) -> Prefilter | None:
    value = meta.get("prefilter")
    if value is None:
        return None
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise RulePackError(
            f"{where}: metadata.prefilter must be a non-empty regex or a list of them"
        )
    try:
        return Prefilter(tuple(re.compile(v) for v in values))
    except re.error as exc:
        raise RulePackError(f"{where}: metadata.prefilter is not a valid regex: {exc}") from None


def _text(meta: Mapping[str, Any], key: str, where: str) -> str:
    value = meta.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RulePackError(f"{where}: metadata.{key} must be a non-empty string")
    return " ".join(value.split())


def _list(meta: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = meta.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RulePackError(f"{where}: metadata.{key} must be a list of strings")
    return list(value)


def doc_text(rule_id: str) -> str:
    path = doc_path(rule_id)
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""
