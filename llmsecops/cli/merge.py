"""``llmsecops merge A.json B.json ...``: one result from the shards of a scan."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from llmsecops import config as config_mod
from llmsecops import merge as merge_mod
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
from llmsecops.cli.scan import exit_code
from llmsecops.errors import UsageError
from llmsecops.report import console, json


def merge(
    findings: Annotated[
        list[Path], typer.Argument(help="JSON reports written by 'scan --shard K/N --json'.")
    ],
    json_file: JsonOption = None,
    sarif_file: SarifOption = None,
    html_file: HtmlOption = None,
    markdown_file: MarkdownOption = None,
    sarif_category: SarifCategoryOption = None,
    fail_on: Annotated[
        str | None,
        typer.Option("--fail-on", help="Exit 1 at or above this severity (default: the scans')."),
    ] = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
) -> int:
    """Merge the JSON results of sharded scans into one result and one SARIF run."""
    results = []
    for path in findings:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
        results.append(json.load(text, source=str(path)))
    merged = merge_mod.merge(results)
    if fail_on is not None:
        try:
            merged = replace(merged, fail_on=config_mod.parse_threshold(fail_on))
        except ValueError as exc:
            raise UsageError(f"--fail-on: {exc}") from None
    outputs = report_outputs(
        sarif=sarif_file,
        json_file=json_file,
        html_file=html_file,
        markdown_file=markdown_file,
        category=sarif_category,
    )
    write_outputs(outputs, merged)
    if not quiet:
        sys.stderr.write(console.render(merged, color=False, width=120))
    return int(exit_code(merged, exit_zero=exit_zero))
