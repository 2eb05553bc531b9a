"""The wheels the GitHub Action installs in the act test, fetched before the tests run.

``python -m tests.pipeline.wheelhouse`` downloads, once per machine, the exact
versions of llmsecops's runtime dependencies (and its build backend) installed
in this environment into ``.tools/act-wheelhouse/<key>/``. The act test points
pip at that folder with PIP_NO_INDEX, so the test itself uses no network; the
README's test command (and CI) run this first. Resolving against the package
index took 116 s per install of the action here, the wheelhouse 20-30 s.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
DOWNLOAD_TIMEOUT_S = 1200


def runtime_pins() -> list[str]:
    """llmsecops's dependencies and the build backend, as installed here."""
    pins: dict[str, str] = {}
    seen: set[tuple[str, str]] = set()  # (distribution, extra or "")
    todo = [("llmsecops", ""), ("hatchling", "")]
    while todo:
        name, extra = todo.pop()
        name = canonicalize_name(name)
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        dist = metadata.distribution(name)
        pins[name] = dist.version
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": extra}):
                todo += [(req.name, e) for e in ("", *req.extras)]
    del pins["llmsecops"]
    return sorted(f"{name}=={version}" for name, version in pins.items())


def location() -> Path:
    key = hashlib.sha256("\n".join(runtime_pins()).encode()).hexdigest()[:16]
    return REPO / ".tools" / "act-wheelhouse" / key


def download() -> Path:
    house = location()
    if house.is_dir():
        return house
    house.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{house.name}.", dir=house.parent))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
         "--no-deps", "--only-binary=:all:", "--dest", str(partial), *runtime_pins()],
        capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise SystemExit(f"could not download the action's wheels: {done.stderr[-2000:]}")
    try:
        partial.rename(house)
    except OSError:  # another run finished it first
        shutil.rmtree(partial, ignore_errors=True)
    return house


if __name__ == "__main__":
    print(download())  # noqa: T201 - a setup command
