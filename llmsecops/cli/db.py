"""``llmsecops db update``: fetch OSV's exports for offline dependency audits.

Also where the CLI resolves the dependency audit's inputs from flags and the
environment (the cache folder, the OSV API URL), so ``scan`` stays short.
"""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from llmsecops import config as config_mod
from llmsecops.deps import online, osv
from llmsecops.deps import update as update_mod
from llmsecops.errors import LlmsecopsError, UsageError

CACHE_ENV = "LLMSECOPS_CACHE_DIR"
OSV_API_ENV = "LLMSECOPS_OSV_API_URL"
DOWNLOAD_ENV = "LLMSECOPS_OSV_DOWNLOAD_URL"

app = typer.Typer(help="Manage the local vulnerability database.", no_args_is_help=True)


class DownloadError(LlmsecopsError):
    """The database could not be fetched: exit 3, like any unreachable data."""


def default_cache_dir() -> Path:
    """$LLMSECOPS_CACHE_DIR, else $XDG_CACHE_HOME/llmsecops, else ~/.cache/llmsecops."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "llmsecops"


def dependency_overrides(
    cfg: config_mod.Config, vuln_db: Path | None, require_pinned: bool
) -> config_mod.Config:
    """Fold --vuln-db, --require-pinned and the environment into the config."""
    deps = cfg.dependencies
    if vuln_db is not None:
        try:
            osv.check_path(vuln_db)
        except osv.DatabaseError as exc:
            raise UsageError(str(exc)) from None
        deps = replace(deps, vuln_db=str(vuln_db.resolve()))
    if require_pinned:
        deps = replace(deps, require_pinned=True)
    api = os.environ.get(OSV_API_ENV)
    if api:
        try:
            deps = replace(deps, osv_api_url=online.check_url(api))
        except online.ServiceError as exc:
            raise UsageError(f"{OSV_API_ENV}: {exc}") from None
    deps = replace(deps, cache_dir=str(default_cache_dir()))
    return replace(cfg, dependencies=deps)


@app.command("update")
def update(
    ecosystem: Annotated[
        list[str] | None,
        typer.Option(
            "--ecosystem",
            help="OSV ecosystem to download (repeatable): PyPI, npm. Default: both.",
        ),
    ] = None,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help=f"Where to keep the database (default: ${CACHE_ENV}, else "
            "$XDG_CACHE_HOME/llmsecops, else ~/.cache/llmsecops). Scans read the same place.",
        ),
    ] = None,
) -> int:
    """Download OSV's per-ecosystem exports; later scans audit offline from them."""
    try:
        ecosystems = update_mod.check_ecosystems(ecosystem or [])
    except update_mod.UpdateError as exc:
        raise UsageError(f"--ecosystem: {exc}") from None
    folder = cache_dir if cache_dir is not None else default_cache_dir()
    base = os.environ.get(DOWNLOAD_ENV) or update_mod.DEFAULT_DOWNLOAD_URL
    try:
        fetched = update_mod.update(folder, ecosystems, base_url=base, now=datetime.now(tz=UTC))
    except update_mod.UpdateError as exc:
        raise DownloadError(f"db update: {exc}") from None
    for item in fetched:
        sys.stderr.write(
            f"llmsecops: {item.ecosystem}: {item.records} advisories "
            f"({item.size / 1_000_000:.1f} MB) -> {item.path}\n"
        )
    return 0
