"""Writing reports: to a file (atomically) or to stdout with '-'."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from llmsecops.errors import UsageError
from llmsecops.model import ScanResult

SARIF_CATEGORY_HELP = (
    "Set the SARIF run's category (automationDetails.id), to upload several analyses "
    "of one repository side by side. It overrides the upload step's own category."
)
EXIT_ZERO_HELP = (
    "Exit 0 even if findings are at or above --fail-on (an incomplete scan still exits 3)."
)

# The report options every command that writes reports takes (scan, report, merge).
SarifOption = Annotated[
    str | None, typer.Option("--sarif", help="Write SARIF 2.1.0 to this file ('-': stdout).")
]
JsonOption = Annotated[
    str | None, typer.Option("--json", help="Write the JSON report to this file ('-': stdout).")
]
HtmlOption = Annotated[
    str | None, typer.Option("--html", help="Write the HTML report to this file ('-': stdout).")
]
MarkdownOption = Annotated[
    str | None,
    typer.Option("--markdown", help="Write a Markdown summary (PR comment, job summary)."),
]
SarifCategoryOption = Annotated[
    str | None, typer.Option("--sarif-category", help=SARIF_CATEGORY_HELP)
]
ExitZeroOption = Annotated[bool, typer.Option("--exit-zero", help=EXIT_ZERO_HELP)]
QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Do not print the console summary.")
]


@dataclass(frozen=True)
class Output:
    flag: str
    destination: str
    render: Callable[[ScanResult], str]

    def check_writable(self) -> None:
        """Fail before scanning, not after, if the report cannot be written."""
        if self.destination == "-":
            return
        path = Path(self.destination)
        parent = path.parent if str(path.parent) else Path(".")
        if path.is_dir():
            raise UsageError(f"{self.flag} {self.destination}: is a directory")
        if not parent.is_dir():
            raise UsageError(f"{self.flag} {self.destination}: directory {parent} does not exist")
        if not os.access(parent, os.W_OK):
            raise UsageError(f"{self.flag} {self.destination}: directory {parent} is not writable")


def report_outputs(
    *,
    sarif: str | None = None,
    json_file: str | None = None,
    html_file: str | None = None,
    markdown_file: str | None = None,
    category: str | None = None,
) -> list[Output]:
    """The reports asked for, checked to be writable before any work is done."""
    from llmsecops.report import html, json, markdown
    from llmsecops.report import sarif as sarif_report

    def render_sarif(result: ScanResult) -> str:
        return sarif_report.render(result, category=category)

    wanted: list[tuple[str, str | None, Callable[[ScanResult], str]]] = [
        ("--sarif", sarif, render_sarif),
        ("--json", json_file, json.render),
        ("--html", html_file, html.render),
        ("--markdown", markdown_file, markdown.render),
    ]
    outputs = [Output(flag, dest, render) for flag, dest, render in wanted if dest]
    if sum(1 for o in outputs if o.destination == "-") > 1:
        raise UsageError("only one report can be written to stdout ('-')")
    for o in outputs:
        o.check_writable()
    return outputs


def write_outputs(outputs: Sequence[Output], result: ScanResult) -> None:
    for out in outputs:
        text = out.render(result)
        if out.destination == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            continue
        _atomic_write(Path(out.destination), text, out.flag)


def _atomic_write(path: Path, text: str, flag: str) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=parent)
        # mkstemp creates the file 0600; a report is an ordinary file, so give
        # it the mode open() would have: 0666 less the umask.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"{flag} {path}: cannot write: {exc.strerror}") from None


def _umask() -> int:
    """The process umask (reading it means setting it; set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
