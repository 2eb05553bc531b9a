"""Version ordering for OSV ranges: PEP 440 for PyPI, SemVer 2.0 for npm.

The semver comparator is written here rather than taken from a package: OSV
only needs ordering (not npm's range grammar), it is thirty lines, and the
maintained Python semver libraries either reject npm's loose forms ("v1.2.3")
or pull in more than ordering. Every version is turned into a sort key so
ranges compare keys, never strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from packaging.version import InvalidVersion, Version

SortKey = Any  # a tuple (semver) or a packaging Version; only compared with its own kind

_SEMVER = re.compile(
    r"^[=v\s]*(\d+)(?:\.(\d+))?(?:\.(\d+))?"
    r"(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)

# OSV's "introduced: 0" means "from the first version there is".
ZERO = "0"


class VersionError(ValueError):
    pass


def semver_key(text: str) -> tuple[int, int, int, tuple[tuple[int, int, str], ...]]:
    """SemVer 2.0 precedence: a pre-release sorts below its release; numeric
    identifiers compare numerically and below alphanumeric ones; build
    metadata is ignored. A missing minor or patch counts as 0."""
    match = _SEMVER.match(text.strip())
    if match is None:
        raise VersionError(f"not a semantic version: {text!r}")
    major, minor, patch, pre = match.groups()
    if pre is None:
        # (1,) sorts above any (0, ...) tuple: the release above its pre-releases.
        pre_key: tuple[tuple[int, int, str], ...] = ((1, 0, ""),)
    else:
        idents = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split(".")
        )
        pre_key = ((0, 0, ""), *idents)
    return (int(major), int(minor or 0), int(patch or 0), pre_key)


def pep440_key(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        raise VersionError(f"not a PEP 440 version: {text!r}") from None


def key_function(ecosystem: str, range_type: str) -> Callable[[str], SortKey] | None:
    """The ordering a range of this type uses in this ecosystem, or None if
    we do not evaluate it (GIT ranges name commits, not releases)."""
    if range_type == "SEMVER":
        return semver_key
    if range_type == "ECOSYSTEM":
        if ecosystem == "PyPI":
            return pep440_key
        if ecosystem == "npm":
            return semver_key
    return None


def canonical_name(ecosystem: str, name: str) -> str:
    """Names as OSV and the registry compare them."""
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.strip()
