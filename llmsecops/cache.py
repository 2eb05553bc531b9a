"""Per-file result cache: a re-scan re-runs a per-file scanner only on files
whose content (or whose scanner, rules or settings) changed.

An entry is keyed by a SHA-256 over the llmsecops version, the scanner's
identity (its name, the program's path, size and modification time, the
installed package version, the adapter code, the rule pack hash and the
scanner's settings), the file's repo-relative path and a SHA-256 of the
file's bytes. It holds what that scanner reported for that file, encoded as
in the JSON report: findings (never a secret's value: secret findings carry
only a masked preview and a hash), the metadata of the rules they name, and
the spans to mask. Only complete runs with no notes are stored.

The store is one SQLite file under the cache folder (``--cache-dir``,
``$LLMSECOPS_CACHE_DIR``, else ``$XDG_CACHE_HOME/llmsecops``). It is safe to
delete at any time; a corrupt or unwritable store is ignored with a warning
and the scan runs without it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from llmsecops import __version__
from llmsecops.model import Finding, Redaction, RuleMeta
from llmsecops.report import json as json_report

FILE_NAME = "results-1.sqlite"
_SCANNERS_DIR = Path(__file__).resolve().parent / "scanners"
_MAX_ROWS = 200_000  # beyond this the oldest entries are dropped


@dataclass(frozen=True)
class Entry:
    """What one scanner reported for one file."""

    findings: tuple[Finding, ...] = ()
    rules: tuple[RuleMeta, ...] = ()
    redactions: tuple[Redaction, ...] = ()
    version: str = ""
    counted: bool = True  # the scanner counted the file in files_scanned


class ResultCache:
    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self.warning = ""
        self._db: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
            db.execute(
                "CREATE TABLE IF NOT EXISTS results "
                "(key TEXT PRIMARY KEY, value TEXT NOT NULL, used REAL NOT NULL)"
            )
            db.commit()
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self.warning = f"result cache disabled ({self.path}: {exc})"

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def get_many(self, keys: Sequence[str]) -> dict[str, Entry]:
        if self._db is None or not keys:
            return {}
        out: dict[str, Entry] = {}
        try:
            for start in range(0, len(keys), 500):
                part = list(keys[start : start + 500])
                marks = ",".join("?" * len(part))
                rows = self._db.execute(
                    f"SELECT key, value FROM results WHERE key IN ({marks})",  # noqa: S608 - placeholders only
                    part,
                ).fetchall()
                for key, value in rows:
                    entry = _decode(value)
                    if entry is not None:
                        out[key] = entry
        except sqlite3.Error as exc:
            self._fail(exc)
            return {}
        return out

    def put_many(self, entries: Mapping[str, Entry]) -> None:
        self.put_rows({key: _encode(entry) for key, entry in entries.items()})

    def put_rows(self, rows: Mapping[str, str]) -> None:
        if self._db is None or not rows:
            return
        now = time.time()
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO results (key, value, used) VALUES (?, ?, ?)",
                    [(key, value, now) for key, value in rows.items()],
                )
                (count,) = self._db.execute("SELECT COUNT(*) FROM results").fetchone()
                if count > _MAX_ROWS:
                    self._db.execute(
                        "DELETE FROM results WHERE key IN "
                        "(SELECT key FROM results ORDER BY used LIMIT ?)",
                        (count - _MAX_ROWS,),
                    )
        except sqlite3.Error as exc:
            self._fail(exc)

    def get_value(self, key: str) -> str | None:
        """A stored text value (not a per-file entry), or None."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._fail(exc)
            return None
        return None if row is None else str(row[0])

    def put_value(self, key: str, value: str) -> None:
        self.put_rows({key: value})

    def _fail(self, exc: sqlite3.Error) -> None:
        self.warning = f"result cache disabled ({self.path}: {exc})"
        self.close()


def file_key(identity: str, path: str, content: bytes) -> str:
    digest = hashlib.sha256()
    for part in (identity, path, hashlib.sha256(content).hexdigest()):
        digest.update(part.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    return digest.hexdigest()


def scanner_identity(name: str, program: str | None, parts: Iterable[str]) -> str:
    """Everything besides the file that decides what a scanner reports for it."""
    fields = [__version__, name, _adapter_code_hash()]
    if program:
        try:
            stat = Path(program).resolve().stat()
            fields += [str(Path(program).resolve()), str(stat.st_size), str(stat.st_mtime_ns)]
        except OSError:
            fields.append(program)
    fields.append(_package_version(name))
    fields.extend(parts)
    return hashlib.sha256("\0".join(fields).encode("utf-8", "surrogateescape")).hexdigest()


def _package_version(name: str) -> str:
    dist = {"secrets": "detect-secrets"}.get(name, name)
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return ""


_CODE_HASH: list[str] = []


def _adapter_code_hash() -> str:
    if not _CODE_HASH:
        digest = hashlib.sha256()
        for path in sorted(_SCANNERS_DIR.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _CODE_HASH.append(digest.hexdigest())
    return _CODE_HASH[0]


def _encode(entry: Entry) -> str:
    return json.dumps(
        {
            "version": entry.version,
            "findings": [json_report.finding_to_dict(f) for f in entry.findings],
            "rules": [json_report.rule_to_dict(r) for r in entry.rules],
            "redactions": [
                [r.path, r.line, r.start_column, r.end_column] for r in entry.redactions
            ],
            "counted": entry.counted,
        },
        separators=(",", ":"),
    )


def _decode(value: str) -> Entry | None:
    try:
        data: Any = json.loads(value)
        return Entry(
            findings=tuple(json_report.finding_from_dict(f) for f in data["findings"]),
            rules=tuple(json_report.rule_from_dict(r) for r in data["rules"]),
            redactions=tuple(
                Redaction(str(p), int(line), int(a), int(b)) for p, line, a, b in data["redactions"]
            ),
            version=str(data.get("version", "")),
            counted=bool(data.get("counted", True)),
        )
    except (ValueError, KeyError, TypeError):
        return None  # an entry from an older layout: treated as a miss
