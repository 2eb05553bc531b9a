"""The whole scan against its parts: is llmsecops the fast way to run them all?

``python -m benchmarks.full_scan [--files 2000] [--commits 2800]`` builds a
synthetic repository (LLM-app code in Python and TypeScript, Markdown, JSON,
YAML, a requirements file, planted findings, and a git history of the given
length), or ``--path P`` takes an existing repository, and prints for the
same file set, one run each:

- each scanner alone (``llmsecops scan --only NAME``) and the whole scan,
  both without the result cache, with the ratios to the slowest scanner and
  to the sum of all of them;
- peak memory (the summed RSS of the scan's process tree, sampled every
  50 ms) and files per second;
- the time to read every file once, and the secret scan's multiple of it (each the
  median of three runs: both take about a tenth of a second on 2,000 files);
- re-scans with the result cache: cold, nothing changed, 5 files changed;
- the pre-commit hook's job: 5 changed files passed by name, no history;
- with ``--by-hand`` (the default; ``--no-by-hand`` skips it), the tools run
  the way a team wires them together without llmsecops, one after another
  on the same repository: ``bandit -r``, ``semgrep scan --config rules/``
  (semgrep's default Python front end, the whole pack) and
  ``detect-secrets scan``, and the full scan's ratios to those. pip-audit is
  not among them: it needs a vulnerability service, which is not reachable
  here (llmsecops audits against the local OSV records instead).

The dependency audit runs offline against the test fixture OSV records.
Timing lives here and in docs/benchmarks.md, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import history, synth

REPO = Path(__file__).resolve().parents[1]
OSV_FIXTURE = REPO / "tests" / "data" / "osv"
SCANNERS = ("bandit", "semgrep", "secrets", "dependencies")
SMALL_RUNS = 3
REQUIREMENTS = "requests==2.19.0\njinja2==2.10\nopenai==1.30.0\nlangchain==0.0.300\n"


@dataclass(frozen=True)
class Timed:
    seconds: float
    peak_rss_mb: float
    exit_code: int


def _tree_rss_kb(root_pid: int) -> int:
    """Summed resident memory of a process and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm", encoding="ascii") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        pid, ppid = int(entry), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        rss[pid] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def timed(argv: list[str], cwd: Path, env: dict[str, str]) -> Timed:
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        tail = err.decode(errors="replace").strip().splitlines()[-1:]
        raise SystemExit(f"{' '.join(argv[:4])}... exited {proc.returncode}: {tail}")
    return Timed(elapsed, peak / 1024, proc.returncode)


def by_hand(root: Path, env: dict[str, str]) -> dict[str, Timed]:
    """The wrapped tools as their own command lines run them, with their defaults."""
    bin_dir = Path(sys.executable).parent
    runs = {
        "bandit -r": [str(bin_dir / "bandit"), "-r", ".", "-q", "-f", "json"],
        "semgrep scan --config rules/": [
            str(bin_dir / "semgrep"),
            "scan",
            "--config",
            str(REPO / "rules"),
            "--json",
            "--quiet",
            "--metrics=off",
            "--disable-version-check",
            ".",
        ],
        "detect-secrets scan": [str(bin_dir / "detect-secrets"), "scan"],
    }
    return {name: timed(argv, root, env) for name, argv in runs.items()}


def build(root: Path, files: int, commits: int) -> None:
    history.build(root, commits)
    synth.generate(root / "app", files)
    (root / "requirements.txt").write_text(REQUIREMENTS)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=Bench",
            "-c",
            "user.email=b@example.invalid",
            "commit",
            "-qm",
            "app",
        ],
        cwd=root,
        check=True,
    )


