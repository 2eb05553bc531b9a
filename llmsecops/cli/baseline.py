"""``llmsecops baseline create [PATH] -o F``: accept today's findings."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from llmsecops import __version__, baseline, engine
from llmsecops import config as config_mod
from llmsecops.cli.output import Output, write_outputs
from llmsecops.errors import ExitCode
from llmsecops.scanners import default_scanners
from llmsecops.workspace import resolve_targets

app = typer.Typer(help="Record the current findings so later scans report only new ones.")


@app.command("create")
def create(
    path: Annotated[Path | None, typer.Argument(help="Directory to scan (default: .).")] = None,
    output: Annotated[
        str, typer.Option("--output", "-o", help="Baseline file to write ('-': stdout).")
    ] = ".llmsecops-baseline.json",
    config_file: Annotated[
        Path | None, typer.Option("--config", help="Configuration file.")
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Skip the dependency audit's online services.")
    ] = False,
) -> int:
    """Scan, then write the fingerprints of every finding (never code or secret values)."""
    root, explicit = resolve_targets([path] if path else [], Path.cwd())
    cfg = config_mod.discover(root, config_file)
    out = Output("--output", output, lambda r: baseline.render(r.findings, __version__))
    out.check_writable()
    request = engine.ScanRequest(
        root=root,
        config=cfg,
        explicit_files=explicit,
        offline=offline,
        fail_on=None,
        now=datetime.now(tz=UTC),
    )
    result = engine.scan(request, default_scanners())
    write_outputs([out], result)
    sys.stderr.write(
        f"llmsecops: baseline of {len(result.active)} finding(s) written to {output}\n"
    )
    if not result.complete:
        failed = ", ".join(r.scanner for r in result.failed_runs) or "a file"
        sys.stderr.write(
            f"llmsecops: warning: scan incomplete ({failed}); the baseline is partial\n"
        )
        return int(ExitCode.INCOMPLETE)
    return int(ExitCode.OK)
