"""Time the one-pass git-history read behind the token-age checks.

``python -m benchmarks.history --commits 10000`` builds a repository with
git fast-import (each commit edits one of 200 files; every 500th commit adds
a key-shaped token, every 1000th removes one) and prints the time
``token_age.read`` takes, or ``--repo PATH`` times a real repository.
"""

from __future__ import annotations

import argparse
import random
import string
import subprocess
import tempfile
import time
from pathlib import Path

from llmsecops.checks import token_age


def build(root: Path, commits: int, seed: int = 1) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    lines: list[str] = []
    start = int(time.time()) - commits * 3600
    for n in range(commits):
        path = f"src/module_{n % 200}.py"
        body = f"VALUE_{n} = {rng.randint(0, 10**6)}\n"
        if n % 500 == 0:
            token = "sk-proj-" + "".join(
                rng.choice(string.ascii_letters + string.digits) for _ in range(64)
            )
            body += f'API_KEY = "{token}"\n'
        data = body.encode()
        lines.append("commit refs/heads/main")
        lines.append(f"committer Bench <bench@example.invalid> {start + n * 3600} +0000")
        msg = f"change {n}".encode()
        lines.append(f"data {len(msg)}")
        lines.append(msg.decode())
        lines.append(f"M 100644 inline {path}")
        lines.append(f"data {len(data)}")
        lines.append(data.decode())
    stream = ("\n".join(lines) + "\n").encode()
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=stream, check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=10_000)
    parser.add_argument("--repo", type=Path, help="time this repository instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.repo or Path(tmp) / "repo"
        if args.repo is None:
            t0 = time.perf_counter()
            build(root, args.commits)
            print(f"built {args.commits} commits in {time.perf_counter() - t0:.1f} s")  # noqa: T201
        t0 = time.perf_counter()
        history = token_age.read(root, [], since=None, depth=None, timeout_s=3600)
        elapsed = time.perf_counter() - t0
    print(  # noqa: T201
        f"history read: {history.commits} commits, {len(history.first_seen)} distinct tokens, "
        f"{elapsed:.2f} s ({history.reason or 'ok'})"
    )


if __name__ == "__main__":
    main()
