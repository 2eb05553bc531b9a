"""``llmsecops scan``: build a request, run the engine, render, map to an exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from llmsecops import baseline, engine
from llmsecops import config as config_mod
from llmsecops import profile as profile_mod
from llmsecops.cli import db
from llmsecops.cli.output import (
    ExitZeroOption,
    HtmlOption,
    JsonOption,
    MarkdownOption,
    QuietOption,
    SarifCategoryOption,
    SarifOption,
    report_outputs,
    write_outputs,
)
from llmsecops.cli.progress import Progress
from llmsecops.errors import ExitCode, UsageError
from llmsecops.model import ScanResult
from llmsecops.report import console, sarif
from llmsecops.scanners import default_scanners
from llmsecops.workspace import resolve_targets

FAIL_ON_HELP = (
    "Exit 1 if a finding is at or above this severity: critical, high, medium, low, info, "
    "or none. Default: high, or fail-on in the config."
)
ONLY_HELP = "Run only these scanners (comma-separated): bandit, semgrep, secrets, dependencies."
CONFIG_HELP = (
    "Configuration file (default: .llmsecops.yml, or [tool.llmsecops] in pyproject.toml, "
    "at the scan root)."
)
HISTORY_SINCE_HELP = (
    "Read git history for token age only from this date on (e.g. 2024-01-01 or '1 year ago')."
)
HISTORY_DEPTH_HELP = "Read at most this many commits of git history for token age."
NO_HISTORY_HELP = "Do not read git history (no unrotated or leaked token checks)."
VULN_DB_HELP = (
    "Audit dependencies offline against this OSV database: a folder of OSV JSON records "
    "or an OSV ecosystem zip (default: the cache 'llmsecops db update' fills, if any)."
)
REQUIRE_PINNED_HELP = (
    "Report unpinned dependencies (deps/unpinned) as high instead of low, so they fail "
    "the build at the default --fail-on high."
)
DIFF_BASE_HELP = (
    "Report only findings on lines added or changed since the merge base of this ref and "
    "HEAD (a PR scan); dependency findings only for changed manifest lines."
)
BASELINE_HELP = (
    "A baseline from 'llmsecops baseline create': findings recorded there are reported as "
    "baselined and do not count for --fail-on."
)
SHARD_HELP = (
    "Scan only shard K of N (e.g. 2/4): files are split by a hash of their path, so N jobs "
    "share the work; combine their --json outputs with 'llmsecops merge'."
)
CACHE_DIR_HELP = (
    "Folder of the per-file result cache (default: $LLMSECOPS_CACHE_DIR, else "
    "$XDG_CACHE_HOME/llmsecops or ~/.cache/llmsecops). Safe to delete."
)
NO_CACHE_HELP = "Do not read or write the result cache: scan every file afresh."
PROFILE_HELP = (
    "default: suppress near-certain noise (hygiene rules in tests and examples, generated "
    "files, fake and uncorroborated secrets), counted and listed by --show-suppressed; "
    "audit: show everything; strict: suppress only test/example/generated noise and fail "
    "on medium. Default: profile in the config, else default."
)
SHOW_SUPPRESSED_HELP = "List suppressed findings (inline, baseline, profile) on the console."
OFFLINE_HELP = (
    "Do not contact vulnerability services; the dependency audit is skipped with a notice."
)


def scan(
    targets: Annotated[
        list[Path] | None,
        typer.Argument(
            help="A directory to scan (default: the current directory), or files to scan "
            "(as pre-commit passes them).",
            show_default=False,
        ),
    ] = None,
    sarif_file: SarifOption = None,
    json_file: JsonOption = None,
    html_file: HtmlOption = None,
    markdown_file: MarkdownOption = None,
    sarif_category: SarifCategoryOption = None,
    fail_on: Annotated[
        str | None, typer.Option("--fail-on", help=FAIL_ON_HELP, show_default=False)
    ] = None,
    exit_zero: ExitZeroOption = False,
    only: Annotated[str | None, typer.Option("--only", help=ONLY_HELP)] = None,
    skip: Annotated[
        str | None, typer.Option("--skip", help="Do not run these scanners (comma-separated).")
    ] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help=CONFIG_HELP)] = None,
    offline: Annotated[bool, typer.Option("--offline", help=OFFLINE_HELP)] = False,
    vuln_db: Annotated[Path | None, typer.Option("--vuln-db", help=VULN_DB_HELP)] = None,
    require_pinned: Annotated[
        bool, typer.Option("--require-pinned", help=REQUIRE_PINNED_HELP)
    ] = False,
    no_progress: Annotated[
        bool, typer.Option("--no-progress", help="Do not show progress on stderr.")
    ] = False,
    quiet: QuietOption = False,
    history_since: Annotated[
        str | None, typer.Option("--history-since", help=HISTORY_SINCE_HELP)
    ] = None,
    history_depth: Annotated[
        int | None, typer.Option("--history-depth", min=1, help=HISTORY_DEPTH_HELP)
    ] = None,
    no_history: Annotated[bool, typer.Option("--no-history", help=NO_HISTORY_HELP)] = False,
    baseline_file: Annotated[Path | None, typer.Option("--baseline", help=BASELINE_HELP)] = None,
    diff_base: Annotated[str | None, typer.Option("--diff-base", help=DIFF_BASE_HELP)] = None,
    shard: Annotated[str | None, typer.Option("--shard", help=SHARD_HELP)] = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", help=CACHE_DIR_HELP)] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
    profile: Annotated[
        str | None, typer.Option("--profile", help=PROFILE_HELP, show_default=False)
    ] = None,
    show_suppressed: Annotated[
        bool, typer.Option("--show-suppressed", help=SHOW_SUPPRESSED_HELP)
    ] = False,
) -> int:
    """Scan a repository with every scanner and write the reports asked for."""
    root, explicit = resolve_targets(list(targets or []), Path.cwd())
    cfg = config_mod.discover(root, config_file)
    threshold = cfg.fail_on
    if fail_on is not None:
        try:
            threshold = config_mod.parse_threshold(fail_on)
        except ValueError as exc:
            raise UsageError(f"--fail-on: {exc}") from None
    if profile is not None:
        try:
            cfg = replace(cfg, profile=profile_mod.Profile.parse(profile).value)
        except ValueError as exc:
            raise UsageError(f"--profile: {exc}") from None
    threshold = profile_mod.fail_on(
        profile_mod.Profile.parse(cfg.profile), threshold, explicit=fail_on is not None
    )
    cfg = _history_overrides(cfg, history_since, history_depth, no_history)
    cfg = db.dependency_overrides(cfg, vuln_db, require_pinned)
    outputs = report_outputs(
        sarif=sarif_file,
        json_file=json_file,
        html_file=html_file,
        markdown_file=markdown_file,
        category=sarif_category,
    )
    request = engine.ScanRequest(
        root=root,
        config=cfg,
        explicit_files=explicit,
        only=_names(only),
        skip=_names(skip),
        offline=offline,
        fail_on=threshold,
        now=datetime.now(tz=UTC),
        baseline=baseline.load(baseline_file) if baseline_file else frozenset(),
        diff_base=diff_base,
        shard=parse_shard(shard) if shard is not None else None,
        cache_dir=None if no_cache else (cache_dir or db.default_cache_dir()),
    )
    show_progress = not no_progress and not quiet
    with Progress(sys.stderr, enabled=show_progress) as progress:
        result = engine.scan(request, default_scanners(), on_progress=progress.update)
    write_outputs(outputs, result)
    if sarif_file and (warning := sarif.limit_warning(result)):
        sys.stderr.write(f"llmsecops: warning: {warning}\n")
    if not quiet:
        color = sys.stderr.isatty() and "NO_COLOR" not in os.environ
        sys.stderr.write(
            console.render(result, color=color, width=_width(), show_suppressed=show_suppressed)
        )
    return int(exit_code(result, exit_zero=exit_zero))


def _history_overrides(
    cfg: config_mod.Config, since: str | None, depth: int | None, disabled: bool
) -> config_mod.Config:
    history = cfg.history
    if since is not None:
        try:
            history = replace(history, since=config_mod.check_since(since))
        except ValueError as exc:
            raise UsageError(f"--history-since: {exc}") from None
    if depth is not None:
        history = replace(history, depth=depth)
    if disabled:
        history = replace(history, enabled=False)
    return replace(cfg, history=history)


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' -> (K, N), 1 <= K <= N."""
    head, sep, tail = text.partition("/")
    try:
        k, n = int(head), int(tail)
    except ValueError:
        k = n = 0
    if not sep or n < 1 or not 1 <= k <= n:
        raise UsageError(f"--shard: expected K/N with 1 <= K <= N (e.g. 1/4), got {text!r}")
    return k, n


def exit_code(result: ScanResult, *, exit_zero: bool) -> ExitCode:
    if not result.complete:
        return ExitCode.INCOMPLETE
    if result.blocking() and not exit_zero:
        return ExitCode.FINDINGS
    return ExitCode.OK


def _names(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    return tuple(n.strip().lower() for n in text.split(",") if n.strip())


def _width() -> int:
    try:
        return max(80, min(os.get_terminal_size(sys.stderr.fileno()).columns, 160))
    except OSError:
        return 120
