"""Dependency manifests and lock files, parsed as text by pure functions.

Every dependency keeps the file and line that declares it, so a finding
points there. A parser never installs, builds, imports or executes anything:
``setup.py`` is not a manifest here, and a requirement that names a URL, a
path or a VCS checkout is reported as not auditable instead of being followed.

Each ``parse_*`` takes a repo-relative path and the file's text and returns a
``Parsed``; a file it cannot make sense of raises ``ManifestError`` whose
message is one line naming the file and the problem.
"""

from __future__ import annotations

import enum
import json
import posixpath
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement

from llmsecops.deps.versions import VersionError, canonical_name, semver_key

PYPI = "PyPI"
NPM = "npm"


class ManifestError(ValueError):
    """A manifest or lock file that cannot be parsed; one line, names the file."""


class Kind(enum.Enum):
    REQUIREMENTS = "requirements"
    PYPROJECT = "pyproject"
    POETRY_LOCK = "poetry.lock"
    UV_LOCK = "uv.lock"
    PIPFILE_LOCK = "Pipfile.lock"
    PYLOCK = "pylock.toml"
    PACKAGE_LOCK = "package-lock.json"
    PNPM_LOCK = "pnpm-lock.yaml"
    YARN_LOCK = "yarn.lock"

    @property
    def is_lock(self) -> bool:
        return self not in (Kind.REQUIREMENTS, Kind.PYPROJECT)

    @property
    def ecosystem(self) -> str:
        return NPM if self in (Kind.PACKAGE_LOCK, Kind.PNPM_LOCK, Kind.YARN_LOCK) else PYPI


@dataclass(frozen=True)
class Dependency:
    ecosystem: str
    name: str  # canonical for the ecosystem
    version: str | None  # the exact version, or None if the manifest does not pin one
    spec: str  # what the manifest asks for, e.g. ">=2.0" or "4.17.19"
    path: str
    line: int

    @property
    def pinned(self) -> bool:
        return self.version is not None


@dataclass(frozen=True)
class Include:
    """A ``-r``/``-c`` line of a requirements file."""

    path: str  # the including file
    line: int
    target: str  # as written, relative to the including file's folder


@dataclass(frozen=True)
class Parsed:
    kind: Kind
    dependencies: tuple[Dependency, ...] = ()
    includes: tuple[Include, ...] = ()
    not_auditable: tuple[str, ...] = ()  # "path:line name: why" (URL, VCS, local path, ...)


_REQ_NAME = re.compile(r"^requirements[\w.\-]*\.(txt|in)$")
_PYLOCK_NAME = re.compile(r"^pylock\.([^.]+\.)?toml$")


def is_requirements_file(path: str) -> bool:
    p = PurePosixPath(path)
    if p.suffix != ".txt":
        return False
    return bool(_REQ_NAME.match(p.name)) or (len(p.parts) > 1 and p.parts[-2] == "requirements")


def kind_of(path: str) -> Kind | None:
    """Which manifest format a repo-relative path is, by its name alone."""
    name = PurePosixPath(path).name
    if is_requirements_file(path):
        return Kind.REQUIREMENTS
    if _PYLOCK_NAME.match(name):
        return Kind.PYLOCK
    fixed = {
        "pyproject.toml": Kind.PYPROJECT,
        "poetry.lock": Kind.POETRY_LOCK,
        "uv.lock": Kind.UV_LOCK,
        "Pipfile.lock": Kind.PIPFILE_LOCK,
        "package-lock.json": Kind.PACKAGE_LOCK,
        "npm-shrinkwrap.json": Kind.PACKAGE_LOCK,
        "pnpm-lock.yaml": Kind.PNPM_LOCK,
        "yarn.lock": Kind.YARN_LOCK,
    }
    return fixed.get(name)


