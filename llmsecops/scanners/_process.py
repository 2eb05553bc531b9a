"""The only module that starts subprocesses.

Every child gets a list argv (no shell), a timeout, closed stdin, a scrubbed
environment and its own process group, so a timeout kills the whole tree.
Git is always run with overrides that stop a scanned repository's own config
from executing anything.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# Variables a child may inherit; everything else (tokens, cloud credentials,
# CI secrets) is dropped.
_ENV_ALLOWED = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LC_ALL",
        "LC_CTYPE",
        "TMPDIR",
        "TEMP",
        "TMP",
        "SYSTEMROOT",
        "VIRTUAL_ENV",
        "SSL_CERT_FILE",
        "SSL_CERT_DIR",
        "REQUESTS_CA_BUNDLE",
        "PIP_CERT",
        "PIP_INDEX_URL",
        "PIP_CONSTRAINT",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
    }
)
_SECRETISH = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|_KEY$|API_KEY)", re.IGNORECASE)

# Overrides that keep a repository's .git/config and .gitattributes inert.
GIT_SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=false",
    "diff.external=",
    "protocol.allow=never",
    "credential.helper=",
    "safe.directory=*",
)


@dataclass(frozen=True)
class Completed:
    argv: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    duration_s: float


class ProcessTimeout(Exception):
    def __init__(self, argv: Sequence[str], timeout_s: float) -> None:
        super().__init__(f"{Path(argv[0]).name} timed out after {timeout_s:g}s")
        self.timeout_s = timeout_s


class ProcessFailed(Exception):
    def __init__(self, program: str, returncode: int) -> None:
        super().__init__(f"{program} exited with status {returncode}")
        self.returncode = returncode


class ProcessNotFound(Exception):
    def __init__(self, program: str) -> None:
        super().__init__(f"{program} is not installed or not on PATH")
        self.program = program


def scrubbed_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _ENV_ALLOWED and not _SECRETISH.search(k)}
    env.setdefault("LANG", "C.UTF-8")
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    if extra:
        env.update(extra)
    return env


def find_program(name: str) -> str | None:
    """Locate a tool: next to our own interpreter first (the venv we run in), then PATH."""
    import sys

    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def _spawn(
    argv: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None, stderr: int
) -> subprocess.Popen[bytes]:
    """Start a child: list argv, stdin closed, scrubbed env, its own process group."""
    try:
        return subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=dict(env) if env is not None else scrubbed_env(),
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ProcessNotFound(Path(argv[0]).name) from None


def run(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout_s: float,
    env: Mapping[str, str] | None = None,
) -> Completed:
    """Run ``argv`` to completion; raise ProcessTimeout/ProcessNotFound."""
    start = time.monotonic()
    proc = _spawn(argv, cwd=cwd, env=env, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        proc.communicate()
        raise ProcessTimeout(argv, timeout_s) from None
    except BaseException:
        _kill_group(proc)
        proc.communicate()
        raise
    return Completed(
        argv=tuple(argv),
        returncode=proc.returncode,
        stdout=out.decode("utf-8", errors="replace"),
        stderr=err.decode("utf-8", errors="replace"),
        duration_s=time.monotonic() - start,
    )


def stream_lines(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout_s: float,
    env: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Yield a child's stdout line by line (for output too large to hold, such
    as a repository's whole history). The child is killed when the timeout
    passes or the consumer stops early; a timeout raises ProcessTimeout."""
    proc = _spawn(argv, cwd=cwd, env=env, stderr=subprocess.DEVNULL)
    timed_out = threading.Event()

    def expire() -> None:
        timed_out.set()
        _kill_group(proc)

    timer = threading.Timer(timeout_s, expire)
    timer.start()
    try:
        for raw in proc.stdout or ():
            yield raw.decode("utf-8", errors="replace").rstrip("\n")
    finally:
        timer.cancel()
        if proc.poll() is None:
            _kill_group(proc)
        proc.wait()
    if timed_out.is_set():
        raise ProcessTimeout(argv, timeout_s)
    if proc.returncode != 0:
        raise ProcessFailed(Path(argv[0]).name, proc.returncode)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


def git_argv(args: Sequence[str]) -> list[str]:
    """git with the repository's executable hooks, drivers and pagers disabled."""
    program = shutil.which("git")
    if program is None:
        raise ProcessNotFound("git")
    argv = [program, "--no-pager"]
    for item in GIT_SAFE_CONFIG:
        argv += ["-c", item]
    return [*argv, *args]


def git(args: Sequence[str], *, cwd: Path, timeout_s: float = 60) -> Completed:
    return run(git_argv(args), cwd=cwd, timeout_s=timeout_s)


def error_line(text: str, limit: int = 200) -> str:
    """One meaningful line of a tool's stderr for a one-line reason: the
    exception line of a Python traceback, else the first line that is not a
    warning."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("WARNING")]
    if not lines:
        return ""
    if any(line.startswith("Traceback (most recent call last)") for line in lines):
        return lines[-1][:limit]
    return lines[0][:limit]


_VERSION = re.compile(r"\d+\.\d+(?:\.\d+)?(?:[\w.+-]*)")


VERSION_TIMEOUT_S = 30


def tool_version(
    program: str,
    args: Sequence[str],
    *,
    timeout_s: float = VERSION_TIMEOUT_S,
    env: Mapping[str, str] | None = None,
) -> str | None:
    """The first version number a tool prints, or None if it cannot run."""
    path = find_program(program)
    if path is None:
        return None
    try:
        done = run([path, *args], cwd=Path.cwd(), timeout_s=timeout_s, env=env)
    except (ProcessTimeout, ProcessNotFound, OSError):
        return None
    match = _VERSION.search(done.stdout + "\n" + done.stderr)
    return match.group(0) if match else None
