"""The only module that starts subprocesses.

Every child gets a list argv (no shell), a timeout, a memory ceiling, closed
stdin, a scrubbed environment and its own process group, so a timeout kills
the whole tree. Git is always run with overrides that stop a scanned
repository's own config from executing anything.

The memory ceiling is applied by a tiny shim, ``python -I -S -c``, that sets
RLIMIT_DATA on itself and then execs the tool, which inherits the limit. We
do not use ``preexec_fn``: scanners run in threads, and running Python code
between fork and exec in a threaded program can deadlock. RLIMIT_DATA (not
RLIMIT_AS) counts what a process actually allocates (heap and private
writable mappings) and not address space merely reserved or files mapped
read-only, so runtimes that reserve large arenas and git's mmapped packs are
not refused; an allocation past it fails (MemoryError, ENOMEM), and the run
is reported as exceeding its ceiling. ``-I`` keeps the scanned directory
(the child's cwd) off the shim's ``sys.path``, so a ``resource.py`` there is
never imported.
"""

from __future__ import annotations

import contextlib
import contextvars
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
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
# Names that hold credentials whatever the allowlist or a caller's extras say:
# tokens, keys, passwords, and the variables of clouds and CI systems.
_SECRETISH = re.compile(
    r"(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|_KEY$|_KEY_|^KEY$|API_?KEY|KEY_ID|AUTH|COOKIE|SESSION"
    r"|PRIVATE|_SOCK$|^AWS_|^AZURE_|^ARM_|^GOOGLE_|^GCP_|^GCLOUD_|^CLOUDSDK_|^DIGITALOCEAN_|^HCLOUD_"
    r"|^GITHUB_|^GITLAB_|^CI_|^ACTIONS_|^RUNNER_|^BUILDKITE|^CIRCLE|^TRAVIS|^JENKINS|^BITBUCKET_"
    r"|^DRONE_|^TEAMCITY|^SYSTEM_ACCESSTOKEN|^VAULT_|^NPM_|^NODE_AUTH|^TWINE_|^DOCKER_"
    r"|^OPENAI_|^ANTHROPIC_|^HF_|^HUGGING|^COHERE_|^MISTRAL_|^GROQ_|^REPLICATE_)",
    re.IGNORECASE,
)

# Allocation ceiling for every child, in MiB (scanners.<name>.max-memory overrides it).
DEFAULT_MEMORY_MB = 4096
_MEMORY_MB: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "llmsecops_memory_mb", default=DEFAULT_MEMORY_MB
)
_LIMIT_SHIM = (
    "import os,resource,sys\n"
    "n=int(sys.argv[1])\n"
    "soft,hard=resource.getrlimit(resource.RLIMIT_DATA)\n"
    "n=n if hard==resource.RLIM_INFINITY else min(n,hard)\n"
    "resource.setrlimit(resource.RLIMIT_DATA,(n,n))\n"
    "os.execv(sys.argv[2],sys.argv[2:])\n"
)
# What a child prints when an allocation is refused (Python, OCaml, C/C++, Go, Node).
_OUT_OF_MEMORY = re.compile(
    r"MemoryError|out of memory|Cannot allocate memory|bad_alloc|memory exhausted"
    r"|failed to allocate|allocation failed",
    re.IGNORECASE,
)

# Overrides that keep a repository's .git/config and .gitattributes inert.
GIT_SAFE_CONFIG: tuple[str, ...] = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.editor=false",
    "core.gitProxy=",
    "sequence.editor=false",
    "diff.external=",
    "log.showSignature=false",
    "gpg.program=false",
    "gpg.ssh.program=false",
    "gpg.x509.program=false",
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


class ProcessOutOfMemory(ProcessTimeout):
    """The child ran past its memory ceiling. A subclass of ProcessTimeout so
    every adapter that reports a blown time limit as a failed run reports a
    blown memory limit the same way."""

    def __init__(self, argv: Sequence[str], limit_mb: int) -> None:
        Exception.__init__(
            self, f"{Path(argv[0]).name} exceeded its memory ceiling of {limit_mb} MiB"
        )
        self.timeout_s = 0.0
        self.limit_mb = limit_mb


class UnsafeGitConfig(Exception):
    """The repository's git config holds something we cannot neutralise."""


class ProcessFailed(Exception):
    def __init__(self, program: str, returncode: int) -> None:
        super().__init__(f"{program} exited with status {returncode}")
        self.returncode = returncode


class ProcessNotFound(Exception):
    def __init__(self, program: str) -> None:
        super().__init__(f"{program} is not installed or not on PATH")
        self.program = program


def is_credential(name: str) -> bool:
    """Whether an environment variable's name says it holds a credential."""
    return bool(_SECRETISH.search(name))


