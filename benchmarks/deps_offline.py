"""Offline dependency-audit cost: a 500-package lock file against a local OSV
database the size of a real ecosystem export.

``python -m benchmarks.deps_offline [--packages 500] [--records 20000]``
builds a synthetic ``poetry.lock`` and ``package-lock.json`` and an OSV zip
(records shaped like real ones: ranges, aliases, CVSS, a versions list),
then times the audit as the scanner runs it: parse the lock file, load the
database (only records naming a locked package are decoded), match every
package. Timing lives here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
import zipfile
from pathlib import Path

from llmsecops.deps import manifests, osv
from llmsecops.scanners.dependencies import Report, audit_offline


def make_record(i: int, eco: str, name: str, rng: random.Random) -> dict[str, object]:
    fixed = f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    return {
        "schema_version": "1.6.0",
        "id": f"GHSA-synt-{i:04x}-{i % 9973:04x}",
        "modified": f"2025-0{1 + i % 9}-1{i % 9}T00:00:00Z",
        "published": "2024-01-01T00:00:00Z",
        "aliases": [f"CVE-2024-{10000 + i}"],
        "summary": f"Synthetic advisory {i} for {name}",
        "details": "x" * 600,
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [
            {
                "package": {"ecosystem": eco, "name": name},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}
                ],
                "versions": [f"0.{k}.0" for k in range(30)],
            }
        ],
        "database_specific": {"severity": "HIGH"},
    }


def build(tmp: Path, packages: int, records: int) -> tuple[Path, Path, Path]:
    rng = random.Random(7)  # noqa: S311 - reproducible test data
    names = [f"pkg-{i}" for i in range(packages)]
    versions = [f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}" for _ in names]
    poetry = tmp / "poetry.lock"
    poetry.write_text(
        "".join(
            f'[[package]]\nname = "{n}"\nversion = "{v}"\n\n'
            for n, v in zip(names, versions, strict=True)
        )
    )
    npm = tmp / "package-lock.json"
    npm.write_text(
        json.dumps(
            {
                "lockfileVersion": 3,
                "packages": {
                    "": {"name": "app"},
                    **{
                        f"node_modules/{n}": {"version": v}
                        for n, v in zip(names, versions, strict=True)
                    },
                },
            },
            indent=2,
        )
    )
    db = tmp / "PyPI.zip"
    with zipfile.ZipFile(db, "w", zipfile.ZIP_DEFLATED) as zf:
        for i in range(records):
            # A tenth of the records concern locked packages; the rest, others.
            name = names[i % packages] if i % 10 == 0 else f"other-{i}"
            eco = "PyPI" if (i // 10) % 2 == 0 else "npm"
            rec = make_record(i, eco, name, rng)
            zf.writestr(f"{rec['id']}.json", json.dumps(rec, indent=2))
    return poetry, npm, db


def audit(lock: Path, kind: manifests.Kind, db_path: Path) -> tuple[float, float, int]:
    start = time.perf_counter()
    parsed = manifests.parse(lock.name, lock.read_text(), kind)
    deps = [d for d in parsed.dependencies if d.pinned]
    wanted: dict[str, set[str]] = {}
    for d in deps:
        wanted.setdefault(d.ecosystem, set()).add(d.name)
    db = osv.load([db_path], wanted=wanted)
    loaded = time.perf_counter()
    report = Report()
    audit_offline(db, deps, report, "bench")
    end = time.perf_counter()
    return loaded - start, end - loaded, len(report.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packages", type=int, default=500)
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        poetry, npm, db = build(Path(tmp), args.packages, args.records)
        size = db.stat().st_size / 1e6
        print(  # noqa: T201
            f"database: {args.records} records, {size:.1f} MB zip; lock: {args.packages} packages"
        )
        for lock, kind in (
            (poetry, manifests.Kind.POETRY_LOCK),
            (npm, manifests.Kind.PACKAGE_LOCK),
        ):
            runs = [audit(lock, kind, db) for _ in range(args.repeat)]
            load = statistics.median(r[0] for r in runs)
            match = statistics.median(r[1] for r in runs)
            print(  # noqa: T201
                f"{lock.name}: parse+load {load:.2f}s, match {match * 1000:.0f} ms, "
                f"total {load + match:.2f}s, {runs[0][2]} findings (median of {args.repeat})"
            )


if __name__ == "__main__":
    main()
