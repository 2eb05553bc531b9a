"""Draw a reproducible random sample of a scan's findings for a person to triage.

``python -m benchmarks.triage.sample REPO --n 50 --seed 1 -o sheet.csv`` scans
REPO with llmsecops (``--profile default`` unless told otherwise; history and
network off), prints the finding counts and the lines of code, and writes a
CSV sheet: one row per sampled finding with its path, line, rule, file class,
severity and snippet, and empty ``verdict`` and ``reason`` columns. Mark each
verdict ``tp`` or ``fp`` and score the sheet with ``benchmarks.triage.score``.

``--carry OLD.csv`` copies the verdict and reason of every row of an earlier
sheet with the same path, line and rule, so after a change only the new
rows need a person (the carried rows keep the earlier judgement verbatim).

``--json SCAN.json`` samples a saved scan instead of scanning; with
``--reapply`` the current dedupe and profile code are applied afresh to its findings
(earlier profile suppressions dropped first), so a profile change can be
measured without scanning again. Under the
default and strict profiles only active (unsuppressed) findings are sampled;
under ``audit`` every finding is.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

COLUMNS = ("path", "line", "rule", "file_class", "severity", "snippet", "verdict", "reason")
SNIPPET_CHARS = 300


def run_scan(repo: Path, profile: str, out: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "llmsecops",
        "scan",
        str(repo),
        "--profile",
        profile,
        "--no-history",
        "--offline",
        "--no-progress",
        "--quiet",
        "--exit-zero",
        "--json",
        str(out),
    ]
    print("running:", " ".join(cmd[1:]), file=sys.stderr, flush=True)  # noqa: T201
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1, 3) or not out.exists():
        raise SystemExit(f"sample: scan failed ({done.returncode}): {done.stderr.strip()[-400:]}")


def candidates(report: dict[str, Any], profile: str) -> list[dict[str, Any]]:
    """The findings a user of ``profile`` reads, in a stable order."""
    found = report.get("findings") or []
    if profile != "audit":
        found = [f for f in found if not f.get("suppression")]
    return sorted(
        found,
        key=lambda f: (
            f["location"]["path"],
            f["location"]["start_line"],
            f["rule_id"],
            f.get("fingerprint", ""),
        ),
    )


def draw(items: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    """The same ``seed`` on the same findings gives the same sample."""
    if n >= len(items):
        return list(items)
    picked = random.Random(seed).sample(range(len(items)), n)  # noqa: S311
    return [items[i] for i in sorted(picked)]


def rows(sample: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for f in sample:
        snippet = " ".join(str(f.get("snippet", "")).split())[:SNIPPET_CHARS]
        out.append(
            {
                "path": f["location"]["path"],
                "line": str(f["location"]["start_line"]),
                "rule": f["rule_id"],
                "file_class": f.get("file_class", ""),
                "severity": f["severity"],
                "snippet": snippet,
                "verdict": "",
                "reason": "",
            }
        )
    return out


def carry(sheet: list[dict[str, str]], earlier: Path) -> int:
    """Copy verdicts from ``earlier`` onto rows with the same path, line and rule."""
    with earlier.open(newline="", encoding="utf-8") as fh:
        known = {
            (r["path"], r["line"], r["rule"]): (r.get("verdict", ""), r.get("reason", ""))
            for r in csv.DictReader(fh)
            if r.get("verdict")
        }
    carried = 0
    for row in sheet:
        hit = known.get((row["path"], row["line"], row["rule"]))
        if hit:
            row["verdict"], row["reason"] = hit
            carried += 1
    return carried


def write_sheet(path: Path, sheet: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(sheet)


def python_loc(repo: Path) -> int:
    """Lines in the repository's tracked (or, outside git, all) Python files."""
    done = subprocess.run(
        ["git", "-C", str(repo), "ls-files", "-z", "*.py"],
        capture_output=True,
        check=False,
    )
    names = [n for n in done.stdout.decode("utf-8", "replace").split("\0") if n]
    if done.returncode != 0:
        names = [str(p.relative_to(repo)) for p in repo.rglob("*.py")]
    total = 0
    for name in names:
        try:
            total += (repo / name).read_bytes().count(b"\n")
        except OSError:
            continue
    return total


def summary(report: dict[str, Any], loc: int) -> str:
    found = report.get("findings") or []
    active = [f for f in found if not f.get("suppression")]
    kloc = loc / 1000 if loc else 0.0
    per = f"{len(active) / kloc:.2f}" if kloc else "n/a"
    per_all = f"{len(found) / kloc:.2f}" if kloc else "n/a"
    lines = [
        f"python lines: {loc}",
        f"findings: {len(found)} in all ({per_all} per kLOC), "
        f"{len(active)} active ({per} per kLOC)",
    ]
    reasons = Counter(
        f["suppression"]["justification"]
        for f in found
        if f.get("suppression") and f["suppression"]["kind"] == "profile"
    )
    for reason, n in reasons.most_common():
        lines.append(f"  suppressed by profile: {n:6d}  {reason}")
    for rule, n in Counter(f["rule_id"] for f in active).most_common(15):
        lines.append(f"  active: {n:6d}  {rule}")
    return "\n".join(lines)


def reapply(report: dict[str, Any], root: Path, profile: str) -> dict[str, Any]:
    """The report with the profile applied again by the current code."""
    from dataclasses import replace

    from llmsecops import dedupe
    from llmsecops import profile as profile_mod
    from llmsecops.classify import Classifier
    from llmsecops.model import SuppressionKind
    from llmsecops.report import json as json_report

    result = json_report.load(json.dumps(report), "saved scan")
    fresh = [
        replace(f, suppression=None)
        if f.suppression is not None and f.suppression.kind is SuppressionKind.PROFILE
        else f
        for f in result.findings
    ]
    # As the engine does: cross-tool dedupe first (its rules may have changed
    # since the scan), then the profile.
    findings = profile_mod.apply(
        dedupe.merge(fresh), root, profile_mod.Profile.parse(profile), Classifier()
    )
    out: dict[str, Any] = json_report.to_dict(replace(result, findings=tuple(findings)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.triage.sample")
    parser.add_argument("repo", type=Path)
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--profile", choices=("default", "audit", "strict"), default="default")
    parser.add_argument("--json", type=Path, help="sample this saved scan instead of scanning")
    parser.add_argument("--reapply", action="store_true", help="re-run the profile on --json")
    parser.add_argument("--carry", type=Path, help="copy verdicts from an earlier sheet")
    args = parser.parse_args(argv)
    if not args.repo.is_dir():
        print(f"sample: {args.repo}: not a directory", file=sys.stderr)  # noqa: T201
        return 2
    if args.json is not None:
        report = json.loads(args.json.read_text(encoding="utf-8"))
        if args.reapply:
            report = reapply(report, args.repo.resolve(), args.profile)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "scan.json"
            run_scan(args.repo.resolve(), args.profile, out)
            report = json.loads(out.read_text(encoding="utf-8"))
    print(summary(report, python_loc(args.repo)))  # noqa: T201
    sheet = rows(draw(candidates(report, args.profile), args.n, args.seed))
    carried = carry(sheet, args.carry) if args.carry else 0
    write_sheet(args.output, sheet)
    note = f", {carried} with a verdict carried from {args.carry}" if args.carry else ""
    print(f"wrote {len(sheet)} row(s) to {args.output}{note}")  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
