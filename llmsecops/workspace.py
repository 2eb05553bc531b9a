"""The one file set every scanner sees, computed once per scan.

In a git work tree: tracked plus untracked-not-ignored files. Elsewhere: a
walk with default excludes. Either way: no symlinks (one leaving the root is
never read; one inside it points at a file that is scanned in its own
right), no special files, nothing above the size limit, no binaries, and
every skip is counted by reason.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from llmsecops.errors import UsageError
from llmsecops.model import WorkspaceSummary
from llmsecops.scanners import _process

# Directory names never descended into (dependencies, environments, build output).
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        "site-packages",
        ".eggs",
        "build",
        "dist",
        ".next",
        ".cache",
    }
)
BINARY_SNIFF_BYTES = 8192

LANGUAGE_BY_SUFFIX: dict[str, str] = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".tsx": "typescript",
}


class SkipReason:
    EXCLUDED = "excluded"
    SYMLINK = "symlink"
    SYMLINK_OUTSIDE = "symlink leaving the root"
    SPECIAL = "not a regular file"
    TOO_LARGE = "larger than max-file-size"
    BINARY = "binary"
    MISSING = "listed by git but missing"
    UNREADABLE = "unreadable"
    BAD_NAME = "file name not valid UTF-8"
    OUTSIDE = "path outside the root"


@dataclass(frozen=True)
class SourceFile:
    path: str  # repo-relative POSIX
    size: int

    @property
    def language(self) -> str | None:
        return LANGUAGE_BY_SUFFIX.get(PurePosixPath(self.path).suffix.lower())


@dataclass(frozen=True)
class Workspace:
    root: Path
    files: tuple[SourceFile, ...]
    git: bool
    skipped: Counter[str] = field(default_factory=Counter)
    unreadable: tuple[str, ...] = ()

    def by_language(self, *languages: str) -> tuple[SourceFile, ...]:
        return tuple(f for f in self.files if f.language in languages)

    def named(self, basenames: Iterable[str]) -> tuple[SourceFile, ...]:
        names = set(basenames)
        return tuple(f for f in self.files if PurePosixPath(f.path).name in names)

    def summary(self) -> WorkspaceSummary:
        return WorkspaceSummary(
            root=str(self.root),
            files=len(self.files),
            git=self.git,
            skipped=dict(sorted(self.skipped.items())),
            unreadable=self.unreadable,
        )


def resolve_targets(targets: Sequence[Path], cwd: Path) -> tuple[Path, tuple[str, ...] | None]:
    """Turn CLI targets into (root, explicit files or None).

    One directory: scan it whole. Files (as pre-commit passes them): scan just
    those, rooted at the enclosing git work tree or the current directory.
    """
    if not targets:
        targets = [cwd]
    absolute = [t if t.is_absolute() else cwd / t for t in targets]
    for shown, t in zip(targets, absolute, strict=True):
        if not t.exists() and not t.is_symlink():
            raise UsageError(f"path not found: {shown}")
    dirs = [t for t in absolute if t.is_dir() and not t.is_symlink()]
    if dirs:
        if len(absolute) > 1:
            raise UsageError("give one directory to scan, or a list of files, not both")
        return dirs[0].resolve(), None
    root = _git_toplevel(cwd) or cwd.resolve()
    explicit: list[str] = []
    for shown, t in zip(targets, absolute, strict=True):
        # Resolve the parent, not the file: a symlinked file stays a link the
        # workspace will refuse to follow.
        candidate = t.parent.resolve() / t.name
        try:
            rel = candidate.relative_to(root)
        except ValueError:
            raise UsageError(
                f"{shown} is outside the scan root {root}: run from inside its repository "
                "or pass its directory"
            ) from None
        explicit.append(rel.as_posix())
    return root, tuple(dict.fromkeys(explicit))


def _git_toplevel(cwd: Path) -> Path | None:
    try:
        done = _process.git(["rev-parse", "--show-toplevel"], cwd=cwd, timeout_s=30)
    except (_process.ProcessNotFound, _process.ProcessTimeout, OSError):
        return None
    if done.returncode != 0:
        return None
    top = done.stdout.strip()
    return Path(top).resolve() if top else None


def collect(
    root: Path,
    *,
    exclude: Sequence[str] = (),
    max_file_size: int,
    explicit: Sequence[str] | None = None,
) -> Workspace:
    """Build the file set for ``root``."""
    if not root.is_dir():
        raise UsageError(f"not a directory: {root}")
    root = root.resolve()
    git_paths = _git_files(root)
    if explicit is not None:
        candidates: Iterable[str] = explicit
    elif git_paths is not None:
        candidates = git_paths
    else:
        candidates = _walk(root)
    skipped: Counter[str] = Counter()
    unreadable: list[str] = []
    files: list[SourceFile] = []
    for rel in sorted(set(candidates)):
        if _excluded(rel, exclude):
            skipped[SkipReason.EXCLUDED] += 1
            continue
        verdict = _inspect(root, rel, max_file_size)
        if isinstance(verdict, SourceFile):
            files.append(verdict)
        else:
            skipped[verdict] += 1
            if verdict == SkipReason.UNREADABLE:
                unreadable.append(rel)
    return Workspace(
        root=root,
        files=tuple(files),
        git=git_paths is not None,
        skipped=skipped,
        unreadable=tuple(unreadable),
    )


def _git_files(root: Path) -> list[str] | None:
    """Tracked and untracked-not-ignored files below root, or None outside git."""
    try:
        inside = _process.git(["rev-parse", "--is-inside-work-tree"], cwd=root, timeout_s=30)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return None
        # surrogateescape keeps a non-UTF-8 name distinct, so it is counted as such.
        done = _process.git(
            ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", "."],
            cwd=root,
            timeout_s=300,
            errors="surrogateescape",
        )
        prefix_run = _process.git(["rev-parse", "--show-prefix"], cwd=root, timeout_s=30)
    except (_process.ProcessNotFound, _process.ProcessTimeout, OSError):
        return None
    if done.returncode != 0 or prefix_run.returncode != 0:
        return None
    prefix = prefix_run.stdout.strip()
    out: list[str] = []
    for entry in done.stdout.split("\0"):
        if not entry:
            continue
        if prefix and entry.startswith(prefix):
            entry = entry[len(prefix) :]
        out.append(entry)
    return out


def _walk(root: Path) -> Iterator[str]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS)
        base = Path(dirpath).relative_to(root)
        for name in filenames:
            yield (base / name).as_posix()
        # A directory symlink is listed in dirnames but never followed; surface it
        # so it is counted as skipped rather than vanishing.
        for d in dirnames[:]:
            if os.path.islink(os.path.join(dirpath, d)):
                dirnames.remove(d)
                yield (base / d).as_posix()


def _excluded(rel: str, patterns: Sequence[str]) -> bool:
    parts = rel.split("/")
    if any(part in DEFAULT_EXCLUDED_DIRS for part in parts[:-1]):
        return True
    for pattern in patterns:
        p = pattern.rstrip("/")
        if fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(rel, f"{p}/*"):
            return True
        if "/" not in p and any(fnmatch.fnmatchcase(part, p) for part in parts):
            return True
    return False


def _inspect(root: Path, rel: str, max_file_size: int) -> SourceFile | str:
    if not _utf8(rel):
        # Reports are UTF-8: a name that cannot be written there is not scanned.
        return SkipReason.BAD_NAME
    parts = rel.split("/")
    if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return SkipReason.OUTSIDE
    path = root / rel
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return SkipReason.MISSING
    except OSError:
        return SkipReason.UNREADABLE
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        try:
            Path(target).relative_to(root)
        except ValueError:
            return SkipReason.SYMLINK_OUTSIDE
        return SkipReason.SYMLINK
    if not stat.S_ISREG(st.st_mode):
        return SkipReason.SPECIAL
    # A parent directory that is a link would let a path escape: check the real path.
    if not _inside(root, path):
        return SkipReason.SYMLINK_OUTSIDE
    if st.st_size > max_file_size:
        return SkipReason.TOO_LARGE
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
        try:
            head = os.read(fd, BINARY_SNIFF_BYTES)
        finally:
            os.close(fd)
    except OSError:
        return SkipReason.UNREADABLE
    if b"\0" in head:
        return SkipReason.BINARY
    return SourceFile(path=rel, size=st.st_size)


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _inside(root: Path, path: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(root)
    except ValueError:
        return False
    return True


def read_bytes(root: Path, rel: str) -> bytes:
    """Read a workspace file's bytes, never via a link."""
    fd = os.open(root / rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def read_text(root: Path, rel: str, *, keep_bom: bool = False) -> str:
    """Read a workspace file as text (invalid bytes replaced), never via a link."""
    return read_bytes(root, rel).decode("utf-8" if keep_bom else "utf-8-sig", errors="replace")


_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


def changed_lines(root: Path, ref: str) -> dict[str, set[int]]:
    """Lines added or changed since the merge base of ``ref`` and HEAD, by
    repo-relative path (uncommitted edits and untracked files included)."""
    if ref.startswith("-") or not ref.strip():
        raise UsageError(f"--diff-base: {ref!r} is not a git ref")
    try:
        shallow = _process.git(["rev-parse", "--is-shallow-repository"], cwd=root)
        if shallow.returncode != 0:
            raise UsageError(f"--diff-base: {root} is not a git work tree")
        if shallow.stdout.strip() == "true":
            raise UsageError(
                "--diff-base: the clone is shallow, so the merge base cannot be found; "
                "fetch full history (actions/checkout fetch-depth: 0)"
            )
        verify = _process.git(["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], cwd=root)
        if verify.returncode != 0:
            raise UsageError(f"--diff-base: unknown ref {ref!r} (fetch it first?)")
        base = _process.git(["merge-base", verify.stdout.strip(), "HEAD"], cwd=root)
        if base.returncode != 0:
            raise UsageError(f"--diff-base: {ref!r} and HEAD have no common ancestor")
        # Diffing against the work tree runs the repository's filter drivers.
        overrides = _process.git_filter_overrides(root)
        diff = _process.git(
            [
                *overrides,
                "diff",
                "--no-ext-diff",
                "--no-textconv",
                "--no-color",
                "--no-renames",
                "--relative",
                "-U0",
                base.stdout.strip(),
                "--",
                ".",
            ],
            cwd=root,
            timeout_s=300,
        )
        untracked = _process.git(
            ["ls-files", "-z", "--others", "--exclude-standard", "."], cwd=root, timeout_s=300
        )
    except _process.UnsafeGitConfig as exc:
        raise UsageError(
            f"--diff-base: refusing to diff: the repository's git config: {exc}"
        ) from None
    except (_process.ProcessNotFound, _process.ProcessTimeout, OSError) as exc:
        raise UsageError(f"--diff-base: git failed: {exc}") from None
    changed: dict[str, set[int]] = {}
    path = ""
    for line in diff.stdout.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("@@") and path:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                changed.setdefault(path, set()).update(range(start, start + count))
    for rel in untracked.stdout.split("\0"):
        if rel:
            changed[rel] = {0}  # every line is new
    return changed


def in_diff(changed: dict[str, set[int]], path: str, start: int, end: int) -> bool:
    lines = changed.get(path)
    if lines is None:
        return False
    return 0 in lines or any(n in lines for n in range(start, end + 1))
