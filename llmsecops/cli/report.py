"""``llmsecops report FINDINGS.json``: re-render a saved scan in other formats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from llmsecops.cli.output import (
    HtmlOption,
    JsonOption,
    MarkdownOption,
    SarifCategoryOption,
    SarifOption,
    report_outputs,
    write_outputs,
)
from llmsecops.errors import UsageError
from llmsecops.report import json


def report(
    findings: Annotated[Path, typer.Argument(help="A JSON report written by 'scan --json'.")],
    sarif_file: SarifOption = None,
    html_file: HtmlOption = None,
    markdown_file: MarkdownOption = None,
    json_file: JsonOption = None,
    sarif_category: SarifCategoryOption = None,
) -> int:
    """Re-render a saved scan: same findings, other formats, no rescanning."""
    if not (sarif_file or html_file or markdown_file or json_file):
        raise UsageError("nothing to write: give --sarif, --html, --markdown or --json")
    try:
        text = findings.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{findings}: cannot read: {exc.strerror}") from None
    result = json.load(text, source=str(findings))
    outputs = report_outputs(
        sarif=sarif_file,
        json_file=json_file,
        html_file=html_file,
        markdown_file=markdown_file,
        category=sarif_category,
    )
    write_outputs(outputs, result)
    return 0
