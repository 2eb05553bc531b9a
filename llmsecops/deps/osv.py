"""OSV advisories: matching a package version against a record, merging
aliases, scoring severity, and the local database (a folder of OSV JSON
records, or the per-ecosystem ``all.zip`` OSV publishes, or several of them).

Matching follows the OSV schema: a version is affected if it is listed in
``versions`` or falls inside an ECOSYSTEM/SEMVER range, where ``introduced``
opens an interval and ``fixed`` (exclusive) or ``last_affected`` (inclusive)
closes it. Withdrawn records are ignored.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llmsecops.deps import versions
from llmsecops.model import Severity

ECOSYSTEMS: tuple[str, ...] = ("PyPI", "npm")
MAX_RECORD_BYTES = 8 * 1024 * 1024
META_FILE = "llmsecops-db.json"  # written by `db update` beside the zips


class DatabaseError(Exception):
    """The database as a whole cannot be used (missing, not a zip, no records)."""


@dataclass(frozen=True)
class Advisory:
    """The parts of an OSV record an audit needs; ``raw`` is the record."""

    id: str
    aliases: tuple[str, ...]
    summary: str
    modified: str
    withdrawn: bool
    raw: Mapping[str, Any] = field(repr=False, compare=False, hash=False)


@dataclass(frozen=True)
class Match:
    advisory: Advisory
    fixed: tuple[str, ...]  # versions that fix the affected range(s) this version is in
    last_affected: tuple[str, ...]


def parse_advisory(data: object) -> Advisory:
    """Validate the outline of one OSV record; raises ValueError naming the field."""
    if not isinstance(data, dict):
        raise ValueError("record is not a JSON object")
    vid = data.get("id")
    if not isinstance(vid, str) or not vid:
        raise ValueError("record has no 'id'")
    affected = data.get("affected", [])
    if not isinstance(affected, list):
        raise ValueError(f"{vid}: 'affected' is not a list")
    aliases = data.get("aliases") or []
    if not isinstance(aliases, list):
        raise ValueError(f"{vid}: 'aliases' is not a list")
    return Advisory(
        id=vid,
        aliases=tuple(str(a) for a in aliases if a and a != vid),
        summary=str(data.get("summary") or ""),
        modified=str(data.get("modified") or ""),
        withdrawn=bool(data.get("withdrawn")),
        raw=data,
    )


def packages(advisory: Advisory) -> Iterator[tuple[str, str]]:
    """(ecosystem, canonical name) of every package the record affects."""
    for entry in advisory.raw.get("affected", []):
        pkg = entry.get("package") if isinstance(entry, dict) else None
        if isinstance(pkg, dict):
            eco, name = pkg.get("ecosystem"), pkg.get("name")
            if isinstance(eco, str) and isinstance(name, str):
                eco = eco.split(":", 1)[0]
                yield eco, versions.canonical_name(eco, name)


def match(advisory: Advisory, ecosystem: str, name: str, version: str) -> Match | None:
    """Whether ``name`` at ``version`` is affected, with the versions that fix it."""
    if advisory.withdrawn:
        return None
    canonical = versions.canonical_name(ecosystem, name)
    hit = False
    fixed: list[str] = []
    last: list[str] = []
    for entry in advisory.raw.get("affected", []):
        if not isinstance(entry, dict):
            continue
        pkg = entry.get("package") or {}
        if not isinstance(pkg, dict):
            continue
        eco = str(pkg.get("ecosystem", "")).split(":", 1)[0]
        if eco != ecosystem or versions.canonical_name(eco, str(pkg.get("name", ""))) != canonical:
            continue
        listed = entry.get("versions") or []
        if isinstance(listed, list) and version in listed:
            hit = True
        for rng in entry.get("ranges") or []:
            if not isinstance(rng, dict):
                continue
            outcome = _in_range(rng, ecosystem, version)
            if outcome is not None:
                hit = True
                fixed += outcome[0]
                last += outcome[1]
    if not hit:
        return None
    return Match(advisory, tuple(dict.fromkeys(fixed)), tuple(dict.fromkeys(last)))


def _in_range(
    rng: Mapping[str, Any], ecosystem: str, version: str
) -> tuple[list[str], list[str]] | None:
    """None if ``version`` is outside the range; else the range's fixes and
    last-affected versions above it."""
    key = versions.key_function(ecosystem, str(rng.get("type", "")))
    events = rng.get("events")
    if key is None or not isinstance(events, list):
        return None
    try:
        target = key(version)
        keyed: list[tuple[Any, int, str, str]] = []
        for event in events:
            if not isinstance(event, dict) or len(event) != 1:
                continue
            ((kind, value),) = event.items()
            if kind not in ("introduced", "fixed", "last_affected") or not isinstance(value, str):
                continue  # "limit" bounds GIT ranges only
            if kind == "introduced" and value == versions.ZERO:
                keyed.append((None, 0, kind, value))
            else:
                keyed.append((key(value), 1, kind, value))
    except versions.VersionError:
        return None
    # "introduced: 0" first, then by version; at equal versions the event
    # that closes an interval comes before one that opens the next.
    keyed.sort(key=lambda e: (e[1], e[0] if e[0] is not None else 0, e[2] == "introduced"))
    affected = False
    for k, _, kind, _ in keyed:
        if kind == "introduced" and (k is None or target >= k):
            affected = True
        elif (kind == "fixed" and target >= k) or (kind == "last_affected" and target > k):
            affected = False
    if not affected:
        return None
    fixes = [v for k, _, kind, v in keyed if kind == "fixed" and k > target]
    lasts = [v for k, _, kind, v in keyed if kind == "last_affected" and k >= target]
    return fixes[:1], lasts[:1]


# --- severity ---------------------------------------------------------------

_GHSA_LEVELS = {
    "CRITICAL": Severity.CRITICAL,
    "HIGH": Severity.HIGH,
    "MODERATE": Severity.MEDIUM,
    "MEDIUM": Severity.MEDIUM,
    "LOW": Severity.LOW,
}


def band(score: float) -> Severity:
    """CVSS qualitative bands (v3/v4): 9.0+ critical, 7.0+ high, 4.0+ medium, else low."""
    if score >= 9.0:
        return Severity.CRITICAL
    if score >= 7.0:
        return Severity.HIGH
    if score >= 4.0:
        return Severity.MEDIUM
    return Severity.LOW


def cvss_score(vector: str) -> float | None:
    """Base score of a CVSS v2/v3.x/v4 vector, or None if it does not parse."""
    # The maintained `cvss` library scores all three versions, including
    # v4's lookup tables, which are not worth re-implementing here.
    import cvss

    try:
        if vector.startswith("CVSS:4"):
            return float(cvss.CVSS4(vector).base_score)
        if vector.startswith("CVSS:3"):
            return float(cvss.CVSS3(vector).base_score)
        return float(cvss.CVSS2(vector).base_score)
    except Exception:  # the library raises several unrelated types for bad vectors
        return None


@dataclass(frozen=True)
class Scored:
    severity: Severity | None
    source: str  # "CVSS:3.1/... (9.8)" or "database_specific: HIGH"; "" if unscored


def severity_of(advisory: Advisory) -> Scored:
    """The highest CVSS base score among the record's vectors, else its
    database-specific level (GHSA's LOW/MODERATE/HIGH/CRITICAL)."""
    best: tuple[float, str] | None = None
    for item in advisory.raw.get("severity") or []:
        if isinstance(item, dict) and isinstance(item.get("score"), str):
            vector = item["score"]
            score = cvss_score(vector)
            if score is not None and (best is None or score > best[0]):
                best = (score, vector)
    if best is not None:
        return Scored(band(best[0]), f"{best[1]} ({best[0]:g})")
    specific = advisory.raw.get("database_specific")
    if isinstance(specific, dict) and isinstance(specific.get("severity"), str):
        level = _GHSA_LEVELS.get(specific["severity"].upper())
        if level is not None:
            return Scored(level, f"database_specific: {specific['severity']}")
    return Scored(None, "")


# --- aliases ----------------------------------------------------------------


def _preference(ecosystem: str, vid: str) -> tuple[int, str]:
    """Which id names a merged finding: the ecosystem's own database first
    (PYSEC for PyPI, as pip-audit reports it, so online and offline scans
    agree on rule ids), then GHSA, then anything but a bare CVE."""
    order = ("PYSEC-", "GHSA-") if ecosystem == "PyPI" else ("GHSA-",)
    for rank, prefix in enumerate(order):
        if vid.startswith(prefix):
            return (rank, vid)
    return (len(order) + (1 if vid.startswith("CVE-") else 0), vid)


@dataclass(frozen=True)
class Merged:
    """Records that describe one vulnerability (linked through aliases)."""

    primary: str
    aliases: tuple[str, ...]
    matches: tuple[Match, ...]

    @property
    def fixed(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for m in self.matches for v in m.fixed))

    @property
    def last_affected(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for m in self.matches for v in m.last_affected))

    def severity(self) -> Scored:
        scored = [severity_of(m.advisory) for m in self.matches]
        rated = [s for s in scored if s.severity is not None]
        if not rated:
            return Scored(None, "")
        return max(rated, key=lambda s: s.severity or Severity.INFO)

    @property
    def summary(self) -> str:
        return next((m.advisory.summary for m in self.matches if m.advisory.summary), "")


