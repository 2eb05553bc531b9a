"""Rule-pack cost: semgrep with the whole llmsecops pack vs one trivial rule,
on the same synthetic repository (issue: the pack may cost at most 2x).

``python -m benchmarks.rulepack_speed [--files 2000] [--repeat 9]`` prints the
median wall time of (one run of each per round, the rounds repeated):

- one trivial rule, with semgrep's native CLI (what the adapter runs) and with
  its default Python CLI (semgrep's literal prefilter skips every file for
  it, so it costs little more than listing the files);
- one trivial rule with no literal, so that semgrep parses every file;
- the whole pack as llmsecops runs it (native CLI, rules cut per file group,
  both cores), through the semgrep adapter on a real workspace, whose
  listing is timed apart (like the trivial rule's file list, it is not
  semgrep's work: a scan lists the workspace once for every scanner);
- the whole pack in one plain native run with no prefilter, for reference
  (once, after the rounds: it takes longer than all the rest of a round).

The target is a ratio of two timings on a machine whose speed drifts from
minute to minute, so each round's ratio is printed too, with how many rounds
met it.

Timing lives here, never in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.synth import generate
from llmsecops import rulepack
from llmsecops.config import Config
from llmsecops.model import RunStatus
from llmsecops.scanners.base import ScanContext
from llmsecops.scanners.semgrep import SemgrepScanner, jobs, write_config
from llmsecops.workspace import collect

TRIVIAL = """\
rules:
  - id: trivial
    languages: [python]
    severity: INFO
    message: trivial
    pattern: this_function_does_not_exist_anywhere(...)
"""
# A rule with no literal at all (semgrep's prefilter also reads literals out of
# metavariable-regex), so every file is parsed and matched once: the least any
# rule pack that looks inside every file can cost.
TRIVIAL_PARSED = """\
rules:
  - id: trivial-parsed
    languages: [python]
    severity: INFO
    message: trivial
    pattern: $X == $X
  - id: trivial-parsed-ts
    languages: [typescript]
    severity: INFO
    message: trivial
    pattern: $X === $X
"""


def semgrep_time(config: Path, root: Path, files: list[str], *, native: bool) -> float:
    semgrep = str(Path(sys.executable).parent / "semgrep")
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    argv = [semgrep, "scan", *(["--experimental"] if native else []), "--config", str(config)]
    argv += ["--json", "--quiet", "--metrics=off", "--disable-version-check", "--no-git-ignore"]
    argv += ["--jobs", str(jobs()), "--", *files]
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=root, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"semgrep failed: {done.stderr[-500:]}")
    return elapsed


def adapter_time(root: Path) -> tuple[float, float, int]:
    """The semgrep adapter's time (planning, cutting rules, semgrep, traces)
    and, apart, listing the workspace: a scan lists it once for every scanner,
    and the trivial rule's runs get their file list untimed."""
    config = Config()
    start = time.perf_counter()
    workspace = collect(root, max_file_size=config.max_file_size)
    listed = time.perf_counter()
    ctx = ScanContext(workspace=workspace, config=config, rules_dir=rulepack.rules_dir())
    run = SemgrepScanner().run(ctx, timeout_s=3600)
    elapsed = time.perf_counter() - listed
    if run.status is not RunStatus.OK:
        raise SystemExit(f"semgrep adapter: {run.status.value}: {run.reason}")
    return elapsed, listed - start, len(run.findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        counts = generate(root, args.files)
        targets = sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.suffix in (".py", ".ts", ".tsx", ".js")
        )
        trivial = Path(tmp) / "trivial.yml"
        trivial.write_text(TRIVIAL)
        whole = Path(tmp) / "pack.json"
        pack = rulepack.load()
        write_config(pack, whole)
        parsed_rule = Path(tmp) / "trivial-parsed.yml"
        parsed_rule.write_text(TRIVIAL_PARSED)
        semgrep_time(trivial, root, targets, native=True)  # warm the OS cache
        native: list[float] = []
        python: list[float] = []
        parsed: list[float] = []
        adapter: list[tuple[float, float, int]] = []
        # One of each per round, so that a slower minute of a shared machine
        # slows every run a little rather than one kind of run a lot.
        for _ in range(args.repeat):
            native.append(semgrep_time(trivial, root, targets, native=True))
            python.append(semgrep_time(trivial, root, targets, native=False))
            parsed.append(semgrep_time(parsed_rule, root, targets, native=True))
            adapter.append(adapter_time(root))
        t_plain = semgrep_time(whole, root, targets, native=True)
    t_native, t_python = statistics.median(native), statistics.median(python)
    t_parsed = statistics.median(parsed)
    t_pack = statistics.median(t for t, _, _ in adapter)
    t_listing = statistics.median(t for _, t, _ in adapter)
    # a round's two runs are minutes closer than the medians' runs may be
    rounds = [a / p for (a, _, _), p in zip(adapter, parsed, strict=True)]
    out = [
        f"repository: {args.files} files ({counts}), {len(targets)} code files; "
        f"{os.cpu_count()} cores, semgrep --jobs {jobs()}; medians of {args.repeat}",
        f"one trivial rule, native CLI:          {t_native:7.2f} s",
        f"one trivial rule, Python CLI:          {t_python:7.2f} s",
        f"one trivial rule that parses every file, native CLI: {t_parsed:7.2f} s",
        f"llmsecops pack ({len(pack)} rules), as scanned: {t_pack:7.2f} s "
        f"({adapter[0][2]} findings), after listing the workspace in {t_listing:.2f} s",
        f"llmsecops pack, one run, no prefilter (once): {t_plain:7.2f} s",
        f"ratio, pack as scanned / trivial native: {t_pack / t_native:.2f}x (target <= 2.0x)",
        f"ratio, pack as scanned / trivial Python: {t_pack / t_python:.2f}x",
        f"ratio, pack as scanned / trivial rule that parses every file: {t_pack / t_parsed:.2f}x",
        "each round's ratio to the rule that parses every file: "
        + ", ".join(f"{r:.2f}x" for r in rounds)
        + f"; their median {statistics.median(rounds):.2f}x; "
        + f"{sum(r <= 2.0 for r in rounds)} of {len(rounds)} at most 2.0x",
    ]
    print("\n".join(out))  # noqa: T201 - a benchmark prints its figures


if __name__ == "__main__":
    main()