def scrubbed_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The allowlisted part of our environment plus ``extra`` (a scanner's own
    settings); credential-named variables never pass, even as extras."""
    env = {k: v for k, v in os.environ.items() if k in _ENV_ALLOWED and not is_credential(k)}
    env.setdefault("LANG", "C.UTF-8")
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    if extra:
        env.update({k: v for k, v in extra.items() if not is_credential(k)})
    return env


@contextlib.contextmanager
def memory_limit(limit_mb: int | None) -> Iterator[None]:
    """Children started in this context (this thread) get this ceiling; None: none."""
    token = _MEMORY_MB.set(limit_mb)
    try:
        yield
    finally:
        _MEMORY_MB.reset(token)


def current_memory_limit() -> int | None:
    return _MEMORY_MB.get()


def limited_argv(argv: Sequence[str], limit_mb: int | None) -> list[str]:
    """``argv`` behind the RLIMIT_DATA shim, or unchanged where rlimits do not exist."""
    if limit_mb is None or os.name != "posix":
        return list(argv)
    program = argv[0]
    if os.sep not in program:
        found = shutil.which(program)
        if found is None:
            raise ProcessNotFound(program)
        program = found
    elif not os.access(program, os.X_OK):
        raise ProcessNotFound(Path(program).name)
    return [
        sys.executable,
        "-I",
        "-S",
        "-c",
        _LIMIT_SHIM,
        str(limit_mb * 1024 * 1024),
        program,
        *argv[1:],
    ]


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
    """Start a child: list argv, stdin closed, scrubbed env, its own process
    group, the current memory ceiling. A caller's env is scrubbed again: no
    code path hands a child a credential."""
    child_env = {k: v for k, v in env.items() if not is_credential(k)} if env is not None else None
    try:
        return subprocess.Popen(
            limited_argv(argv, current_memory_limit()),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=child_env if child_env is not None else scrubbed_env(),
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
    errors: str = "replace",
) -> Completed:
    """Run ``argv`` to completion; raise ProcessTimeout/ProcessNotFound, or
    ProcessOutOfMemory when it failed for want of memory under its ceiling.
    ``errors`` is how undecodable output bytes are decoded."""
    start = time.monotonic()
    limit_mb = current_memory_limit()
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
    stderr_text = err.decode("utf-8", errors="replace")
    if limit_mb is not None and proc.returncode != 0 and _OUT_OF_MEMORY.search(stderr_text):
        raise ProcessOutOfMemory(argv, limit_mb)
    return Completed(
        argv=tuple(argv),
        returncode=proc.returncode,
        stdout=out.decode("utf-8", errors=errors),
        stderr=stderr_text,
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


def git(
    args: Sequence[str], *, cwd: Path, timeout_s: float = 60, errors: str = "replace"
) -> Completed:
    return run(git_argv(args), cwd=cwd, timeout_s=timeout_s, errors=errors)


def git_filter_overrides(cwd: Path) -> list[str]:
    """``-c`` overrides that empty every filter driver the repository configures.

    Filter drivers (``filter.<name>.clean``/``smudge``/``process`` selected by
    ``.gitattributes``) run whenever git reads a work-tree file into a diff;
    their names are the repository's own, so they cannot be listed ahead of
    time like ``core.fsmonitor``. Reading config executes nothing. A name
    that ``-c`` cannot express (it holds ``=``) raises UnsafeGitConfig: the
    caller must not run the command."""
    done = git(["config", "--null", "--get-regexp", r"^filter\."], cwd=cwd, timeout_s=30)
    names: set[str] = set()
    for entry in done.stdout.split("\0"):
        key = entry.split("\n", 1)[0]
        if key.startswith("filter.") and key.count(".") >= 2:
            names.add(key[len("filter.") : key.rindex(".")])
    unsafe = sorted(n for n in names if "=" in n)
    if unsafe:
        raise UnsafeGitConfig(f"filter driver {unsafe[0]!r} cannot be disabled")
    out: list[str] = []
    for name in sorted(names):
        for setting in ("clean=", "smudge=", "process=", "required=false"):
            out += ["-c", f"filter.{name}.{setting}"]
    return out


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


def worker_pool(
    max_workers: int, initializer: Callable[..., object], initargs: tuple[object, ...]
) -> ProcessPoolExecutor:
    """A pool of worker processes running llmsecops' own code (never the repo's).

    fork where the platform has it: the child re-imports nothing, so nothing
    on a ``sys.path`` that may start with the scanned directory is imported
    (spawn would re-import). Each worker applies this thread's memory ceiling
    to itself before the initializer runs.
    """
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(
        max_workers=max_workers,
        mp_context=multiprocessing.get_context(method),
        initializer=_start_worker,
        initargs=(current_memory_limit(), initializer, initargs),
    )


def _start_worker(
    limit_mb: int | None, initializer: Callable[..., object], initargs: tuple[object, ...]
) -> None:
    if limit_mb is not None:
        try:
            import resource

            size = limit_mb * 1024 * 1024
            _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
            if hard != resource.RLIM_INFINITY:
                size = min(size, hard)
            resource.setrlimit(resource.RLIMIT_DATA, (size, size))
        except (ImportError, ValueError, OSError):
            pass  # no rlimits here: the scan's timeout still bounds the worker
    initializer(*initargs)
