"""The in-process secret scan: the same findings as the detect-secrets CLI,
lines the prefilter must keep, files skipped by rule, and failures."""

from __future__ import annotations

import json
import random
import re
import string
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from llmsecops.config import Config, HistoryConfig
from llmsecops.model import RunStatus
from llmsecops.scanners import _secrets_fast, secrets
from llmsecops.scanners.base import ScanContext
from llmsecops.workspace import collect

_rng = random.Random(808)  # noqa: S311 - test data
ALNUM = string.ascii_letters + string.digits


def rnd(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


B64 = rnd(36)
HEX = rnd(32, "0123456789abcdef")
OPENAI = "sk-proj-" + rnd(64)
GITHUB = "ghp_" + rnd(36)
AWS = "AKIA" + rnd(16, string.ascii_uppercase + "234567")
STRIPE = "sk_live_" + rnd(24)
PASSWORD = rnd(18)
LOCKED = "hf_" + rnd(34)
MINIFIED = "gsk_" + rnd(52)
SECRETS = (B64, HEX, OPENAI, GITHUB, AWS, STRIPE, PASSWORD, LOCKED, MINIFIED)

# Every kind of line the prefilter must keep, in the file types that change how
# detect-secrets reads them (YAML and INI transformers, the eager INI pass).
TREE: dict[str, str] = {
    "app/keys.py": (
        "import os\n\n"
        f'password = "{PASSWORD}"\n'
        f"blob = '{B64}'\n"
        f'digest = "{HEX}"\n'
        f'client = make(api_key="{OPENAI}")\n'
        f"headers = {{'Authorization': 'token {GITHUB}'}}\n"
        f'url = "https://admin:{PASSWORD}@db.internal.example.org/x"\n'
        f'allowed = "{rnd(40)}"  # pragma: allowlist secret\n'
        'placeholder = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n'
        "def f():\n    return 1\n"
    ),
    "config/settings.yaml": (
        f"llm:\n  secret: {rnd(20)}\n  blob: {B64}\n  aws: {AWS}\n  note: plain words here\n"
    ),
    "deploy/app.ini": f"[db]\npassword = {PASSWORD}\nhost = localhost\n",
    ".env": f"STRIPE_KEY={STRIPE}\nDEBUG=1\n",
    "docs/setup.md": (
        f"Export the token first:\n\n    GITHUB_TOKEN={GITHUB}\n\nThen run it with {OPENAI}.\n"
    ),
    "web/api.ts": f'const key = "{B64}";\nexport const s = `${{key}}`;\n',
    "data/conf.json": json.dumps({"db": {"password": PASSWORD, "blob": B64}}, indent=2) + "\n",
    "certs/id_rsa": (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"
    ),
    "web/package-lock.json": json.dumps({"token": LOCKED}) + "\n",
    "web/yarn.lock": f'"x@1":\n  integrity "{LOCKED}"\n',
    "web/vendor.min.js": f"var k='{MINIFIED}';" + "function a(){return 1};" * 300 + "\n",
    "web/bundle.js": f"var k='{MINIFIED}';" + "function a(){return 1};" * 300 + "\n",
}
SKIPPED = {"web/package-lock.json", "web/yarn.lock", "web/vendor.min.js", "web/bundle.js"}


def fast_hits(root: Path, *, jobs: int = 1) -> set[tuple[str, int, str]]:
    ws = collect(root, max_file_size=1 << 20)
    out = _secrets_fast.scan_files(root, [(f.path, f.size) for f in ws.files], jobs=jobs)
    return {(h.path, h.line, h.type) for h in out.hits}


def cli_hits(root: Path, files: list[str]) -> set[tuple[str, int, str]]:
    program = Path(sys.executable).with_name("detect-secrets")
    done = subprocess.run(
        [str(program), "scan", "--plugin", str(secrets.LLM_DETECTORS), "--", *files],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    )
    results = json.loads(done.stdout)["results"]
    return {
        (p, int(i["line_number"]), str(i["type"])) for p, items in results.items() for i in items
    }


@pytest.mark.e2e
def test_same_findings_as_the_detect_secrets_cli(make_tree: Callable[..., Path]) -> None:
    root = make_tree(TREE)
    files = sorted(TREE)
    cli = cli_hits(root, files)
    fast = fast_hits(root)
    # Files skipped by rule are the only difference (the CLI scans a minified bundle).
    assert fast == {hit for hit in cli if hit[0] not in SKIPPED}
    # The tree exercises what it claims to: each detector family and transformer.
    types = {kind for _, _, kind in fast}
    assert {
        "Secret Keyword",
        "Base64 High Entropy String",
        "Hex High Entropy String",
        "OpenAI API Key",
        "GitHub Token",
        "AWS Access Key",
        "Stripe Access Key",
        "Basic Auth Credentials",
        "Private Key",
    } <= types
    assert any(path == "config/settings.yaml" for path, _, _ in fast)
    assert any(path == "deploy/app.ini" for path, _, _ in fast)


# Files the scan reads as bytes and decodes only when a trigger matches: line
# endings, a byte-order mark and a value a transformer quotes must come out as
# detect-secrets reads them (universal newlines, the BOM kept as a character).
RAW_TREE: dict[str, bytes] = {
    "crlf/keys.py": (
        f'import os\r\n\r\npassword = "{PASSWORD}"\r\nx = 1\r\nblob = "{B64}"\r\n'.encode()
    ),
    "crlf/old_mac.py": f'a = 1\rb = 2\rtoken = "{GITHUB}"\r'.encode(),
    "crlf/settings.yaml": f"llm:\r\n  blob: {B64}\r\n  note: words\r\n".encode(),
    "bom/app.cfg": ("\ufeff[db]\npassword = " + PASSWORD + "\nx = " + B64 + "\n").encode(),
    "bom/keys.py": ("\ufeff" + f'api_key = "{OPENAI}"\n').encode(),
    "plain/settings.yaml": f"llm:\n  blob: {B64}\n".encode(),
}


@pytest.mark.e2e
def test_line_endings_and_a_bom_are_read_as_the_cli_reads_them(
    make_tree: Callable[..., Path],
) -> None:
    root = make_tree(RAW_TREE)
    fast = fast_hits(root)
    assert fast == cli_hits(root, sorted(RAW_TREE))
    # Lines are counted after newline translation, and every file yields a hit.
    assert ("crlf/keys.py", 5, "Base64 High Entropy String") in fast
    assert ("crlf/old_mac.py", 3, "GitHub Token") in fast
    assert {path for path, _, _ in fast} == set(RAW_TREE)


def test_a_stray_invalid_byte_does_not_hide_a_key(make_tree: Callable[..., Path]) -> None:
    root = make_tree({"notes/a.txt": b"caf\xe9 menu\n" + f"key {OPENAI}\n".encode()})
    assert ("notes/a.txt", 2, "OpenAI API Key") in fast_hits(root)


def test_the_pool_finds_what_one_process_finds(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(TREE)
    alone = fast_hits(root, jobs=1)
    monkeypatch.setattr(_secrets_fast, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(_secrets_fast, "POOL_MIN_BYTES", 1)
    assert fast_hits(root, jobs=2) == alone
    assert alone


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("a.py", f'db_password = "{PASSWORD}"\n', "Secret Keyword"),
        ("a.py", f'config["apiKey"] = "{PASSWORD}"\n', "Secret Keyword"),
        ("a.js", f"const SECRET = '{PASSWORD}';\n", "Secret Keyword"),
        ("a.yaml", f"service:\n  private_key: {PASSWORD}\n", "Secret Keyword"),
        ("a.py", f"x = '{B64}'\n", "Base64 High Entropy String"),
        ("a.py", f'x = "{B64}"\n', "Base64 High Entropy String"),
        ("a.yaml", f"x: {B64}\n", "Base64 High Entropy String"),
        ("a.yaml", f"x: '{B64}'  # note\n", "Base64 High Entropy String"),
        ("a.cfg", f"[s]\nx = {B64}\n", "Base64 High Entropy String"),
        ("a.txt", f"x = {B64}\n", "Base64 High Entropy String"),
        ("a.py", f'h = "{HEX}"\n', "Hex High Entropy String"),
        ("a.py", f"k = '{AWS}'\n", "AWS Access Key"),
        ("a.md", f"Use {OPENAI} here\n", "OpenAI API Key"),
        ("a.sh", f"curl -u user:{PASSWORD}@ https://x:{PASSWORD}@host.example.org\n", None),
    ],
)
def test_the_prefilter_keeps_every_line_a_detector_flags(
    make_tree: Callable[..., Path], name: str, text: str, kind: str | None
) -> None:
    root = make_tree({name: text})
    found = {k for _, _, k in fast_hits(root)}
    if kind is None:
        assert found  # whatever detect-secrets calls it, something is found
    else:
        assert kind in found


def context(root: Path) -> ScanContext:
    ws = collect(root, max_file_size=1 << 20)
    return ScanContext(
        workspace=ws,
        config=Config(history=HistoryConfig(enabled=False)),
        rules_dir=root,
    )


def test_lock_and_minified_files_are_skipped_and_counted(make_tree: Callable[..., Path]) -> None:
    root = make_tree(TREE)
    run = secrets.SecretsScanner().run(context(root), timeout_s=300)
    assert run.status == RunStatus.OK
    paths = {f.location.path for f in run.findings}
    assert not paths & SKIPPED
    assert "secrets: 2 lock file files not scanned" in run.notes
    assert "secrets: 2 generated or minified files not scanned" in run.notes
    assert run.files_scanned == len(TREE) - len(SKIPPED)


def test_no_secret_value_reaches_a_finding(make_tree: Callable[..., Path]) -> None:
    root = make_tree(TREE)
    run = secrets.SecretsScanner().run(context(root), timeout_s=300)
    assert run.findings
    text = json.dumps([repr(f) for f in run.findings] + list(run.notes))
    for value in SECRETS:
        assert value not in text
        assert value[4:] not in text


def test_a_crash_is_a_failed_run_with_a_one_line_reason(
    make_tree: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise ValueError("bad\nthing")

    monkeypatch.setattr(_secrets_fast, "scan_files", boom)
    run = secrets.SecretsScanner().run(context(make_tree({"a.py": "x = 1\n"})), timeout_s=300)
    assert run.status == RunStatus.FAILED
    assert run.reason == "secret scan failed: ValueError: bad thing"


def test_a_timeout_is_a_failed_run(make_tree: Callable[..., Path]) -> None:
    root = make_tree({f"f{i}.py": "x = 1\n" for i in range(3)})
    run = secrets.SecretsScanner().run(context(root), timeout_s=-1)
    assert run.status == RunStatus.FAILED
    assert "timed out" in run.reason


def test_settings_are_the_clis_without_verification() -> None:
    """Same plugins and filters as ``detect-secrets scan --plugin ours``, minus
    the filter that sends found secrets to the providers to verify them."""
    code = (
        "import json, sys\n"
        "from detect_secrets.core.usage import ParserBuilder\n"
        "from detect_secrets.settings import get_settings\n"
        "ParserBuilder().add_console_use_arguments().parse_args(\n"
        "    ['scan', '--plugin', sys.argv[1], sys.argv[1]])\n"
        "print(json.dumps(get_settings().json()))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(secrets.LLM_DETECTORS)],
        capture_output=True,
        text=True,
        check=True,
    )
    cli = json.loads(done.stdout)
    ours = _secrets_fast.settings_config()
    assert {p["name"] for p in ours["plugins_used"]} == {p["name"] for p in cli["plugins_used"]}
    from detect_secrets.settings import Settings

    # The CLI's JSON leaves out the filters detect-secrets always applies.
    cli_filters = {f["path"] for f in cli["filters_used"]} | Settings.DEFAULT_FILTERS
    assert _secrets_fast.VERIFICATION_FILTER in cli_filters
    assert {f["path"] for f in ours["filters_used"]} == cli_filters - {
        _secrets_fast.VERIFICATION_FILTER
    }


def test_every_default_detector_has_a_trigger() -> None:
    """No detector falls back to scanning every line (a new detect-secrets
    detector would, until it gets a trigger)."""
    with _secrets_fast.configured() as scanner:
        names = {type(p).__name__ for p in scanner.plugins}
        assert not scanner.every_line
        assert not scanner.text_passes
    covered = {n for _, _, plugins in _secrets_fast.STAGE1 for n in plugins}
    assert names - _secrets_fast.ENTROPY_PLUGINS <= covered
    assert names - _secrets_fast.ENTROPY_PLUGINS <= set(_secrets_fast.TRIGGERS)


def test_settings_are_restored_after_a_scan(make_tree: Callable[..., Path]) -> None:
    from detect_secrets.settings import get_settings

    before = get_settings().json()
    fast_hits(make_tree({"a.py": f'password = "{PASSWORD}"\n'}))
    assert get_settings().json() == before


def test_a_key_shaped_slice_of_an_encoded_blob_is_marked_and_a_real_key_is_not(
    make_tree: Callable[..., Path],
) -> None:
    key = "AKIA" + rnd(16, string.ascii_uppercase + string.digits)
    blob = rnd(300, ALNUM + "+/") + "/" + key + "+" + rnd(300, ALNUM + "+/")
    root = make_tree(
        {
            "cassette.yaml": f'request:\n  body: \'{{"data": "{blob}"}}\'\n',
            "settings.py": f'AWS_ACCESS_KEY_ID = "{key}"\n',
        }
    )
    run = secrets.SecretsScanner().run(context(root), timeout_s=300)
    aws = {f.location.path: f for f in run.findings if f.rule_id == "secrets/aws-access-key"}
    assert set(aws) == {"cassette.yaml", "settings.py"}  # detect-secrets finds both
    assert aws["cassette.yaml"].properties.get(secrets.EMBEDDED_PROPERTY) == "true"
    assert secrets.EMBEDDED_PROPERTY not in aws["settings.py"].properties


@pytest.mark.parametrize(
    ("line", "value", "embedded"),
    [
        ("x = 'KEY'", "KEY", False),
        ("data: " + "A" * 100 + "/KEY+" + "B" * 10, "KEY", True),
        ("data: " + "A" * 30 + "KEY", "KEY", False),  # a prefix, not a blob
        ("a = 'KEY' ; b = '" + "C" * 200 + "KEY'", "KEY", False),  # one standalone use
    ],
)
def test_in_encoded_blob(line: str, value: str, embedded: bool) -> None:
    assert _secrets_fast.in_encoded_blob(line, value) is embedded


def test_trigger_marks_over_joined_files_are_each_files_own() -> None:
    files = [b"a\nxx key\n", b"key\n", b"\n\nkey key\nb"]
    starts = [0, len(files[0]) + 1, len(files[0]) + len(files[1]) + 2]
    found: list[dict[int, set[int]]] = [{}, {}, {}]
    joined = b"\n".join(files)
    assert _secrets_fast._mark_joined(re.compile(rb"key"), joined, starts, frozenset({7}), found)
    assert found == [{2: {7}}, {1: {7}}, {3: {7}}]
    # A pattern that runs over a newline into the next file says so: the
    # caller then marks file by file.
    spanning = re.compile(rb"key\n+key")
    assert not _secrets_fast._mark_joined(spanning, joined, starts, frozenset({1}), [{}, {}, {}])
