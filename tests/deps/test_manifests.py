"""Every manifest format: which dependencies, pinned or not, and on which line."""

from __future__ import annotations

import json

import pytest

from llmsecops.deps import manifests as m
from llmsecops.deps.manifests import Kind


def rows(parsed: m.Parsed) -> list[tuple[str, str | None, int]]:
    return [(d.name, d.version, d.line) for d in parsed.dependencies]


def test_kinds_by_file_name() -> None:
    assert m.kind_of("requirements.txt") is Kind.REQUIREMENTS
    assert m.kind_of("svc/requirements-dev.txt") is Kind.REQUIREMENTS
    assert m.kind_of("requirements/base.txt") is Kind.REQUIREMENTS
    assert m.kind_of("docs/notes.txt") is None
    assert m.kind_of("setup.py") is None
    assert m.kind_of("pylock.toml") is Kind.PYLOCK
    assert m.kind_of("pylock.dev.toml") is Kind.PYLOCK
    assert m.kind_of("web/npm-shrinkwrap.json") is Kind.PACKAGE_LOCK
    assert m.kind_of("package.json") is None


def test_requirements_pins_markers_extras_hashes_and_includes() -> None:
    text = (
        "# comment\n"
        "requests==2.25.1  # pinned\n"
        "Jinja2[i18n]==2.11.2 ; python_version >= '3.8' \\\n"
        "    --hash=sha256:abc\n"
        "flask>=2.0\n"
        "-r other.txt\n"
        "-e git+https://example.invalid/x.git#egg=x\n"
        "pkg @ https://example.invalid/pkg.whl\n"
        "--index-url https://example.invalid/simple\n"
        "numpy==1.*\n"
        "--constraint=c.txt\n"
        "exact===1.0\n"
    )
    parsed = m.parse_requirements("requirements.txt", text)
    assert rows(parsed) == [
        ("requests", "2.25.1", 2),
        ("jinja2", "2.11.2", 3),
        ("flask", None, 5),
        ("numpy", None, 10),
        ("exact", "1.0", 12),
    ]
    assert parsed.dependencies[2].spec == ">=2.0"
    assert [(i.line, i.target) for i in parsed.includes] == [(6, "other.txt"), (11, "c.txt")]
    assert len(parsed.not_auditable) == 2


@pytest.mark.parametrize(
    "target,expected",
    [
        ("base.txt", "svc/base.txt"),
        ("../common/base.txt", "common/base.txt"),
        ("../../etc/passwd", None),
        ("/etc/passwd", None),
        ("https://example.invalid/r.txt", None),
    ],
)
def test_includes_resolve_inside_the_workspace_only(target: str, expected: str | None) -> None:
    assert m.resolve_include(m.Include("svc/requirements.txt", 1, target)) == expected


PYPROJECT = """\
[project]
name = "app"
dependencies = [
    "requests==2.25.1",
    "jinja2>=3",
]

[project.optional-dependencies]
yaml = ["pyyaml==5.3"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "yaml"}]

[tool.poetry.dependencies]
python = "^3.11"
langchain = "0.0.131"
openai = "^1.0"
local = { path = "../local" }

[tool.poetry.group.test.dependencies]
lodash-py = { version = "==1.2.3" }
"""


def test_pyproject_pep621_groups_and_poetry() -> None:
    parsed = m.parse_pyproject("pyproject.toml", PYPROJECT)
    assert rows(parsed) == [
        ("requests", "2.25.1", 4),
        ("jinja2", None, 5),
        ("pyyaml", "5.3", 9),
        ("pytest", None, 12),
        ("langchain", "0.0.131", 16),
        ("openai", None, 17),
        ("lodash-py", "1.2.3", 21),
    ]
    assert parsed.not_auditable == ("pyproject.toml:18 local from git, a path or a URL",)


POETRY_LOCK = """\
[[package]]
name = "jinja2"
version = "2.11.2"
description = "x"

[package.dependencies]
MarkupSafe = ">=0.23"

[[package]]
name = "mylib"
version = "0.1.0"

[package.source]
type = "git"
url = "https://example.invalid/mylib.git"

[[package]]
name = "PyYAML"
version = "5.3"
"""


