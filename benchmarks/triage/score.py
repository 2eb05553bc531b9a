"""Precision from a filled triage sheet (see sample.py).

``python -m benchmarks.triage.score sheet.csv [more.csv ...]`` reads each
row's ``verdict`` (``tp``/``fp``; also true/false, yes/no, 1/0) and prints
precision per rule family (the rule id's namespace: bandit, secrets,
llmsecops, semgrep, deps), per rule and overall. A row with no verdict is an
error: a half-triaged sheet does not give a precision.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

_TRUE = {"tp", "true", "t", "yes", "y", "1"}
_FALSE = {"fp", "false", "f", "no", "n", "0"}


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0

    @property
    def precision(self) -> float | None:
        total = self.tp + self.fp
        return self.tp / total if total else None


@dataclass
class Score:
    overall: Tally = field(default_factory=Tally)
    families: dict[str, Tally] = field(default_factory=dict)
    rules: dict[str, Tally] = field(default_factory=dict)


class SheetError(ValueError):
    pass


def family(rule: str) -> str:
    return rule.split("/", 1)[0] if "/" in rule else rule


def verdict(text: str, where: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise SheetError(f"{where}: verdict must be tp or fp, got {text!r}")


def score(rows: list[dict[str, str]], source: str = "sheet") -> Score:
    out = Score()
    for i, row in enumerate(rows, start=2):  # line 1 is the header
        rule = (row.get("rule") or "").strip()
        if not rule:
            raise SheetError(f"{source} line {i}: no rule")
        real = verdict(row.get("verdict") or "", f"{source} line {i}")
        for tally in (
            out.overall,
            out.families.setdefault(family(rule), Tally()),
            out.rules.setdefault(rule, Tally()),
        ):
            if real:
                tally.tp += 1
            else:
                tally.fp += 1
    return out


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or "verdict" not in reader.fieldnames:
            raise SheetError(f"{path}: no verdict column")
        return list(reader)


def _line(name: str, t: Tally) -> str:
    p = t.precision
    shown = f"{p:.2f}" if p is not None else "n/a"
    return f"  {name:<48} {t.tp:4d} tp {t.fp:4d} fp  precision {shown}"


def format_score(s: Score) -> str:
    lines = ["by family:"]
    lines += [_line(k, s.families[k]) for k in sorted(s.families)]
    lines.append("by rule:")
    lines += [_line(k, s.rules[k]) for k in sorted(s.rules)]
    lines.append(_line("overall", s.overall))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.triage.score")
    parser.add_argument("sheets", type=Path, nargs="+")
    args = parser.parse_args(argv)
    rows: list[dict[str, str]] = []
    try:
        for path in args.sheets:
            rows_here = read_rows(path)
            score(rows_here, str(path))  # validate each sheet on its own, naming it
            rows += rows_here
    except (OSError, SheetError) as exc:
        print(f"score: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    print(format_score(score(rows)))  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
