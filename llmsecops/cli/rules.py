"""``llmsecops rules list | explain RULE_ID``."""

from __future__ import annotations

import sys

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from llmsecops import rulepack
from llmsecops.checks import native_rules
from llmsecops.errors import UsageError
from llmsecops.model import RuleMeta

app = typer.Typer(help="List the bundled rules or explain one.", no_args_is_help=True)


@app.command("list")
def list_rules(
    as_json: bool = typer.Option(False, "--json", help="Print the rules as JSON."),
) -> int:
    """List the bundled LLM rules with severity, confidence, CWE and OWASP LLM ids."""
    rules = rulepack.load()
    native = native_rules()
    if as_json:
        import json

        data = [
            {
                "id": r.meta.id,
                "name": r.meta.name,
                "severity": r.meta.severity.label,
                "confidence": r.meta.confidence.label,
                "cwe": list(r.meta.cwe),
                "owasp_llm": list(r.meta.owasp_llm),
                "languages": list(r.languages),
            }
            for r in rules
        ]
        data += [
            {
                "id": m.id,
                "name": m.name,
                "severity": m.severity.label,
                "confidence": m.confidence.label,
                "cwe": list(m.cwe),
                "owasp_llm": list(m.owasp_llm),
                "languages": [],
                "scanner": m.scanner,
            }
            for m in native
        ]
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    table = Table(title=f"llmsecops rules ({len(rules)} semgrep rules, {len(native)} native)")
    for col in ("id", "severity", "confidence", "OWASP LLM", "CWE", "languages", "name"):
        table.add_column(col)
    for r in sorted(rules, key=lambda r: r.meta.id):
        m = r.meta
        table.add_row(
            m.id,
            m.severity.label,
            m.confidence.label,
            ", ".join(m.owasp_llm),
            ", ".join(m.cwe),
            ", ".join(r.languages),
            m.name,
        )
    for m in native:
        table.add_row(
            m.id,
            m.severity.label,
            m.confidence.label,
            ", ".join(m.owasp_llm),
            ", ".join(m.cwe),
            "native",
            m.name,
        )
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=200)
    console.print(table)
    return 0


@app.command("explain")
def explain(
    rule_id: str = typer.Argument(..., help="A rule id, e.g. llmsecops/prompt-concat."),
) -> int:
    """Print a rule's documentation page."""
    wanted = rule_id if "/" in rule_id else f"llmsecops/{rule_id}"
    metas: dict[str, RuleMeta] = {r.meta.id: r.meta for r in rulepack.load()}
    metas.update({m.id: m for m in native_rules()})
    if wanted not in metas:
        raise UsageError(f"unknown rule {rule_id!r}; run 'llmsecops rules list' to see the rules")
    meta = metas[wanted]
    text = meta.help_markdown or (
        f"# {meta.name}\n\n{meta.full_description}\n\n**Fix:** {meta.fix}\n"
    )
    Console(highlight=False).print(Markdown(text))
    return 0
