"""Secret scan cost: llmsecops' in-process detect-secrets scan vs the
detect-secrets CLI, and vs reading every file once, on the same file set.

``python -m benchmarks.secrets_speed [--path P | --files N]`` scans P (a
directory; its workspace file list, as ``llmsecops scan`` builds it) or a
synthetic repository of N files (benchmarks.synth plus a few secret-bearing
files, a lock file and a minified bundle). It prints the time to read every
file once, the fast scan's time, the CLI's time (run as the old adapter ran
it: ``detect-secrets scan --plugin llm_key_detectors.py -- <1000 files>`` per
batch), the ratios, and the findings of each as (file, line, type), listing
every difference. Timing lives here, never in tests.

``--cli-json F`` reuses a CLI run saved with ``--save-cli F`` (same file set)
instead of running the CLI again; ``--no-cli`` skips it.
"""

# ruff: noqa: T201 - a command-line tool that prints its figures

from __future__ import annotations

import argparse
import json
import os
import random
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from benchmarks.synth import generate
from llmsecops.config import DEFAULT_MAX_FILE_SIZE
from llmsecops.scanners import _secrets_fast
from llmsecops.workspace import collect, read_text

Key = tuple[str, int, str]
CLI_BATCH = 1000


def plant_secrets(root: Path, seed: int = 11) -> None:
    """Secret-bearing files of the kinds LLM repositories hold, plus files the
    fast scan skips by rule (a lock file, a minified bundle)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data
    alnum = string.ascii_letters + string.digits

    def rnd(n: int) -> str:
        return "".join(rng.choice(alnum) for _ in range(n))

    files = {
        ".env": f"OPENAI_API_KEY=sk-proj-{rnd(64)}\nHF_TOKEN=hf_{rnd(34)}\n",
        "config/settings.yaml": f"llm:\n  groq_key: gsk_{rnd(52)}\n  password: {rnd(20)}\n",
        "app/clients.py": (
            f'ANTHROPIC = "sk-ant-api03-{rnd(93)}AA"\n'
            f"aws_key = 'AKIA{''.join(rng.choice(string.ascii_uppercase) for _ in range(16))}'\n"
            f'blob = "{rnd(40)}"\nsecret = "{rnd(24)}"\n'
        ),
        "deploy/app.ini": f"[db]\npassword = {rnd(18)}\n",
        "notes/setup.md": f"Set `GITHUB_TOKEN=ghp_{rnd(36)}` first.\n",
        "web/yarn.lock": f'"left-pad@^1.0.0":\n  integrity sha512-{rnd(86)}==\n',
        "web/vendor.min.js": "var k='" + rnd(40) + "';" + "function a(){return 1};" * 400 + "\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def read_all(root: Path, files: list[str]) -> float:
    start = time.perf_counter()
    for rel in files:
        read_text(root, rel)
    return time.perf_counter() - start


def cli_scan(root: Path, files: list[str]) -> tuple[float, set[Key]]:
    program = Path(sys.executable).with_name("detect-secrets")
    start = time.perf_counter()
    found: set[Key] = set()
    for i in range(0, len(files), CLI_BATCH):
        argv = [str(program), "scan", "--plugin", str(_secrets_fast.LLM_DETECTORS), "--"]
        done = subprocess.run(
            argv + files[i : i + CLI_BATCH],
            cwd=root,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"detect-secrets failed: {done.stderr.strip().splitlines()[-1:]}")
        for path, items in json.loads(done.stdout)["results"].items():
            found |= {(path, int(item["line_number"]), str(item["type"])) for item in items}
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--path", type=Path, help="scan this directory")
    source.add_argument("--files", type=int, default=2000, help="synthetic repository size")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--no-cli", action="store_true", help="do not run the detect-secrets CLI")
    parser.add_argument("--cli-json", type=Path, help="reuse a CLI run saved with --save-cli")
    parser.add_argument("--save-cli", type=Path, help="save the CLI's findings and time here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.path is not None:
            if not args.path.is_dir():
                sys.exit(f"not a directory: {args.path}")
            root = args.path.resolve()
            label = str(root)
        else:
            root = Path(tmp) / "repo"
            generate(root, args.files)
            plant_secrets(root)
            label = f"synthetic, {args.files} files + planted secrets"
        run(root, label, args)


def run(root: Path, label: str, args: argparse.Namespace) -> None:
    workspace = collect(root, max_file_size=DEFAULT_MAX_FILE_SIZE)
    files = [(f.path, f.size) for f in workspace.files]
    paths = [p for p, _ in files]
    size = sum(s for _, s in files)
    jobs = args.jobs or _secrets_fast.workers()
    print(f"repository:   {label}")
    print(
        f"file set:     {len(files)} files, {size / 1e6:.1f} MB; {jobs} worker(s), "
        f"{os.cpu_count()} CPUs"
    )

    read_s = read_all(root, paths)
    start = time.perf_counter()
    outcome = _secrets_fast.scan_files(root, files, jobs=args.jobs)
    fast_s = time.perf_counter() - start
    fast = {(h.path, h.line, h.type) for h in outcome.hits}
    print(f"read once:    {read_s:8.2f} s")
    print(
        f"fast scan:    {fast_s:8.2f} s  ({fast_s / read_s:.1f}x reading; "
        f"{outcome.files_scanned} files scanned, {outcome.candidate_lines} candidate lines, "
        f"{len(fast)} findings)"
    )
    for why, n in sorted(outcome.skipped.items()):
        print(f"  skipped:    {n} {why}")

    if args.no_cli:
        return
    if args.cli_json is not None:
        saved = json.loads(args.cli_json.read_text(encoding="utf-8"))
        cli_s = float(saved["seconds"])
        cli = {(p, int(n), t) for p, n, t in saved["findings"]}
        print(f"CLI (saved):  {cli_s:8.2f} s  from {args.cli_json}")
    else:
        cli_s, cli = cli_scan(root, paths)
        print(f"CLI:          {cli_s:8.2f} s")
        if args.save_cli is not None:
            args.save_cli.write_text(
                json.dumps({"seconds": cli_s, "findings": sorted(cli)}), encoding="utf-8"
            )
    print(f"ratio:        fast/CLI = 1/{cli_s / fast_s:.0f}; fast/read = {fast_s / read_s:.1f}x")
    compare(fast, cli, root)


def compare(fast: set[Key], cli: set[Key], root: Path) -> None:
    same = fast & cli
    print(
        f"findings:     {len(same)} the same; {len(fast - cli)} only fast; "
        f"{len(cli - fast)} only CLI"
    )
    skipped = Counter[str]()
    for path, line, kind in sorted(cli - fast):
        why = _secrets_fast.skip_by_name(path)
        if why is None:
            try:
                why = _secrets_fast.skip_by_content(path, read_text(root, path))
            except OSError:
                why = None
        if why is not None:
            skipped[why] += 1
            continue
        print(f"  only CLI:   {path}:{line} {kind}")
    for why, n in sorted(skipped.items()):
        print(f"  only CLI:   {n} in files skipped by rule ({why})")
    for path, line, kind in sorted(fast - cli):
        print(f"  only fast:  {path}:{line} {kind}")


if __name__ == "__main__":
    main()