def parse(path: str, text: str, kind: Kind) -> Parsed:
    parsers: dict[Kind, Callable[[str, str], Parsed]] = {
        Kind.REQUIREMENTS: parse_requirements,
        Kind.PYPROJECT: parse_pyproject,
        Kind.POETRY_LOCK: parse_poetry_lock,
        Kind.UV_LOCK: parse_uv_lock,
        Kind.PIPFILE_LOCK: parse_pipfile_lock,
        Kind.PYLOCK: parse_pylock,
        Kind.PACKAGE_LOCK: parse_package_lock,
        Kind.PNPM_LOCK: parse_pnpm_lock,
        Kind.YARN_LOCK: parse_yarn_lock,
    }
    return parsers[kind](path, text)


# --- requirements.txt -------------------------------------------------------


_INCLUDE = re.compile(r"^(-r|-c|--requirement|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)")


def parse_requirements(path: str, text: str) -> Parsed:
    """pip's requirements format. Only ``==``/``===`` pins without wildcards
    are exact; markers and extras are kept out of the way; ``--hash`` options
    are ignored; ``-r``/``-c`` lines become includes the caller resolves."""
    deps: list[Dependency] = []
    includes: list[Include] = []
    not_auditable: list[str] = []
    for number, line in _logical_lines(text):
        stripped = _strip_comment(line).strip()
        if not stripped:
            continue
        where = f"{path}:{number}"
        include = _INCLUDE.match(stripped)
        if include:
            includes.append(Include(path, number, include.group(2)))
            continue
        if stripped.startswith(("-e", "--editable")):
            not_auditable.append(f"{where} editable install")
            continue
        if stripped.startswith("-"):
            continue  # --index-url, a lone --hash, ...: options, not packages
        requirement_text = re.split(r"\s--hash", stripped, maxsplit=1)[0].strip()
        try:
            req = Requirement(requirement_text)
        except InvalidRequirement:
            not_auditable.append(f"{where} not a requirement ({requirement_text[:60]})")
            continue
        if req.url:
            not_auditable.append(f"{where} {req.name} from a URL")
            continue
        deps.append(_pep508_dependency(req, path, number))
    return Parsed(Kind.REQUIREMENTS, tuple(deps), tuple(includes), tuple(not_auditable))


def _pep508_dependency(req: Requirement, path: str, line: int) -> Dependency:
    exact = [s for s in req.specifier if s.operator in ("==", "===") and "*" not in s.version]
    version = exact[0].version if len(exact) == 1 else None
    return Dependency(
        PYPI, canonical_name(PYPI, req.name), version, str(req.specifier) or "any", path, line
    )


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations; report each logical line at its first line."""
    out: list[tuple[int, str]] = []
    buffer = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not buffer:
            start = number
        if raw.rstrip().endswith("\\"):
            buffer += raw.rstrip()[:-1] + " "
            continue
        out.append((start, buffer + raw))
        buffer = ""
    if buffer:
        out.append((start, buffer))
    return out


def _strip_comment(line: str) -> str:
    match = re.search(r"(^|\s)#", line)
    return line[: match.start()] if match else line


def resolve_include(include: Include) -> str | None:
    """The repo-relative path an include names, or None if it leaves the
    workspace (absolute, ``..`` above the root) or is a URL."""
    target = include.target
    if "://" in target or target.startswith("/") or re.match(r"^[A-Za-z]:[\\/]", target):
        return None
    base = posixpath.dirname(include.path)
    joined = posixpath.normpath(posixpath.join(base, target.replace("\\", "/")))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


# --- TOML helpers -----------------------------------------------------------


def _toml(path: str, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{path}: invalid TOML: {exc}") from None


def _array_table_lines(text: str, table: str) -> list[int]:
    """For each ``[[table]]`` header in order, the line of its ``name =`` key
    (or of the header when the name comes later than the next table)."""
    lines = text.splitlines()
    header = re.compile(rf"^\s*\[\[\s*{re.escape(table)}\s*\]\]\s*(#.*)?$")
    any_header = re.compile(r"^\s*\[")
    name_key = re.compile(r"^\s*name\s*=")
    out: list[int] = []
    for i, line in enumerate(lines):
        if header.match(line):
            found = i + 1
            for j in range(i + 1, len(lines)):
                if any_header.match(lines[j]):
                    break
                if name_key.match(lines[j]):
                    found = j + 1
                    break
            out.append(found)
    return out


def _line_of_key(text: str, section: str, key: str) -> int:
    """The line of ``key =`` inside the ``[section]`` table; the header's
    line, or 1, if the key is not written on a line of its own."""
    lines = text.splitlines()
    head = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]\s*(#.*)?$")
    start = next((i for i, line in enumerate(lines) if head.match(line)), None)
    if start is None:
        return 1
    key_re = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    for j in range(start + 1, len(lines)):
        if re.match(r"^\s*\[", lines[j]):
            break
        if key_re.match(lines[j]):
            return j + 1
    return start + 1


class _LiteralLines:
    """Lines of quoted string literals, each occurrence handed out once."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.used: set[tuple[int, str]] = set()

    def find(self, literal: str, default: int = 1) -> int:
        for i, line in enumerate(self.lines):
            for quoted in (f'"{literal}"', f"'{literal}'"):
                if quoted in line and (i, literal) not in self.used:
                    self.used.add((i, literal))
                    return i + 1
        return default


