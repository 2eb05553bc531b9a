"""``llmsecops init``: write a commented config, a workflow using the action and a
pre-commit entry, never overwriting an existing file without ``--force``.

Exit codes: 0 when at least one file was written (existing ones are reported
and skipped), 2 when nothing was written because everything already existed,
or PATH is not a directory, or a file could not be written.
"""

from __future__ import annotations

import enum
import re
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
import yaml

from llmsecops import __version__
from llmsecops.errors import ExitCode, UsageError

CONFIG_PATH = Path(".llmsecops.yml")
WORKFLOW_PATH = Path(".github/workflows/llmsecops.yml")
PRE_COMMIT_PATH = Path(".pre-commit-config.yaml")
_TEMPLATES = "llmsecops.templates_init"
_HOOK_ID = re.compile(r"^\s*-?\s*id:\s*['\"]?llmsecops(-repo)?['\"]?\s*$", re.MULTILINE)
_REPO_ITEM = re.compile(r"^(\s*)-\s+repo:", re.MULTILINE)
_TOP_LEVEL_KEY = re.compile(r"^[A-Za-z_][\w-]*\s*:", re.MULTILINE)


class Action(enum.Enum):
    CREATED = "created"
    OVERWRITTEN = "overwritten"
    APPENDED = "added the llmsecops hook to"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Outcome:
    path: Path
    action: Action
    reason: str = ""


def init(
    path: Annotated[
        Path, typer.Argument(help="Repository to set up (default: the current directory).")
    ] = Path("."),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Overwrite an existing .llmsecops.yml and workflow (an existing "
            ".pre-commit-config.yaml is only ever appended to).",
        ),
    ] = False,
) -> int:
    """Write .llmsecops.yml, a GitHub workflow and a pre-commit entry."""
    root = path
    if not root.is_dir():
        raise UsageError(f"init: {root}: not a directory")
    outcomes = [
        _write_new(root, CONFIG_PATH, _template("llmsecops.yml"), force=force),
        _write_new(root, WORKFLOW_PATH, _template("workflow.yml"), force=force),
        _pre_commit(root),
    ]
    for outcome in outcomes:
        shown = outcome.path.as_posix()
        if outcome.action is Action.SKIPPED:
            print(f"llmsecops: skipped {shown}: {outcome.reason}", file=sys.stderr)
        else:
            print(f"llmsecops: {outcome.action.value} {shown}", file=sys.stderr)
    if all(o.action is Action.SKIPPED for o in outcomes):
        print("llmsecops: nothing written (use --force to overwrite)", file=sys.stderr)
        return int(ExitCode.USAGE)
    return int(ExitCode.OK)


def _template(name: str) -> str:
    return resources.files(_TEMPLATES).joinpath(name).read_text(encoding="utf-8")


def _pre_commit_entry() -> str:
    return _template("pre-commit-entry.yaml").replace("{version}", __version__)


def _write(target: Path, text: str) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"init: cannot write {target}: {exc.strerror or exc}") from None


def _write_new(root: Path, rel: Path, text: str, *, force: bool) -> Outcome:
    target = root / rel
    exists = target.exists() or target.is_symlink()
    if exists and not force:
        return Outcome(rel, Action.SKIPPED, "already exists (use --force to overwrite)")
    if target.is_symlink() or (exists and not target.is_file()):
        return Outcome(rel, Action.SKIPPED, "not a regular file; left alone")
    _write(target, text)
    return Outcome(rel, Action.OVERWRITTEN if exists else Action.CREATED)


def _pre_commit(root: Path) -> Outcome:
    """Create the file, or append our hook to an existing one that lacks it.

    An existing file holds other hooks, so it is never replaced, even with
    ``--force``; an append that would not parse as one more repo is refused.
    """
    target = root / PRE_COMMIT_PATH
    entry = _pre_commit_entry()
    if not target.exists() and not target.is_symlink():
        _write(target, "repos:\n" + entry)
        return Outcome(PRE_COMMIT_PATH, Action.CREATED)
    if target.is_symlink() or not target.is_file():
        return Outcome(PRE_COMMIT_PATH, Action.SKIPPED, "not a regular file; left alone")
    try:
        text = target.read_text(encoding="utf-8")
        before = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return Outcome(
            PRE_COMMIT_PATH, Action.SKIPPED, "cannot be read as YAML; add the hook by hand"
        )
    if _HOOK_ID.search(text) or "llmsecops/llmsecops" in text:
        return Outcome(PRE_COMMIT_PATH, Action.SKIPPED, "already has an llmsecops hook")
    merged = _append_repo(text, before, entry)
    if merged is None:
        return Outcome(
            PRE_COMMIT_PATH,
            Action.SKIPPED,
            "repos: is not the last top-level key; add the hook by hand (see README)",
        )
    _write(target, merged)
    return Outcome(PRE_COMMIT_PATH, Action.APPENDED)


def _append_repo(text: str, before: object, entry: str) -> str | None:
    if not isinstance(before, dict) or not isinstance(before.get("repos", []), list):
        return None
    repos: list[object] = before.get("repos") or []
    keys = [m for m in _TOP_LEVEL_KEY.finditer(text)]
    if not keys or not keys[-1].group(0).startswith("repos"):
        return None
    items = _REPO_ITEM.findall(text[keys[-1].start() :])
    indent = items[0] if items else "  "
    body = "\n".join(
        (indent + line[2:]) if line.startswith("  ") else line for line in entry.splitlines()
    )
    head = text.rstrip("\n")
    if head.rstrip().endswith("[]"):  # `repos: []`: flow style cannot take a block item
        head = head.rstrip()[:-2].rstrip()
    merged = f"{head}\n{body}\n"
    try:
        after = yaml.safe_load(merged)
    except yaml.YAMLError:
        return None
    if not isinstance(after, dict) or len(after.get("repos") or []) != len(repos) + 1:
        return None
    return merged
