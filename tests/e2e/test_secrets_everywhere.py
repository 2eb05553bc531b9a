"""A repository full of secrets, in every kind of file the workspace holds:
each is found, and no report or log line contains any value in full."""

from __future__ import annotations

import json
import random
import string
from collections.abc import Callable
from pathlib import Path

import pytest

from llmsecops.cli.main import main

pytestmark = pytest.mark.e2e
_rng = random.Random(4242)  # noqa: S311 - test data
ALNUM = string.ascii_letters + string.digits


def rnd(n: int) -> str:
    return "".join(_rng.choice(ALNUM) for _ in range(n))


KEYS = {
    "openai": "sk-proj-" + rnd(64),
    "anthropic": "sk-ant-api03-" + rnd(93) + "AA",
    "hf": "hf_" + rnd(34),
    "groq": "gsk_" + rnd(52),
    "github": "ghp_" + rnd(36),
    "aws": "AKIA" + "".join(_rng.choice(string.ascii_uppercase + "234567") for _ in range(16)),
    "stripe": "sk_live_" + rnd(24),
    "google": "AIza" + rnd(35),
}
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 1,
            "metadata": {},
            "source": ["import openai\n", f'openai.api_key = "{KEYS["openai"]}"\n'],
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": [f"token {KEYS['hf']}\n"]}
            ],
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}
FILES: dict[str, str] = {
    ".env": f"OPENAI_API_KEY={KEYS['openai']}\nANTHROPIC_API_KEY={KEYS['anthropic']}\n",
    "config/settings.yaml": f"llm:\n  groq_key: {KEYS['groq']}\n",
    "config/keys.json": json.dumps({"google_api_key": KEYS["google"]}, indent=2) + "\n",
    "pyproject.toml": f'[tool.app]\nhf_token = "{KEYS["hf"]}"\n',
    "Dockerfile": f"FROM python:3.12-slim\nENV GITHUB_TOKEN={KEYS['github']}\n",
    ".github/workflows/ci.yml": (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n"
        f"      AWS_ACCESS_KEY_ID: {KEYS['aws']}\n    steps:\n      - run: echo hi\n"
    ),
    "notebooks/explore.ipynb": json.dumps(NOTEBOOK, indent=1) + "\n",
    "app/pay.py": (
        f'import stripe\nstripe.api_key = "{KEYS["stripe"]}"\npassword = "{KEYS["stripe"]}"\n'
    ),
}
EXPECTED = {
    (".env", "secrets/openai-api-key"),
    (".env", "secrets/anthropic-api-key"),
    ("config/settings.yaml", "secrets/groq-api-key"),
    ("config/keys.json", "secrets/google-api-key"),
    ("pyproject.toml", "secrets/hugging-face-token"),
    ("Dockerfile", "secrets/github-token"),
    (".github/workflows/ci.yml", "secrets/aws-access-key"),
    ("notebooks/explore.ipynb", "secrets/openai-api-key"),
    ("notebooks/explore.ipynb", "secrets/hugging-face-token"),
    ("app/pay.py", "secrets/stripe-access-key"),
    ("Dockerfile", "llmsecops/secret-in-deploy-config"),
    (".github/workflows/ci.yml", "llmsecops/secret-in-deploy-config"),
}


def test_every_secret_is_found_and_none_leaks(
    make_tree: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree(FILES)
    out = tmp_path / "out"
    out.mkdir()
    code = main(
        [
            "scan",
            str(root),
            "--only",
            "secrets,bandit",
            "--json",
            str(out / "r.json"),
            "--sarif",
            str(out / "r.sarif"),
            "--html",
            str(out / "r.html"),
            "--markdown",
            str(out / "r.md"),
            "--no-progress",
        ]
    )
    captured = capsys.readouterr()
    assert code == 1, captured.err
    report = json.loads((out / "r.json").read_text())
    found = {(f["location"]["path"], f["rule_id"]) for f in report["findings"]}
    assert found >= EXPECTED
    deploy = {p for p, r in found if r == "llmsecops/secret-in-deploy-config"}
    assert deploy == {"Dockerfile", ".github/workflows/ci.yml"}
    assert any(f["rule_id"] == "bandit/B105" for f in report["findings"])  # quotes the value
    outputs = {
        "json": (out / "r.json").read_text(),
        "sarif": (out / "r.sarif").read_text(),
        "html": (out / "r.html").read_text(),
        "markdown": (out / "r.md").read_text(),
        "stderr": captured.err,
        "stdout": captured.out,
    }
    for name, text in outputs.items():
        for key, value in KEYS.items():
            assert value not in text, f"{key} secret leaked into {name}"
            assert value[4:] not in text, f"{key} secret (without prefix) leaked into {name}"


def test_detect_secrets_allowlist_pragma_still_works(
    make_tree: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    allowed = "sk-proj-" + rnd(64)
    reported = "sk-proj-" + rnd(64)
    root = make_tree(
        {
            "a.py": f'FIXTURE_KEY = "{allowed}"  # pragma: allowlist secret\nREAL = "{reported}"\n',
            "b.yaml": f"key: {allowed}  # pragma: allowlist secret\n",
        }
    )
    assert main(["scan", str(root), "--only", "secrets", "--json", "-", "-q", "--no-progress"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [(f["location"]["path"], f["location"]["start_line"]) for f in report["findings"]] == [
        ("a.py", 2)
    ]
