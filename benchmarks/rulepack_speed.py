"""Rule-pack cost: semgrep with the whole llmsecops pack vs one trivial rule,
on the same synthetic repository (issue: the pack may cost at most 2x).

``python -m benchmarks.rulepack_speed [--files 2000] [--repeat 3]`` prints
the median wall time of each and the ratio. Timing lives here, never in tests.
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

TRIVIAL = """\
rules:
  - id: trivial
    languages: [python]
    severity: INFO
    message: trivial
    pattern: this_function_does_not_exist_anywhere(...)
"""


def semgrep_time(config: Path, root: Path, files: list[str]) -> float:
    semgrep = str(Path(sys.executable).parent / "semgrep")
    env = {**os.environ, "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    start = time.perf_counter()
    done = subprocess.run(
        [
            semgrep,
            "scan",
            "--config",
            str(config),
            "--json",
            "--quiet",
            "--metrics=off",
            "--disable-version-check",
            "--no-git-ignore",
            "--",
            *files,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"semgrep failed: {done.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
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
        pack = rulepack.rules_dir()
        n_rules = len(rulepack.load())
        semgrep_time(trivial, root, targets)  # warm the OS cache and semgrep's startup
        one = [semgrep_time(trivial, root, targets) for _ in range(args.repeat)]
        full = [semgrep_time(pack, root, targets) for _ in range(args.repeat)]
    t1, tp = statistics.median(one), statistics.median(full)
    print(f"repository: {args.files} files ({counts}), {len(targets)} code files scanned")  # noqa: T201
    print(f"semgrep, one trivial rule:     {t1:6.2f} s (median of {args.repeat})")  # noqa: T201
    print(f"semgrep, llmsecops pack ({n_rules} rules): {tp:6.2f} s (median of {args.repeat})")  # noqa: T201
    print(f"ratio: {tp / t1:.2f}x (target <= 2.0x)")  # noqa: T201


if __name__ == "__main__":
    main()