# --- pyproject.toml ---------------------------------------------------------


def parse_pyproject(path: str, text: str) -> Parsed:
    """PEP 621 ``[project]`` dependencies and optional-dependencies, PEP 735
    dependency groups, and Poetry's dependency tables."""
    data = _toml(path, text)
    literals = _LiteralLines(text)
    deps: list[Dependency] = []
    not_auditable: list[str] = []

    def pep508(items: object, where: str) -> None:
        if not isinstance(items, list):
            raise ManifestError(f"{path}: {where}: expected a list of requirement strings")
        for item in items:
            if not isinstance(item, str):
                continue  # e.g. {include-group = "..."} in dependency-groups
            line = literals.find(item)
            try:
                req = Requirement(item)
            except InvalidRequirement:
                not_auditable.append(f"{path}:{line} not a requirement ({item[:60]})")
                continue
            if req.url:
                not_auditable.append(f"{path}:{line} {req.name} from a URL")
                continue
            deps.append(_pep508_dependency(req, path, line))

    project = data.get("project", {})
    if isinstance(project, dict):
        if "dependencies" in project:
            pep508(project["dependencies"], "project.dependencies")
        optional = project.get("optional-dependencies", {})
        if isinstance(optional, dict):
            for group, items in optional.items():
                pep508(items, f"project.optional-dependencies.{group}")
    groups = data.get("dependency-groups", {})
    if isinstance(groups, dict):
        for group, items in groups.items():
            pep508(items, f"dependency-groups.{group}")

    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    if isinstance(poetry, dict):
        tables: list[tuple[str, object]] = [
            ("tool.poetry.dependencies", poetry.get("dependencies")),
            ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies")),
        ]
        poetry_groups = poetry.get("group", {})
        if isinstance(poetry_groups, dict):
            for group, table in poetry_groups.items():
                if isinstance(table, dict):
                    tables.append(
                        (f"tool.poetry.group.{group}.dependencies", table.get("dependencies"))
                    )
        for section, table in tables:
            if isinstance(table, dict):
                for name, constraint in table.items():
                    if name.lower() == "python":
                        continue
                    line = _line_of_key(text, section, name)
                    dep = _poetry_dependency(name, constraint, path, line)
                    if dep is None:
                        not_auditable.append(f"{path}:{line} {name} from git, a path or a URL")
                    else:
                        deps.append(dep)
    return Parsed(Kind.PYPROJECT, tuple(deps), (), tuple(not_auditable))


_EXACT_POETRY = re.compile(r"^\s*(?:==?)?\s*(\d[0-9A-Za-z.!+\-]*)\s*$")


def _poetry_dependency(name: str, constraint: object, path: str, line: int) -> Dependency | None:
    """Poetry constraints: a bare version ("2.25.1" or "==2.25.1") is an exact
    pin; carets, tildes, ranges and "*" are not."""
    if isinstance(constraint, list):  # multiple-constraint form: not one exact version
        return Dependency(PYPI, canonical_name(PYPI, name), None, "several", path, line)
    if isinstance(constraint, dict):
        if any(k in constraint for k in ("git", "path", "url")):
            return None
        constraint = constraint.get("version", "*")
    spec = str(constraint)
    match = _EXACT_POETRY.match(spec)
    version = match.group(1) if match else None
    return Dependency(PYPI, canonical_name(PYPI, name), version, spec, path, line)


