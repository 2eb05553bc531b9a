"""``db update``: download OSV's per-ecosystem exports into the cache folder
that later scans read automatically.

Each ecosystem's ``all.zip`` is downloaded to a temporary file, checked
(a zip of OSV JSON records), then moved into place, so an interrupted
download never replaces a good database with a broken one. The metadata
file records when each export was fetched: the date every scan reports.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from llmsecops.deps.osv import ECOSYSTEMS, META_FILE

DEFAULT_DOWNLOAD_URL = "https://osv-vulnerabilities.storage.googleapis.com"
CHUNK = 1024 * 1024


class UpdateError(Exception):
    pass


@dataclass(frozen=True)
class Downloaded:
    ecosystem: str
    path: Path
    records: int
    size: int


def check_ecosystems(names: Sequence[str]) -> tuple[str, ...]:
    """Ecosystem names as OSV spells them (case-insensitive input)."""
    known = {e.lower(): e for e in ECOSYSTEMS}
    out: list[str] = []
    for name in names:
        if name.lower() not in known:
            raise UpdateError(
                f"unknown ecosystem {name!r} (expected one of {', '.join(ECOSYSTEMS)})"
            )
        out.append(known[name.lower()])
    return tuple(dict.fromkeys(out)) or ECOSYSTEMS


def update(
    cache_dir: Path,
    ecosystems: Sequence[str],
    *,
    base_url: str,
    now: datetime,
    timeout_s: float = 120,
) -> list[Downloaded]:
    base = base_url.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise UpdateError(f"download URL {base!r} is not http(s)")
    folder = cache_dir / "osv"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UpdateError(f"cache folder {folder}: {exc.strerror}") from None
    done: list[Downloaded] = []
    for ecosystem in ecosystems:
        url = f"{base}/{urllib.parse.quote(ecosystem)}/all.zip"
        done.append(_fetch(url, folder, ecosystem, timeout_s))
    _write_meta(folder, done, base, now)
    return done


def _fetch(url: str, folder: Path, ecosystem: str, timeout_s: float) -> Downloaded:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{ecosystem}-", suffix=".zip.part", dir=folder)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "llmsecops"})  # noqa: S310
            with (
                urllib.request.urlopen(request, timeout=timeout_s) as response,  # noqa: S310
                os.fdopen(fd, "wb") as out,
            ):
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
        except urllib.error.HTTPError as exc:
            raise UpdateError(f"download {url}: HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise UpdateError(f"download {url}: {getattr(exc, 'reason', exc)}") from None
        records = _count_records(tmp, url)
        target = folder / f"{ecosystem}.zip"
        os.replace(tmp, target)
        return Downloaded(ecosystem, target, records, size)
    finally:
        tmp.unlink(missing_ok=True)


def _count_records(path: Path, url: str) -> int:
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            names = [n for n in zf.namelist() if n.endswith(".json")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise UpdateError(f"download {url}: not a zip: {exc}") from None
    if bad is not None:
        raise UpdateError(f"download {url}: corrupt member {bad}")
    if not names:
        raise UpdateError(f"download {url}: the zip holds no OSV records")
    return len(names)


def _write_meta(folder: Path, done: Sequence[Downloaded], base: str, now: datetime) -> None:
    meta_path = folder / META_FILE
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if not isinstance(meta, dict):
            meta = {}
    except (OSError, ValueError):
        meta = {}
    for d in done:
        meta[d.ecosystem] = {
            "downloaded": now.isoformat(timespec="seconds"),
            "url": f"{base}/{d.ecosystem}/all.zip",
            "records": d.records,
            "bytes": d.size,
        }
    tmp = meta_path.with_suffix(".json.part")
    tmp.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, meta_path)