def test_poetry_lock() -> None:
    parsed = m.parse_poetry_lock("poetry.lock", POETRY_LOCK)
    assert rows(parsed) == [("jinja2", "2.11.2", 2), ("pyyaml", "5.3", 18)]
    assert parsed.not_auditable == ("poetry.lock:10 mylib from git",)


UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "requests"
version = "2.25.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "tool"
version = "1.0"
source = { git = "https://example.invalid/tool.git" }
"""


def test_uv_lock() -> None:
    parsed = m.parse_uv_lock("uv.lock", UV_LOCK)
    assert rows(parsed) == [("requests", "2.25.1", 10)]
    assert parsed.not_auditable == ("uv.lock:15 tool from git",)


PYLOCK = """\
lock-version = "1.0"
created-by = "pip"

[[packages]]
name = "langchain"
version = "0.0.131"

[[packages]]
name = "local"
directory = { path = "./local" }
"""


def test_pylock() -> None:
    parsed = m.parse_pylock("pylock.toml", PYLOCK)
    assert rows(parsed) == [("langchain", "0.0.131", 5)]
    assert len(parsed.not_auditable) == 1
    with pytest.raises(m.ManifestError, match="lock-version"):
        m.parse_pylock("pylock.toml", "[[packages]]\nname = 'x'\n")


PIPFILE_LOCK = json.dumps(
    {
        "_meta": {"hash": {"sha256": "x"}},
        "default": {"requests": {"hashes": [], "version": "==2.25.1"}},
        "develop": {"pyyaml": {"version": "==5.3"}, "mine": {"git": "https://x", "ref": "y"}},
    },
    indent=4,
)


def test_pipfile_lock() -> None:
    parsed = m.parse_pipfile_lock("Pipfile.lock", PIPFILE_LOCK)
    assert rows(parsed) == [("requests", "2.25.1", 8), ("pyyaml", "5.3", 14)]
    assert len(parsed.not_auditable) == 1


PACKAGE_LOCK_V3 = json.dumps(
    {
        "name": "web",
        "lockfileVersion": 3,
        "packages": {
            "": {"name": "web", "dependencies": {"lodash": "^4.17.0"}},
            "node_modules/lodash": {"version": "4.17.15", "resolved": "https://r/x.tgz"},
            "node_modules/a/node_modules/@scope/b": {"version": "1.0.0-rc.1"},
            "node_modules/gitdep": {"version": "git+ssh://git@example.invalid/x.git#abc"},
            "packages/local": {"version": "1.0.0"},
            "node_modules/local": {"link": True, "resolved": "packages/local"},
        },
    },
    indent=2,
)

PACKAGE_LOCK_V1 = json.dumps(
    {
        "name": "web",
        "lockfileVersion": 1,
        "dependencies": {
            "lodash": {"version": "4.17.15"},
            "a": {"version": "1.0.0", "dependencies": {"lodash": {"version": "3.10.1"}}},
        },
    },
    indent=2,
)


def test_package_lock_v2_v3_and_v1() -> None:
    parsed = m.parse_package_lock("package-lock.json", PACKAGE_LOCK_V3)
    assert rows(parsed) == [("lodash", "4.17.15", 11), ("@scope/b", "1.0.0-rc.1", 15)]
    assert len(parsed.not_auditable) == 1
    v2 = json.loads(PACKAGE_LOCK_V3)
    v2["lockfileVersion"] = 2
    v2["dependencies"] = {"ignored": {"version": "9.9.9"}}
    assert [d.name for d in m.parse_package_lock("p.json", json.dumps(v2)).dependencies] == [
        "lodash",
        "@scope/b",
    ]
    v1 = m.parse_package_lock("package-lock.json", PACKAGE_LOCK_V1)
    assert rows(v1) == [("lodash", "4.17.15", 5), ("a", "1.0.0", 8), ("lodash", "3.10.1", 11)]


PNPM_V9 = """\
lockfileVersion: '9.0'

importers:
  .:
    dependencies:
      lodash:
        specifier: ^4.17.0
        version: 4.17.15

packages:

  lodash@4.17.15:
    resolution: {integrity: sha512-x}

  '@scope/b@1.0.0(react@18.0.0)':
    resolution: {integrity: sha512-y}

snapshots:
  lodash@4.17.15: {}
"""

PNPM_V5 = """\
lockfileVersion: 5.4
packages:
  /lodash/4.17.15:
    resolution: {integrity: sha512-x}
  /@scope/b/1.0.0_react@18.0.0:
    resolution: {integrity: sha512-y}
