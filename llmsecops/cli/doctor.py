"""``llmsecops doctor``: which scanners are installed, their versions, the rule pack."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from llmsecops import __version__, rulepack
from llmsecops.errors import ExitCode
from llmsecops.scanners import _process, default_scanners


def doctor() -> int:
    """Check that every scanner can run and the rule pack loads. Exits 3 if not."""
    console = Console(highlight=False)
    console.print(f"llmsecops {__version__}")
    table = Table(show_header=True, box=None)
    for col in ("scanner", "program", "version", "path"):
        table.add_column(col)
    ok = True
    for scanner in default_scanners():
        path = _process.find_program(scanner.program)
        version = scanner.version() if path else None
        ok = ok and version is not None
        table.add_row(scanner.name, scanner.program, version or "MISSING", path or "-")
    console.print(table)
    try:
        rules = rulepack.load()
        where, digest = rulepack.rules_dir(), rulepack.pack_hash()
        console.print(f"rule pack: {len(rules)} rule(s) in {where} (hash {digest})")
    except rulepack.RulePackError as exc:
        ok = False
        console.print(f"rule pack: BROKEN: {exc}")
    if not ok:
        console.print("some scanners cannot run: scans will be reported as incomplete (exit 3)")
        return int(ExitCode.INCOMPLETE)
    return int(ExitCode.OK)
