#!/usr/bin/env python3
"""Score the llmsecops semgrep rule pack against the labelled corpus.

Usage (from the repository root):

    python tests/corpus/score.py                      # run the scan, then score it
    python tests/corpus/score.py --report scan.json   # score an existing JSON report
    python tests/corpus/score.py --json figures.json  # also write the figures as JSON

A vulnerable label counts as detected when a finding of the same family in the
same file overlaps its [line, end_line] range; a safe label counts as flagged
(a false positive) under the same condition.  A rule's family comes from
``metadata.family`` of the rule files under ``<repo>/rules``.

Exit status: 0 whatever the figures; 2 when the scan produced no report or the
semgrep scanner reported that it failed (the figures would be meaningless).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
REPO_ROOT = CORPUS_DIR.parents[1]
RULES_DIR = REPO_ROOT / "rules"
LABELS_FILE = CORPUS_DIR / "labels.yml"

LLM_FAMILIES = (
    "prompt-injection",
    "tool-output-sinks",
    "output-handling",
    "model-loading",
    "client-config",
)
# Web-SAST classes: one per vulnerability class, named like the rule that covers it.
WEB_FAMILIES = (
    "web-command-injection",
    "web-code-injection",
    "web-sql-injection",
    "web-path-traversal",
    "web-xss",
    "web-open-redirect",
    "web-xpath-injection",
    "web-ldap-injection",
    "web-deserialization",
    "web-xxe",
    "web-trust-boundary",
    "web-ssrf",
    "web-insecure-cookie",
    "web-weak-crypto",
    "web-weak-random",
)
FAMILIES = LLM_FAMILIES + WEB_FAMILIES
# Classes that come from bandit rather than the rule pack: bandit test -> class.
TOOL_FAMILIES = {
    "bandit/B303": "web-weak-crypto",
    "bandit/B304": "web-weak-crypto",
    "bandit/B305": "web-weak-crypto",
    "bandit/B324": "web-weak-crypto",
    "bandit/B311": "web-weak-random",
}
KINDS = ("vulnerable", "safe")
_REQUIRED_KEYS = {"file", "line", "family", "kind"}
_OPTIONAL_KEYS = {"end_line", "note"}
_MARKER = re.compile(r"(?:#|//)\s*(vuln|safe):\s*([a-z-]+)")


class LabelError(ValueError):
    """labels.yml is malformed or out of step with the corpus files."""


# --------------------------------------------------------------------------- labels


def load_labels(
    path: str | os.PathLike[str] = LABELS_FILE,
    corpus_dir: str | os.PathLike[str] | None = None,
    *,
    check_markers: bool = True,
) -> list[dict[str, Any]]:
    """Load and validate the corpus labels.

    Each label becomes ``{file, line, end_line, family, kind, note}`` with
    ``end_line`` defaulting to ``line``.  Every problem found is collected and
    reported together in one :class:`LabelError`:

    * unknown or missing keys, wrong types;
    * ``file`` not a relative path to an existing file inside the corpus;
    * ``line``/``end_line`` outside the file, ``end_line < line``, blank ``line``;
    * ``family`` not one of the five families, ``kind`` not vulnerable/safe;
    * duplicates: the same (file, line, family) labelled twice;
    * with ``check_markers`` (default): no ``# vuln: <family>`` /
      ``# safe: <family>`` comment of the matching kind inside the labelled
      range, which means the file was edited or reformatted after labelling.
    """
    labels_path = Path(path)
    root = Path(corpus_dir) if corpus_dir is not None else labels_path.resolve().parent
    try:
        data = yaml.safe_load(labels_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LabelError(f"{labels_path}: cannot read labels: {exc}") from exc
    if not isinstance(data, list):
        raise LabelError(
            f"{labels_path}: expected a YAML list of labels, got {type(data).__name__}"
        )

    errors: list[str] = []
    labels: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, str], int] = {}
    file_cache: dict[str, list[str]] = {}
    root_resolved = root.resolve()

    for index, entry in enumerate(data):
        where = f"label #{index + 1}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: expected a mapping, got {entry!r}")
            continue
        where = f"label #{index + 1} ({entry.get('file')}:{entry.get('line')})"
        missing = _REQUIRED_KEYS - entry.keys()
        unknown = entry.keys() - _REQUIRED_KEYS - _OPTIONAL_KEYS
        if missing:
            errors.append(f"{where}: missing key(s) {sorted(missing)}")
            continue
        if unknown:
            errors.append(f"{where}: unknown key(s) {sorted(unknown)}")

        file = entry["file"]
        line = entry["line"]
        end_line: Any = entry.get("end_line")
        if end_line is None:
            end_line = line
        family = entry["family"]
        kind = entry["kind"]
        note = entry.get("note", "")

        if family not in FAMILIES:
            errors.append(f"{where}: family {family!r} is not one of {', '.join(FAMILIES)}")
        if kind not in KINDS:
            errors.append(f"{where}: kind {kind!r} is not 'vulnerable' or 'safe'")
        if note is not None and not isinstance(note, str):
            errors.append(f"{where}: note must be a string")
        if not isinstance(file, str) or not file:
            errors.append(f"{where}: file must be a non-empty string")
            continue
        for name, value in (("line", line), ("end_line", end_line)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                errors.append(f"{where}: {name} must be a positive integer, got {value!r}")
                break
        else:
            if end_line < line:
                errors.append(f"{where}: end_line {end_line} is before line {line}")

        rel = Path(file)
        if rel.is_absolute() or ".." in rel.parts or "\\" in file:
            errors.append(f"{where}: file must be a relative POSIX path inside the corpus")
            continue
        target = (root / rel).resolve()
        if not target.is_relative_to(root_resolved) or not target.is_file():
            errors.append(f"{where}: file {file!r} does not exist under {root}")
            continue
        if file not in file_cache:
            try:
                file_cache[file] = target.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"{where}: cannot read {file}: {exc}")
                file_cache[file] = []
                continue
        lines = file_cache[file]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (line, end_line)):
            continue
        if line > len(lines) or end_line > len(lines):
            errors.append(
                f"{where}: line range {line}-{end_line} is outside {file} ({len(lines)} lines)"
            )
            continue
        if not lines[line - 1].strip():
            errors.append(f"{where}: line {line} of {file} is blank")
        if check_markers and family in FAMILIES and kind in KINDS:
            want = ("vuln" if kind == "vulnerable" else "safe", family)
            span = lines[line - 1 : end_line]
            if not any(m.groups() == want for text in span for m in _MARKER.finditer(text)):
                errors.append(
                    f"{where}: no '{want[0]}: {family}' marker comment in lines {line}-{end_line} "
                    f"of {file} (edited or reformatted after labelling?)"
                )

        key = (file, line, family)
        if key in seen:
            errors.append(f"{where}: duplicate of label #{seen[key]} (same file, line and family)")
        else:
            seen[key] = index + 1

        labels.append(
            {
                "file": file,
                "line": line,
                "end_line": end_line,
                "family": family,
                "kind": kind,
                "note": note or "",
            }
        )

    if errors:
        shown = "\n  ".join(errors[:50])
        more = f"\n  ... and {len(errors) - 50} more" if len(errors) > 50 else ""
        raise LabelError(f"{labels_path}: {len(errors)} problem(s):\n  {shown}{more}")
    return labels


# ----------------------------------------------------------------------- rule pack


def _norm_family(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return re.sub(r"[\s_]+", "-", value.strip().lower())


def load_rule_families(rules_dir: str | os.PathLike[str] = RULES_DIR) -> dict[str, str]:
    """Map every rule id (semgrep ``id``, ``semgrep/<id>`` and ``metadata.llmsecops-id``)
    to its ``metadata.family``, plus the bandit tests in TOOL_FAMILIES.  Unreadable
    rule files are skipped with a warning."""
    families: dict[str, str] = dict(TOOL_FAMILIES)
    root = Path(rules_dir)
    if not root.is_dir():
        print(f"warning: no rules directory at {root}", file=sys.stderr)
        return families
    for path in sorted(root.rglob("*")):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            print(f"warning: skipping unreadable rule file {path}: {exc}", file=sys.stderr)
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("rules"), list):
            continue
        for rule in doc["rules"]:
            if not isinstance(rule, dict):
                continue
            meta = rule.get("metadata") or {}
            family = _norm_family(meta.get("family")) if isinstance(meta, dict) else None
            if family is None:
                continue
            rid = rule.get("id")
            if isinstance(rid, str) and rid:
                families[rid] = family
                families[f"semgrep/{rid.rsplit('.', 1)[-1]}"] = family
            ours = meta.get("llmsecops-id")
            if isinstance(ours, str) and ours:
                families[ours] = family
    return families


def _family_of(rule_id: str, rule_families: dict[str, str]) -> str | None:
    if rule_id in rule_families:
        return rule_families[rule_id]
    # semgrep check ids may carry a config-path prefix: "rules.python.x.<id>"
    tail = rule_id.rsplit(".", 1)[-1]
    for candidate in (tail, f"semgrep/{tail}", f"llmsecops/{tail}"):
        if candidate in rule_families:
            return rule_families[candidate]
    return None


# ------------------------------------------------------------------------- scoring


def _norm_path(path: str) -> str:
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    marker = "tests/corpus/"
    if marker in p:  # report made from the repository root or with absolute paths
        p = p.split(marker, 1)[1]
    return p


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start <= b_end and b_start <= a_end


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _score(figures: dict[str, Any]) -> float | None:
    """TPR - FPR (Youden's J), as public SAST benchmarks score a class."""
    if figures["recall"] is None or figures["fp_rate"] is None:
        return None
    return round(figures["recall"] - figures["fp_rate"], 4)


def _label_ref(label: dict[str, Any]) -> dict[str, Any]:
    return {k: label[k] for k in ("file", "line", "end_line", "family", "kind", "note")}


def score(
    report: dict[str, Any],
    labels: list[dict[str, Any]],
    rule_families: dict[str, str],
) -> dict[str, Any]:
    """Score a llmsecops JSON report against labels.

    Returns ``{"families": {family: figures}, "overall": figures, "missed": [...],
    "flagged_safe": [...], "unlabelled": [...], "unmapped": [...]}`` where figures
    are ``vulnerable, detected, recall, safe, flagged, fp_rate``.
    """
    findings: list[dict[str, Any]] = []
    unmapped: list[dict[str, Any]] = []
    for raw in report.get("findings") or []:
        loc = raw.get("location") or {}
        start = int(loc.get("start_line") or 0)
        end = int(loc.get("end_line") or start)
        rule_id = str(raw.get("rule_id", ""))
        item = {
            "rule_id": rule_id,
            "path": _norm_path(str(loc.get("path", ""))),
            "start_line": start,
            "end_line": max(start, end),
            "family": _family_of(rule_id, rule_families),
        }
        # A finding merged across tools counts for the class of every rule in it.
        merged = [str(r) for r in raw.get("merged_rule_ids") or []]
        extra = {_family_of(r, rule_families) for r in merged} - {None, item["family"]}
        for family in sorted(f for f in extra if f):
            findings.append({**item, "family": family})
        if item["family"] or not extra:
            (findings if item["family"] else unmapped).append(item)

    norm_labels = [{**lab, "end_line": lab.get("end_line") or lab["line"]} for lab in labels]

    def hits(label: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            f
            for f in findings
            if f["path"] == label["file"]
            and f["family"] == label["family"]
            and _overlaps(f["start_line"], f["end_line"], label["line"], label["end_line"])
        ]

    per_family: dict[str, dict[str, Any]] = {
        fam: {"vulnerable": 0, "detected": 0, "safe": 0, "flagged": 0} for fam in FAMILIES
    }
    missed: list[dict[str, Any]] = []
    flagged_safe: list[dict[str, Any]] = []
    for label in norm_labels:
        fam = per_family.setdefault(
            label["family"], {"vulnerable": 0, "detected": 0, "safe": 0, "flagged": 0}
        )
        matched = hits(label)
        if label["kind"] == "vulnerable":
            fam["vulnerable"] += 1
            if matched:
                fam["detected"] += 1
            else:
                missed.append(_label_ref(label))
        else:
            fam["safe"] += 1
            if matched:
                fam["flagged"] += 1
                flagged_safe.append(
                    {**_label_ref(label), "rules": sorted({f["rule_id"] for f in matched})}
                )

    unlabelled = [
        f
        for f in findings
        if not any(
            lab["file"] == f["path"]
            and lab["family"] == f["family"]
            and _overlaps(f["start_line"], f["end_line"], lab["line"], lab["end_line"])
            for lab in norm_labels
        )
    ]

    overall: dict[str, Any] = {"vulnerable": 0, "detected": 0, "safe": 0, "flagged": 0}
    for figures in per_family.values():
        for key in overall:
            overall[key] += figures[key]
        figures["recall"] = _ratio(figures["detected"], figures["vulnerable"])
        figures["fp_rate"] = _ratio(figures["flagged"], figures["safe"])
        figures["score"] = _score(figures)
    overall["recall"] = _ratio(overall["detected"], overall["vulnerable"])
    overall["fp_rate"] = _ratio(overall["flagged"], overall["safe"])
    overall["score"] = _score(overall)

    def order(items: Iterable[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
        return sorted(items, key=lambda d: tuple(d[k] for k in keys))

    return {
        "families": per_family,
        "overall": overall,
        "missed": order(missed, "family", "file", "line"),
        "flagged_safe": order(flagged_safe, "family", "file", "line"),
        "unlabelled": order(unlabelled, "path", "start_line", "rule_id"),
        "unmapped": order(unmapped, "path", "start_line", "rule_id"),
        "findings": len(findings) + len(unmapped),
    }


# --------------------------------------------------------------------------- output


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:5.1f}%"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def format_result(result: dict[str, Any]) -> str:
    out: list[str] = []
    header = (
        f"{'family':<22} {'vuln':>5} {'found':>6} {'TPR':>7}   "
        f"{'safe':>5} {'flagged':>7} {'FPR':>7}   {'TPR-FPR':>7}"
    )
    out.append(header)
    out.append("-" * len(header))
    rows = [*result["families"].items(), ("overall", result["overall"])]
    for i, (name, f) in enumerate(rows):
        if i == len(rows) - 1:
            out.append("-" * len(header))
        out.append(
            f"{name:<22} {f['vulnerable']:>5} {f['detected']:>6} {_pct(f['recall']):>7}   "
            f"{f['safe']:>5} {f['flagged']:>7} {_pct(f['fp_rate']):>7}   {_num(f['score']):>7}"
        )

    out.append("")
    out.append(f"Missed vulnerable labels ({len(result['missed'])}):")
    for lab in result["missed"]:
        out.append(f"  [{lab['family']}] {lab['file']}:{lab['line']}  {lab['note']}")
    out.append("")
    out.append(f"Flagged safe labels ({len(result['flagged_safe'])}):")
    for lab in result["flagged_safe"]:
        out.append(
            f"  [{lab['family']}] {lab['file']}:{lab['line']}  {lab['note']}"
            f"  <- {', '.join(lab['rules'])}"
        )
    out.append("")
    out.append(
        f"Unlabelled findings ({len(result['unlabelled'])}; "
        "no label of the rule's family overlaps them):"
    )
    for f in result["unlabelled"]:
        out.append(
            f"  [{f['family']}] {f['path']}:{f['start_line']}-{f['end_line']}  {f['rule_id']}"
        )
    if result["unmapped"]:
        out.append("")
        out.append(
            f"Findings from rules with no metadata.family ({len(result['unmapped'])}; not scored):"
        )
        for f in result["unmapped"]:
            out.append(f"  {f['path']}:{f['start_line']}  {f['rule_id']}")
    return "\n".join(out)


# ---------------------------------------------------------------------------- main


def run_scan(out_path: Path) -> subprocess.CompletedProcess[str]:
    target = os.path.relpath(CORPUS_DIR, REPO_ROOT)
    cmd = [
        sys.executable,
        "-m",
        "llmsecops",
        "scan",
        target,
        "--only",
        # bandit supplies the weak crypto and weak randomness classes.
        "semgrep,bandit",
        "--json",
        str(out_path),
        "--no-progress",
        "--fail-on",
        "none",
    ]
    print("running: python", " ".join(cmd[1:]), file=sys.stderr, flush=True)
    return subprocess.run(cmd, cwd=REPO_ROOT, capture_output=True, text=True, check=False)


def _scanner_problems(report: dict[str, Any]) -> list[str]:
    """Reasons the semgrep or bandit scanner gave for failing, if one did."""
    return [
        str(scanner.get("reason") or f"{scanner.get('name')} {scanner.get('status')}")
        for scanner in report.get("scanners") or []
        if scanner.get("name") in ("semgrep", "bandit")
        and scanner.get("status") in ("failed", "error", "errored", "timeout", "timed_out")
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--report", type=Path, help="score this llmsecops JSON report instead of scanning"
    )
    parser.add_argument(
        "--json", dest="json_out", type=Path, help="write the figures as JSON to this file"
    )
    parser.add_argument("--labels", type=Path, default=LABELS_FILE, help=argparse.SUPPRESS)
    parser.add_argument("--rules", type=Path, default=RULES_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    labels = load_labels(args.labels)
    rule_families = load_rule_families(args.rules)

    if args.report:
        report_path = args.report
        tmpdir = None
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="llmsecops-corpus-")
        report_path = Path(tmpdir.name) / "scan.json"
        proc = run_scan(report_path)
        if not report_path.is_file():
            sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
            print(
                f"error: the scan exited {proc.returncode} without writing a report",
                file=sys.stderr,
            )
            return 2
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        print(f"error: cannot read report {report_path}: {exc}", file=sys.stderr)
        return 2
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()

    problems = _scanner_problems(report)
    result = score(report, labels, rule_families)
    if args.json_out:
        payload = {**result, "labels": len(labels), "scan_problems": problems}
        args.json_out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

    source = str(report_path) if args.report else "semgrep + bandit scan of tests/corpus"
    print(f"corpus: {len(labels)} labels; report: {result['findings']} finding(s) from {source}")
    for problem in problems:
        print(f"WARNING: {problem} -- the figures below do not measure the rules", file=sys.stderr)
    print()
    print(format_result(result), flush=True)
    return 2 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