def merge(ecosystem: str, matches: Sequence[Match]) -> list[Merged]:
    """Group matches whose ids or aliases overlap; one group is one finding."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for m in matches:
        for alias in m.advisory.aliases:
            parent[find(alias)] = find(m.advisory.id)
    groups: dict[str, list[Match]] = {}
    for m in matches:
        groups.setdefault(find(m.advisory.id), []).append(m)
    out: list[Merged] = []
    for members in groups.values():
        ids = {m.advisory.id for m in members} | {a for m in members for a in m.advisory.aliases}
        primary = min(ids, key=lambda i: _preference(ecosystem, i))
        out.append(Merged(primary, tuple(sorted(ids - {primary})), tuple(members)))
    return sorted(out, key=lambda g: g.primary)


# --- the local database -----------------------------------------------------


@dataclass(frozen=True)
class Database:
    """Advisories indexed by (ecosystem, canonical package name)."""

    source: str  # what to show: the path(s) it was read from
    index: Mapping[tuple[str, str], tuple[Advisory, ...]]
    ecosystems: frozenset[str]
    records: int
    withdrawn: int
    newest: str  # the newest 'modified' timestamp: how current the data is
    downloaded: str = ""  # from `db update`'s metadata, if any
    problems: tuple[str, ...] = ()  # "where: what" for records that could not be read

    def advisories(self, ecosystem: str, name: str) -> tuple[Advisory, ...]:
        return self.index.get((ecosystem, versions.canonical_name(ecosystem, name)), ())

    def lookup(self, ecosystem: str, name: str, version: str) -> list[Merged]:
        found = [
            m
            for a in self.advisories(ecosystem, name)
            if (m := match(a, ecosystem, name, version)) is not None
        ]
        return merge(ecosystem, found)

    @property
    def date(self) -> str:
        return self.newest[:10] if self.newest else "unknown"

    def describe(self) -> str:
        ecos = ", ".join(sorted(self.ecosystems)) or "no ecosystems"
        fetched = f", downloaded {self.downloaded[:10]}" if self.downloaded else ""
        return (
            f"vulnerability database {self.source} ({ecos}; {self.records} advisories, "
            f"newest record {self.date}{fetched})"
        )


def check_path(path: Path) -> None:
    """Cheap validation for --vuln-db: a folder with JSON records, or a zip."""
    if not path.exists():
        raise DatabaseError(f"--vuln-db {path}: no such file or directory")
    if path.is_dir():
        if next(iter(_json_files(path)), None) is None and not any(path.glob("*.zip")):
            raise DatabaseError(f"--vuln-db {path}: folder holds no OSV .json records or zips")
        return
    if not zipfile.is_zipfile(path):
        raise DatabaseError(f"--vuln-db {path}: not a folder of OSV records or an OSV zip")
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise DatabaseError(f"--vuln-db {path}: unreadable zip: {exc}") from None
    if not any(n.endswith(".json") for n in names):
        raise DatabaseError(f"--vuln-db {path}: zip holds no OSV .json records")


def _json_files(folder: Path) -> Iterator[Path]:
    for p in sorted(folder.rglob("*.json")):
        if p.is_file() and not p.is_symlink() and p.name != META_FILE:
            yield p


def _read_sources(path: Path) -> Iterator[tuple[str, bytes | None, str]]:
    """(where, bytes or None, problem) for every record file under ``path``."""
    if path.is_dir():
        zips = sorted(p for p in path.glob("*.zip") if p.is_file())
        for z in zips:
            yield from _read_zip(z)
        for p in _json_files(path):
            try:
                if p.stat().st_size > MAX_RECORD_BYTES:
                    yield str(p), None, "record larger than 8 MiB"
                    continue
                yield str(p), p.read_bytes(), ""
            except OSError as exc:
                yield str(p), None, f"cannot read: {exc.strerror}"
    else:
        yield from _read_zip(path)


def _read_zip(path: Path) -> Iterator[tuple[str, bytes | None, str]]:
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir() or not info.filename.endswith(".json"):
                    continue
                where = f"{path.name}:{info.filename}"
                if info.file_size > MAX_RECORD_BYTES:
                    yield where, None, "record larger than 8 MiB"
                    continue
                try:
                    yield where, zf.read(info), ""
                except (zipfile.BadZipFile, OSError, ValueError) as exc:
                    yield where, None, f"unreadable member: {exc}"
    except (zipfile.BadZipFile, OSError) as exc:
        yield str(path), None, f"unreadable zip: {exc}"


_NAME_FIELD = re.compile(rb'"name"\s*:\s*"((?:[^"\\]|\\.)*)"')
_ECOSYSTEM_FIELD = re.compile(rb'"ecosystem"\s*:\s*"([^":]*)')
_MODIFIED_FIELD = re.compile(rb'"modified"\s*:\s*"([^"]*)"')


def load(paths: Iterable[Path], wanted: Mapping[str, Iterable[str]] | None = None) -> Database:
    """Read every record under ``paths``; broken records are counted, not fatal.

    ``wanted`` (ecosystem -> package names) limits which records are decoded:
    a record that names none of them is only counted, which is what keeps a
    whole-ecosystem export fast to audit. Raises DatabaseError only if
    nothing usable was found."""
    want: dict[str, set[str]] | None = None
    if wanted is not None:
        want = {
            eco: {versions.canonical_name(eco, n) for n in names} for eco, names in wanted.items()
        }
    index: dict[tuple[str, str], list[Advisory]] = {}
    seen_ecosystems: set[str] = set()
    problems: list[str] = []
    records = withdrawn = 0
    newest = ""
    downloaded: list[str] = []
    shown: list[str] = []
    for path in paths:
        shown.append(str(path))
        downloaded += _downloaded(path)
        for where, raw, problem in _read_sources(path):
            if raw is None:
                problems.append(f"{where}: {problem}")
                continue
            if want is not None and not _may_concern(raw, want):
                ecos = {e.decode("utf-8", "replace") for e in _ECOSYSTEM_FIELD.findall(raw)}
                modified = _MODIFIED_FIELD.search(raw)
                if ecos and modified:  # looks like a record: count it without decoding it
                    records += 1
                    seen_ecosystems |= ecos & set(ECOSYSTEMS)
                    newest = max(newest, modified.group(1).decode("utf-8", "replace"))
                    continue
            try:
                advisory = parse_advisory(json.loads(raw))
            except (ValueError, UnicodeDecodeError) as exc:
                reason = "not valid JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
                problems.append(f"{where}: {reason}")
                continue
            records += 1
            newest = max(newest, advisory.modified)
            if advisory.withdrawn:
                withdrawn += 1
            for eco, name in set(packages(advisory)):
                if eco in ECOSYSTEMS:
                    seen_ecosystems.add(eco)
                if not advisory.withdrawn and (want is None or eco in want):
                    index.setdefault((eco, name), []).append(advisory)
    if records == 0:
        where = ", ".join(shown) or "(nothing)"
        first = f": {problems[0]}" if problems else ""
        raise DatabaseError(f"vulnerability database {where}: no readable OSV records{first}")
    return Database(
        source=", ".join(shown),
        index={k: tuple(v) for k, v in index.items()},
        ecosystems=frozenset(seen_ecosystems),
        records=records,
        withdrawn=withdrawn,
        newest=newest,
        downloaded=min(downloaded) if downloaded else "",
        problems=tuple(problems),
    )


def _may_concern(raw: bytes, want: Mapping[str, set[str]]) -> bool:
    """A cheap superset test: does any "name" field name a wanted package?"""
    for found in _NAME_FIELD.findall(raw):
        text = found.decode("utf-8", "replace")
        for eco, names in want.items():
            if versions.canonical_name(eco, text) in names:
                return True
    return False


def _downloaded(path: Path) -> list[str]:
    meta = (path if path.is_dir() else path.parent) / META_FILE
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict):
        return []
    return [
        str(v["downloaded"])
        for v in data.values()
        if isinstance(v, dict) and isinstance(v.get("downloaded"), str)
    ]


def cached_database_paths(cache_dir: Path) -> list[Path]:
    """The zips `db update` left in ``cache_dir`` (as one database)."""
    folder = cache_dir / "osv"
    if not folder.is_dir():
        return []
    return [folder] if any(p.is_file() for p in folder.glob("*.zip")) else []