def read_all_seconds(root: Path) -> tuple[float, int]:
    from llmsecops.config import Config
    from llmsecops.workspace import collect, read_text

    workspace = collect(root, max_file_size=Config().max_file_size)
    start = time.perf_counter()
    for f in workspace.files:
        read_text(root, f.path)
    return time.perf_counter() - start, len(workspace.files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--commits", type=int, default=2800)
    parser.add_argument("--path", type=Path, help="benchmark this repository instead")
    parser.add_argument(
        "--by-hand",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time bandit, semgrep and detect-secrets run by hand",
    )
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "llmsecops")
    with tempfile.TemporaryDirectory() as tmp:
        if args.path:
            root = args.path.resolve()
        else:
            root = Path(tmp) / "repo"
            build(root, args.files, args.commits)
        cache = Path(tmp) / "cache"
        env = {**os.environ, "LLMSECOPS_CACHE_DIR": str(cache)}
        base = [exe, "scan", str(root), "-q", "--no-progress", "--vuln-db", str(OSV_FIXTURE)]
        alone = {name: timed([*base, "--no-cache", "--only", name], root, env) for name in SCANNERS}
        # Both sides of the secret-scan ratio take about a tenth of a second on
        # 2,000 files, where one run is mostly noise: the median of three each.
        reads = [read_all_seconds(root) for _ in range(SMALL_RUNS)]
        read_s, n_files = statistics.median(r[0] for r in reads), reads[0][1]
        report = Path(tmp) / "secrets.json"
        secret_runs = []
        for _ in range(SMALL_RUNS):
            timed(
                [*base, "--no-cache", "--only", "secrets", "--no-history", "--json", str(report)],
                root,
                env,
            )
            secret_runs.append(
                next(
                    r["duration_s"]
                    for r in json.loads(report.read_text())["scanners"]
                    if r["name"] == "secrets"
                )
            )
        secrets_s = statistics.median(secret_runs)
        full = timed([*base, "--no-cache"], root, env)
        cold = timed(base, root, env)
        warm = timed(base, root, env)
        code = sorted(p for p in root.rglob("*.py") if ".git" not in p.parts)[:5]
        for path in code:
            path.write_text(path.read_text() + "\n# touched by the benchmark\n")
        changed = timed(base, root, env)
        shutil.rmtree(cache, ignore_errors=True)
        hand = by_hand(root, env) if args.by_hand else {}
        names = [str(p.relative_to(root)) for p in code]
        hook = timed(
            [exe, "scan", *names, "-q", "--no-progress", "--no-history", "--offline"], root, env
        )
    slowest = max(alone.values(), key=lambda t: t.seconds)
    total_alone = sum(t.seconds for t in alone.values())
    lines = [
        f"repository: {root if args.path else 'synthetic'}, {n_files} files scanned, "
        f"{args.commits if not args.path else 'its'} commits; {os.cpu_count()} cores",
        "",
        "| run | wall s | peak RSS MB |",
        "|---|---:|---:|",
        *(f"| {name} alone | {t.seconds:.2f} | {t.peak_rss_mb:.0f} |" for name, t in alone.items()),
        f"| full scan, no cache | {full.seconds:.2f} | {full.peak_rss_mb:.0f} |",
        f"| full scan, cold cache | {cold.seconds:.2f} | {cold.peak_rss_mb:.0f} |",
        f"| re-scan, nothing changed | {warm.seconds:.2f} | {warm.peak_rss_mb:.0f} |",
        f"| re-scan, 5 files changed | {changed.seconds:.2f} | {changed.peak_rss_mb:.0f} |",
        f"| pre-commit, 5 files, no cache | {hook.seconds:.2f} | {hook.peak_rss_mb:.0f} |",
        "",
        f"full / slowest scanner: {full.seconds / slowest.seconds:.2f}x (target <= 1.2x)",
        f"full / sum of scanners: {full.seconds / total_alone:.2f}x (target <= 0.6x)",
        f"files per second (full scan): {n_files / full.seconds:.0f}",
        f"read every file once: {read_s:.3f} s; the secret scanner's own time (no history "
        f"read): {secrets_s:.3f} s = {secrets_s / max(read_s, 1e-9):.1f}x that (target <= 5x; "
        f"medians of {SMALL_RUNS} runs each)",
        f"re-scan, nothing changed / cold: {warm.seconds / cold.seconds:.2f}x (target <= 0.1x)",
        f"re-scan, 5 changed / cold: {changed.seconds / cold.seconds:.2f}x (target <= 0.2x)",
    ]
    if hand:
        slowest_hand = max(hand.values(), key=lambda t: t.seconds)
        total_hand = sum(t.seconds for t in hand.values())
        lines += [
            "",
            "The tools by hand, one after another (same repository, same rules):",
            "",
            "| tool | wall s | peak RSS MB |",
            "|---|---:|---:|",
            *(f"| {name} | {t.seconds:.2f} | {t.peak_rss_mb:.0f} |" for name, t in hand.items()),
            "",
            f"full scan / slowest tool by hand: {full.seconds / slowest_hand.seconds:.2f}x",
            f"full scan / sum of the tools by hand: {full.seconds / total_hand:.2f}x",
        ]
    print("\n".join(lines))  # noqa: T201 - a benchmark prints its figures


if __name__ == "__main__":
    main()