"""

PNPM_V6 = """\
lockfileVersion: '6.0'
packages:
  /lodash@4.17.15:
    resolution: {integrity: sha512-x}
"""


def test_pnpm_lock_v5_v6_v9() -> None:
    assert rows(m.parse_pnpm_lock("pnpm-lock.yaml", PNPM_V9)) == [
        ("lodash", "4.17.15", 12),
        ("@scope/b", "1.0.0", 15),
    ]
    assert rows(m.parse_pnpm_lock("pnpm-lock.yaml", PNPM_V5)) == [
        ("lodash", "4.17.15", 3),
        ("@scope/b", "1.0.0", 5),
    ]
    assert rows(m.parse_pnpm_lock("pnpm-lock.yaml", PNPM_V6)) == [("lodash", "4.17.15", 3)]


YARN_CLASSIC = """\
# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@scope/b@^1.0.0":
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/@scope/b/-/b-1.0.0.tgz"

lodash@^4.17.0, lodash@^4.17.15:
  version "4.17.15"
  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.15.tgz"
  dependencies:
    other "^1.0.0"
"""

YARN_BERRY = """\
# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 6
  cacheKey: 8

"lodash@npm:^4.17.0":
  version: 4.17.15
  resolution: "lodash@npm:4.17.15"
  checksum: abc
  languageName: node
  linkType: hard

"web@workspace:.":
  version: 0.0.0-use.local
  resolution: "web@workspace:."
  languageName: unknown
  linkType: soft
"""


def test_yarn_lock_classic_and_berry() -> None:
    assert rows(m.parse_yarn_lock("yarn.lock", YARN_CLASSIC)) == [
        ("@scope/b", "1.0.0", 5),
        ("lodash", "4.17.15", 9),
    ]
    assert rows(m.parse_yarn_lock("yarn.lock", YARN_BERRY)) == [("lodash", "4.17.15", 7)]


@pytest.mark.parametrize(
    "kind,text,fragment",
    [
        (Kind.PYPROJECT, "[project\n", "invalid TOML"),
        (Kind.POETRY_LOCK, "package = 3\n", "not an array of tables"),
        (Kind.UV_LOCK, "[[package]]\nversion = '1'\n", "without a name"),
        (Kind.PIPFILE_LOCK, "{", "invalid JSON"),
        (Kind.PACKAGE_LOCK, "[]", "JSON object"),
        (Kind.PACKAGE_LOCK, '{"dependencies": 3}', "neither"),
        (Kind.PNPM_LOCK, "packages: [\n", "invalid YAML"),
        (Kind.YARN_LOCK, "just some words\n", "no yarn.lock entries"),
        (Kind.PYPROJECT, "[project]\ndependencies = 'x'\n", "expected a list"),
    ],
)
def test_malformed_files_raise_one_line_naming_the_file(
    kind: Kind, text: str, fragment: str
) -> None:
    with pytest.raises(m.ManifestError) as info:
        m.parse("dir/" + kind.value, text, kind)
    message = str(info.value)
    assert fragment in message and message.startswith("dir/") and "\n" not in message


def test_lock_files_override_manifests_in_their_folder() -> None:
    parsed = {
        "pyproject.toml": m.parse_pyproject("pyproject.toml", PYPROJECT),
        "poetry.lock": m.parse_poetry_lock("poetry.lock", POETRY_LOCK),
        "other/requirements.txt": m.parse_requirements("other/requirements.txt", "jinja2>=2\n"),
    }
    result = m.apply_lock_overrides(parsed)
    jinja = [(d.path, d.version) for d in result.kept if d.name == "jinja2"]
    assert jinja == [("poetry.lock", "2.11.2"), ("other/requirements.txt", None)]
    assert result.replaced == 2 and result.by == (".",)


def test_json_key_lines_track_nesting_and_escapes() -> None:
    text = '{\n  "a": {\n    "b\\"c": [\n      {"d": 1}\n    ]\n  },\n  "e": "}{"\n}'
    lines = m.json_key_lines(text)
    assert lines[("a",)] == 2
    assert lines[("a", 'b"c')] == 3
    assert lines[("a", 'b"c', "[]", "d")] == 4
    assert lines[("e",)] == 7