# --- Python lock files ------------------------------------------------------


def _lock_tables(path: str, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ManifestError(f"{path}: '{key}' is not an array of tables")
    return tables


def parse_poetry_lock(path: str, text: str) -> Parsed:
    data = _toml(path, text)
    tables = _lock_tables(path, data, "package")
    lines = _array_table_lines(text, "package")
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    for i, pkg in enumerate(tables):
        line = lines[i] if i < len(lines) else 1
        name, version = pkg.get("name"), pkg.get("version")
        if not isinstance(name, str) or not isinstance(version, str):
            raise ManifestError(f"{path}:{line}: package without a name and version")
        source = pkg.get("source")
        if isinstance(source, dict) and source.get("type") not in (None, "legacy"):
            not_auditable.append(f"{path}:{line} {name} from {source.get('type')}")
            continue
        deps.append(Dependency(PYPI, canonical_name(PYPI, name), version, version, path, line))
    return Parsed(Kind.POETRY_LOCK, tuple(deps), (), tuple(not_auditable))


def parse_uv_lock(path: str, text: str) -> Parsed:
    data = _toml(path, text)
    tables = _lock_tables(path, data, "package")
    lines = _array_table_lines(text, "package")
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    for i, pkg in enumerate(tables):
        line = lines[i] if i < len(lines) else 1
        name, version = pkg.get("name"), pkg.get("version")
        if not isinstance(name, str):
            raise ManifestError(f"{path}:{line}: package without a name")
        source = pkg.get("source", {})
        source = source if isinstance(source, dict) else {}
        if "editable" in source or "virtual" in source:
            continue  # the project itself or a workspace member
        if not isinstance(version, str) or not ("registry" in source or not source):
            kind = next(iter(source), "unknown source")
            not_auditable.append(f"{path}:{line} {name} from {kind}")
            continue
        deps.append(Dependency(PYPI, canonical_name(PYPI, name), version, version, path, line))
    return Parsed(Kind.UV_LOCK, tuple(deps), (), tuple(not_auditable))


def parse_pylock(path: str, text: str) -> Parsed:
    """PEP 751 ``pylock.toml``: ``[[packages]]`` with name and version."""
    data = _toml(path, text)
    if "lock-version" not in data:
        raise ManifestError(f"{path}: no 'lock-version' (not a PEP 751 lock file)")
    tables = _lock_tables(path, data, "packages")
    lines = _array_table_lines(text, "packages")
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    for i, pkg in enumerate(tables):
        line = lines[i] if i < len(lines) else 1
        name, version = pkg.get("name"), pkg.get("version")
        if not isinstance(name, str):
            raise ManifestError(f"{path}:{line}: package without a name")
        if not isinstance(version, str) or "vcs" in pkg or "directory" in pkg:
            not_auditable.append(f"{path}:{line} {name} without a registry version")
            continue
        deps.append(Dependency(PYPI, canonical_name(PYPI, name), version, version, path, line))
    return Parsed(Kind.PYLOCK, tuple(deps), (), tuple(not_auditable))


def parse_pipfile_lock(path: str, text: str) -> Parsed:
    data = _json(path, text)
    lines = json_key_lines(text)
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    for section in ("default", "develop"):
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ManifestError(f"{path}: '{section}' is not an object")
        for name, entry in table.items():
            line = lines.get((section, name), 1)
            spec = entry.get("version") if isinstance(entry, dict) else None
            if not isinstance(spec, str):
                not_auditable.append(f"{path}:{line} {name} without a version (git or path)")
                continue
            version = spec[2:] if spec.startswith("==") else None
            deps.append(Dependency(PYPI, canonical_name(PYPI, name), version, spec, path, line))
    return Parsed(Kind.PIPFILE_LOCK, tuple(deps), (), tuple(not_auditable))


# --- JSON with key lines ----------------------------------------------------


def _json(path: str, text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a JSON object at the top")
    return data


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:\n]')


def json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every object key, by its path of keys from the top (array
    levels appear as ``"[]"``); the first occurrence wins. Meant for text
    ``json.loads`` accepted."""
    out: dict[tuple[str, ...], int] = {}
    stack: list[list[str | None]] = []  # [container, current key]
    line = 1
    expect_key = False
    for token in _JSON_TOKEN.finditer(text):
        t = token.group()
        if t == "\n":
            line += 1
        elif t.startswith('"'):
            if expect_key and stack and stack[-1][0] == "{":
                key = json.loads(t) if "\\" in t else t[1:-1]
                stack[-1][1] = key
                path = tuple(
                    (k if c == "{" else "[]") for c, k in stack if c == "[" or k is not None
                )
                out.setdefault(tuple(str(p) for p in path), line)
                expect_key = False
        elif t == "{":
            stack.append(["{", None])
            expect_key = True
        elif t == "[":
            stack.append(["[", None])
            expect_key = False
        elif t in "}]":
            if stack:
                stack.pop()
            expect_key = False
        elif t == ",":
            expect_key = bool(stack) and stack[-1][0] == "{"
    return out


# --- npm --------------------------------------------------------------------


def _npm_version(version: object) -> str | None:
    """A registry version, or None for git/file/link specs."""
    if not isinstance(version, str):
        return None
    try:
        semver_key(version)
    except VersionError:
        return None
    return version


def parse_package_lock(path: str, text: str) -> Parsed:
    """package-lock.json / npm-shrinkwrap.json, lockfileVersion 1, 2 and 3.
    v2/v3 are read from ``packages``; v1 from the nested ``dependencies``."""
    data = _json(path, text)
    lines = json_key_lines(text)
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    packages = data.get("packages")
    if isinstance(packages, dict):
        for key, entry in packages.items():
            if not key or "node_modules/" not in key or not isinstance(entry, dict):
                continue  # the root project and workspace folders
            if entry.get("link"):
                continue
            name = entry.get("name") or key.rsplit("node_modules/", 1)[1]
            line = lines.get(("packages", key), 1)
            version = _npm_version(entry.get("version"))
            if version is None:
                not_auditable.append(f"{path}:{line} {name} not from the registry")
                continue
            deps.append(Dependency(NPM, str(name), version, version, path, line))
        return Parsed(Kind.PACKAGE_LOCK, tuple(deps), (), tuple(not_auditable))
    tree = data.get("dependencies", {})
    if not isinstance(tree, dict):
        raise ManifestError(f"{path}: neither 'packages' nor 'dependencies' is an object")
    todo: list[tuple[tuple[str, ...], dict[str, Any]]] = [(("dependencies",), tree)]
    while todo:
        prefix, table = todo.pop()
        for name, entry in table.items():
            if not isinstance(entry, dict):
                continue
            here = (*prefix, name)
            line = lines.get(here, 1)
            version = _npm_version(entry.get("version"))
            if version is None:
                not_auditable.append(f"{path}:{line} {name} not from the registry")
            else:
                deps.append(Dependency(NPM, name, version, version, path, line))
            nested = entry.get("dependencies")
            if isinstance(nested, dict):
                todo.append(((*here, "dependencies"), nested))
    deps.sort(key=lambda d: d.line)
    return Parsed(Kind.PACKAGE_LOCK, tuple(deps), (), tuple(not_auditable))


_PNPM_KEY = re.compile(r"^/?(?P<name>(@[^/@]+/)?[^/@]+)[@/](?P<version>[^(_/]+)")


def parse_pnpm_lock(path: str, text: str) -> Parsed:
    """pnpm-lock.yaml v5 (``/name/1.0.0``), v6 (``/name@1.0.0``) and v9
    (``name@1.0.0``, peers in parentheses) ``packages`` keys."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not YAML"
        raise ManifestError(f"{path}{where}: invalid YAML: {problem}") from None
    if not isinstance(root, yaml.MappingNode):
        raise ManifestError(f"{path}: expected a mapping at the top")
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    for key_node, value_node in root.value:
        if key_node.value != "packages" or not isinstance(value_node, yaml.MappingNode):
            continue
        for pkg_key, _ in value_node.value:
            key = str(pkg_key.value)
            line = pkg_key.start_mark.line + 1
            match = _PNPM_KEY.match(key)
            version = _npm_version(match.group("version")) if match else None
            if match is None or version is None:
                not_auditable.append(f"{path}:{line} {key[:60]} not from the registry")
                continue
            deps.append(Dependency(NPM, match.group("name"), version, version, path, line))
    return Parsed(Kind.PNPM_LOCK, tuple(deps), (), tuple(not_auditable))


def parse_yarn_lock(path: str, text: str) -> Parsed:
    """yarn.lock, classic (v1, ``version "1.0.0"``) and berry (YAML,
    ``version: 1.0.0`` with ``resolution: "name@npm:1.0.0"``). Workspace,
    link, file, portal and patch entries are not registry packages."""
    deps: list[Dependency] = []
    not_auditable: list[str] = []
    blocks = list(_yarn_blocks(text))
    if not blocks and text.strip() and not text.lstrip().startswith("#"):
        raise ManifestError(f"{path}: no yarn.lock entries found")
    for line, header, fields in blocks:
        if header == "__metadata":
            continue
        spec = header.split(",")[0].strip().strip('"')
        name = spec.rsplit("@", 1)[0] if spec.rfind("@") > 0 else spec
        resolution = fields.get("resolution", "")
        protocol = spec[len(name) + 1 :].split(":", 1)[0] if ":" in spec else ""
        if resolution:
            res_name, _, res_ref = resolution.rpartition("@")
            protocol = res_ref.split(":", 1)[0] if ":" in res_ref else ""
            name = res_name or name
        if protocol not in ("", "npm"):
            continue  # workspace:, link:, portal:, file:, patch:
        version = _npm_version(fields.get("version"))
        if version is None:
            not_auditable.append(f"{path}:{line} {name} not from the registry")
            continue
        deps.append(Dependency(NPM, name, version, version, path, line))
    return Parsed(Kind.YARN_LOCK, tuple(deps), (), tuple(not_auditable))


def _yarn_blocks(text: str) -> Iterator[tuple[int, str, Mapping[str, str]]]:
    header: tuple[int, str] | None = None
    fields: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            if header is not None:
                yield header[0], header[1], fields
            if not raw.rstrip().endswith(":"):
                header, fields = None, {}
                continue
            header, fields = (number, raw.rstrip()[:-1]), {}
            continue
        if header is None or raw.startswith(("    ", "\t\t")):
            continue  # nested tables (dependencies:) are not this entry's fields
        match = re.match(r'^\s+"?([\w-]+)"?(?::\s*|\s+)"?([^"]*)"?\s*$', raw)
        if match:
            fields[match.group(1)] = match.group(2)
    if header is not None:
        yield header[0], header[1], fields


@dataclass(frozen=True)
class Overrides:
    """What a lock file replaced: manifest entries dropped for the lock's."""

    kept: tuple[Dependency, ...]
    replaced: int = 0
    by: tuple[str, ...] = field(default_factory=tuple)


def apply_lock_overrides(parsed: Mapping[str, Parsed]) -> Overrides:
    """A lock file decides the version of every package it lists, for the
    manifests in its own folder (pyproject.toml, requirements*.txt): their
    entries for those packages are dropped in favour of the lock's."""
    locked: dict[tuple[str, str], set[str]] = {}  # (folder, ecosystem) -> names
    for path, p in parsed.items():
        if p.kind.is_lock:
            folder = posixpath.dirname(path)
            locked.setdefault((folder, p.kind.ecosystem), set()).update(
                d.name for d in p.dependencies
            )
    kept: list[Dependency] = []
    replaced = 0
    by: set[str] = set()
    for path, p in parsed.items():
        names = locked.get((posixpath.dirname(path), p.kind.ecosystem), set())
        for dep in p.dependencies:
            if not p.kind.is_lock and dep.name in names:
                replaced += 1
                by.add(posixpath.dirname(path) or ".")
                continue
            kept.append(dep)
    return Overrides(tuple(kept), replaced, tuple(sorted(by)))
