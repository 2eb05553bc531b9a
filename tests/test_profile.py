"""The scan profiles: what default suppresses and why, corroboration of secret
guesses, evidence ranking, strict's threshold, and that nothing is silent."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from llmsecops import engine
from llmsecops.classify import Classifier
from llmsecops.cli.scan import exit_code
from llmsecops.config import Config
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RunStatus,
    ScannerRun,
    ScanResult,
    Severity,
    Suppression,
    SuppressionKind,
)
from llmsecops.profile import (
    Evidence,
    Profile,
    apply,
    assigned_name,
    fail_on,
    is_fake,
    looks_like_secret,
)
from llmsecops.report import console, sarif
from llmsecops.report import json as json_report
from llmsecops.scanners.base import ScanContext

REAL_LOOKING = "Zq8vN3kLp2Rw7XyT4mQe"  # 20 mixed characters, no pattern


def bandit(path: str, line: int, rule: str) -> Finding:
    return Finding.create(
        rule_id=f"bandit/{rule}",
        scanner="bandit",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        message=f"{rule} here",
        location=Location(path, line),
    )


def secret(
    path: str, line: int, col: int, end: int, rule: str = "secrets/secret-keyword"
) -> Finding:
    guess = rule in {"secrets/secret-keyword", "secrets/base64-high-entropy-string"}
    return Finding.create(
        rule_id=rule,
        scanner="secrets",
        severity=Severity.HIGH,
        confidence=Confidence.LOW if guess else Confidence.HIGH,
        message="secret",
        location=Location(path, line, col, line, end),
    )


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def span(line: str, value: str) -> tuple[int, int]:
    start = line.index(value) + 1
    return start, start + len(value)


def run(root: Path, findings: list[Finding], profile: Profile = Profile.DEFAULT) -> list[Finding]:
    return apply(findings, root, profile, Classifier())


def reason(f: Finding) -> str:
    assert f.suppression is not None and f.suppression.kind is SuppressionKind.PROFILE
    return f.suppression.justification


@pytest.mark.parametrize(
    ("path", "rule", "expected"),
    [
        ("tests/test_a.py", "B101", "assert in test code"),
        ("tests/test_a.py", "B311", "weak randomness in test code"),
        ("tests/fixtures/gen.py", "B105", "hard-coded password strings in test code"),
        ("examples/demo.py", "B104", "examples bind all interfaces"),
        ("vendor/lib.py", "B602", "generated or vendored file"),
    ],
)
def test_noise_by_file_class_is_suppressed_with_a_reason(
    tmp_path: Path, path: str, rule: str, expected: str
) -> None:
    write(tmp_path, {path: "x = 1\n"})
    (out,) = run(tmp_path, [bandit(path, 1, rule)])
    assert expected in reason(out)


def test_llm_rule_findings_in_tests_are_noise_but_not_in_examples(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_a.py": "x = 1\n", "examples/a.py": "x = 1\n"})

    def pack(path: str) -> Finding:
        return Finding.create(
            rule_id="llmsecops/dangerous-agent-tool",
            scanner="semgrep",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            message="shell tool",
            location=Location(path, 1),
        )

    test, example = run(tmp_path, [pack("tests/test_a.py"), pack("examples/a.py")])
    assert "tests exercise risky APIs on purpose" in reason(test)
    assert example.suppression is None  # examples are copied into apps


def logged(path: str, line: int, col: int) -> Finding:
    return Finding.create(
        rule_id="llmsecops/llm-prompt-logged",
        scanner="semgrep",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        message="prompt logged",
        location=Location(path, line, col),
    )


def test_prompt_logging_at_debug_level_or_as_an_event_object_is_not_reported(
    tmp_path: Path,
) -> None:
    app = (
        'trace_logger.debug(f"Model selected: {name}")\n'  # 1: debug, one line
        "logger.debug(\n"  # 2: debug, value on the next line
        '    "prompt %s",\n'
        "    prompt,\n"  # 4
        ")\n"
        'logger.debug("start")\n'  # 6: a debug call above does not count
        'logger.info("prompt %s", prompt)\n'  # 7
        "logger.info(\n"  # 8
        "    LLMCallEvent(messages=messages)\n"  # 9: a structured event
        ")\n"
        'print(f"answer: {answer}")\n'  # 11
        'logger.info("payload %s", Event(prompt))\n'  # 12: not the logged value itself
    )
    write(tmp_path, {"src/app.py": app, "examples/demo.py": "print(prompt)\n"})
    findings = [
        logged("src/app.py", 1, 40),
        logged("src/app.py", 4, 5),
        logged("src/app.py", 7, 26),
        logged("src/app.py", 9, 5),
        logged("src/app.py", 11, 17),
        logged("src/app.py", 12, 33),
        logged("examples/demo.py", 1, 7),
    ]
    out = run(tmp_path, findings)
    assert "debug level" in reason(out[0])
    assert "debug level" in reason(out[1])
    assert out[2].suppression is None
    assert "structured event" in reason(out[3])
    assert out[4].suppression is None
    assert out[5].suppression is None
    assert "example" in reason(out[6])
    # audit shows them all, strict shows the production ones
    assert all(f.suppression is None for f in run(tmp_path, findings, Profile.AUDIT))
    strict = run(tmp_path, findings, Profile.STRICT)
    assert [f.suppression is None for f in strict] == [True] * 6 + [False]


def test_real_problems_in_production_and_tests_stay(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"src/app.py": "reset_token = random.random()\n", "tests/test_a.py": "x = 1\n"},
    )
    out = run(
        tmp_path,
        [
            bandit("src/app.py", 1, "B602"),  # shell=True in production
            bandit("src/app.py", 1, "B311"),  # weak random for a token in production
            bandit("tests/test_a.py", 1, "B614"),  # not on the test-noise list
        ],
    )
    assert [f.suppression for f in out] == [None, None, None]
    assert [f.file_class for f in out] == ["production", "production", "test"]


def test_a_ruff_noqa_for_the_same_check_is_a_waiver(tmp_path: Path) -> None:
    lines = [
        "tf.extractall(dest)  # noqa: S202",
        "tf.extractall(dest)  # noqa: E501, S202",
        "tf.extractall(dest)  # noqa: S310",
        "tf.extractall(dest)",
    ]
    write(tmp_path, {"src/app.py": "\n".join(lines) + "\n"})
    out = run(tmp_path, [bandit("src/app.py", i, "B202") for i in range(1, 5)])
    assert reason(out[0]) == "waived in the code for ruff (# noqa: S202, bandit B202)"
    assert "S202" in reason(out[1])
    assert out[2].suppression is None and out[3].suppression is None
    strict = run(tmp_path, [bandit("src/app.py", 1, "B202")], Profile.STRICT)
    assert "waived in the code for ruff" in reason(strict[0])


def test_urlopen_of_a_literal_web_url_is_not_a_scheme_problem(tmp_path: Path) -> None:
    lines = [
        "with request.urlopen(",
        '    "https://pypi.org/pypi/x/json", timeout=3',
        ") as r:",
        "    data = urlopen(url)",
    ]
    write(tmp_path, {"src/app.py": "\n".join(lines) + "\n"})
    out = run(tmp_path, [bandit("src/app.py", 1, "B310"), bandit("src/app.py", 4, "B310")])
    assert "literal http(s) URL" in reason(out[0])
    assert out[1].suppression is None


def test_production_rules_that_need_a_secret_context(tmp_path: Path) -> None:
    lines = [
        "jitter = random.random()",
        "key = hashlib.md5(url.encode()).hexdigest()",
        "digest = hashlib.md5(password.encode()).hexdigest()",
        'token_url = "https://example.invalid/oauth/access_token"',
        f'db_password = "{REAL_LOOKING}"',
        "query = f'select the next {role}'",
    ]
    write(tmp_path, {"src/app.py": "\n".join(lines) + "\n"})
    low = replace(bandit("src/app.py", 6, "B608"), confidence=Confidence.LOW)
    findings = [
        bandit("src/app.py", 1, "B311"),
        bandit("src/app.py", 2, "B324"),
        bandit("src/app.py", 3, "B324"),
        bandit("src/app.py", 4, "B105"),
        bandit("src/app.py", 5, "B105"),
        low,
    ]
    out = run(tmp_path, findings)
    assert "weak randomness not used for a secret" in reason(out[0])
    assert "weak hash not used for a credential" in reason(out[1])
    assert out[2].suppression is None  # md5 of a password is the real thing
    assert "not a credential value" in reason(out[3])
    assert out[4].suppression is None
    assert "bandit's own confidence is low" in reason(out[5])
    assert all(f.suppression is None for f in run(tmp_path, findings, Profile.STRICT))


def test_dependencies_are_kept_except_low_unpinned_ranges_in_default(tmp_path: Path) -> None:
    write(tmp_path, {"vendor/requirements.txt": "a>=1\n"})

    def dep(rule: str, severity: Severity) -> Finding:
        return Finding.create(
            rule_id=rule,
            scanner="dependencies",
            severity=severity,
            confidence=Confidence.HIGH,
            message="dep",
            location=Location("vendor/requirements.txt", 1),
        )

    findings = [
        dep("deps/GHSA-xxxx", Severity.HIGH),
        dep("deps/unpinned", Severity.LOW),
        dep("deps/unpinned", Severity.HIGH),  # --require-pinned
    ]
    default = run(tmp_path, findings)
    assert default[0].suppression is None  # even in a vendored folder
    assert "--require-pinned reports them" in reason(default[1])
    assert default[2].suppression is None
    assert all(f.suppression is None for f in run(tmp_path, findings, Profile.STRICT))


def test_audit_suppresses_nothing_but_classifies(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_a.py": "assert x\n"})
    (out,) = run(tmp_path, [bandit("tests/test_a.py", 1, "B101")], Profile.AUDIT)
    assert out.suppression is None
    assert out.file_class == "test"


def test_existing_suppressions_are_kept(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_a.py": "assert x\n"})
    inline = replace(
        bandit("tests/test_a.py", 1, "B101"),
        suppression=Suppression(SuppressionKind.INLINE, "reviewed"),
    )
    (out,) = run(tmp_path, [inline])
    assert out.suppression == Suppression(SuppressionKind.INLINE, "reviewed")


def test_secret_guess_is_kept_only_when_corroborated(tmp_path: Path) -> None:
    named = f'    api_key = "{REAL_LOOKING}"'
    unnamed = f'    value = "{REAL_LOOKING}"'
    env_name = '    api_key = "settings.openai_token_name"'
    other = f'    blob = "{REAL_LOOKING}"'
    write(tmp_path, {"src/app.py": "\n".join([named, unnamed, env_name, other]) + "\n"})
    findings = [
        secret("src/app.py", 1, *span(named, REAL_LOOKING)),
        secret(
            "src/app.py", 2, *span(unnamed, REAL_LOOKING), rule="secrets/base64-high-entropy-string"
        ),
        secret("src/app.py", 3, *span(env_name, "settings.openai_token_name")),
        secret(
            "src/app.py", 4, *span(other, REAL_LOOKING), rule="secrets/base64-high-entropy-string"
        ),
        bandit("src/app.py", 4, "B105"),  # a second detector agrees on line 4
    ]
    out = run(tmp_path, findings)
    by_line = {(f.location.start_line, f.rule_id): f for f in out}
    kept = by_line[(1, "secrets/secret-keyword")]
    assert kept.suppression is None
    assert kept.properties["llmsecops.evidence"] == "credential-name"
    assert kept.confidence is Confidence.MEDIUM
    entropy = by_line[(2, "secrets/base64-high-entropy-string")]
    assert "no corroboration" in reason(entropy)
    assert entropy.properties["llmsecops.evidence"] == "entropy"
    assert "no corroboration" in reason(by_line[(3, "secrets/secret-keyword")])
    assert by_line[(4, "secrets/base64-high-entropy-string")].suppression is None


def test_provider_format_ranks_first_and_survives_tests_and_generated(tmp_path: Path) -> None:
    line = f'KEY = "{REAL_LOOKING}"'
    write(tmp_path, {"tests/test_a.py": line + "\n", "vendor/x.py": line + "\n"})
    out = run(
        tmp_path,
        [
            secret("tests/test_a.py", 1, *span(line, REAL_LOOKING), rule="secrets/openai-api-key"),
            secret("vendor/x.py", 1, *span(line, REAL_LOOKING), rule="secrets/openai-api-key"),
            secret("tests/test_a.py", 1, *span(line, REAL_LOOKING)),
        ],
    )
    strong = [f for f in out if f.rule_id == "secrets/openai-api-key"]
    assert all(f.suppression is None for f in strong)
    assert all(f.properties["llmsecops.evidence"] == "provider-format" for f in strong)
    assert all(f.confidence is Confidence.HIGH for f in strong)
    guess = next(f for f in out if f.rule_id == "secrets/secret-keyword")
    assert "secret guess (keyword or entropy) in a test file" in reason(guess)
    assert Evidence.PROVIDER_FORMAT > Evidence.CREDENTIAL_NAME > Evidence.ENTROPY


@pytest.mark.parametrize(
    "value",
    [
        "sk-proj-1234567890abcdefghij",
        "AKIAIOSFODNN7EXAMPLE",
        "your-api-key-here",
        "sk-xxxxxxxxxxxxxxxxxxxx",
        "<OPENAI_API_KEY>",
        "${OPENAI_API_KEY}",
        "fake-token-for-tests-Zq8v",
        "aaaaaaaaaaaaaaaaaaaa",
        "postgresql://user:pass@localhost/db",
    ],
)
def test_placeholders_and_fakes_are_dropped_even_for_provider_formats(
    tmp_path: Path, value: str
) -> None:
    assert is_fake(value)
    line = f'token = "{value}"'
    write(tmp_path, {"src/app.py": line + "\n"})
    (out,) = run(
        tmp_path, [secret("src/app.py", 1, *span(line, value), rule="secrets/openai-api-key")]
    )
    assert reason(out) == "placeholder or fake secret value"


def test_fakes_only_the_line_shows(tmp_path: Path) -> None:
    url = 'DB = "postgresql://user:pass@localhost:5432/app"'
    prose = "- **AppKey (PrivateKey)**: a key you BEGIN a new private key with"
    pem = 'KEY = """-----BEGIN RSA PRIVATE KEY-----'
    inline = "paste the -----BEGIN RSA PRIVATE KEY---- your key -----END RSA PRIVATE KEY----- here"
    write(tmp_path, {"src/app.py": "\n".join([url, prose, pem, inline]) + "\n"})
    out = run(
        tmp_path,
        [
            secret(
                "src/app.py",
                1,
                *span(url, "pass@localhost:5432/app"),
                "secrets/basic-auth-credentials",
            ),
            secret("src/app.py", 2, *span(prose, "BEGIN a new private key"), "secrets/private-key"),
            secret("src/app.py", 3, *span(pem, "BEGIN RSA PRIVATE KEY"), "secrets/private-key"),
            secret("src/app.py", 4, *span(inline, "BEGIN RSA PRIVATE KEY"), "secrets/private-key"),
        ],
    )
    assert reason(out[3]) == "placeholder or fake secret value"
    assert reason(out[0]) == "placeholder or fake secret value"
    assert reason(out[1]) == "placeholder or fake secret value"
    assert out[2].suppression is None


@pytest.mark.parametrize(
    ("line", "fake"),
    [
        ('    ...     private_key_pem="-----BEGIN PRIVATE KEY-----...",', True),
        ('if pem.startswith("-----BEGIN PRIVATE KEY-----"):', True),
        ('KEY = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"', False),
        ('KEY = """-----BEGIN PRIVATE KEY-----', False),
    ],
)
def test_a_private_key_header_cut_short_is_a_placeholder(
    tmp_path: Path, line: str, fake: bool
) -> None:
    write(tmp_path, {"src/sign.py": line + "\n"})
    (out,) = run(
        tmp_path,
        [secret("src/sign.py", 1, *span(line, "BEGIN PRIVATE KEY"), "secrets/private-key")],
    )
    assert (out.suppression is not None) is fake


def test_real_looking_values_are_not_fakes() -> None:
    assert not is_fake(REAL_LOOKING)
    assert looks_like_secret(REAL_LOOKING)
    for name in ("OPENAI_API_KEY", "access_token", "https://example.invalid/x", "two words"):
        assert not looks_like_secret(name)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('api_key = "V', "api_key"),
        ('    self.password: str = "V', "self.password"),
        ('{"client_secret": "V', "client_secret"),
        ('connect(token="V', "token"),
        ('print("V', ""),
    ],
)
def test_assigned_name(line: str, expected: str) -> None:
    assert assigned_name(line, line.index("V") + 1) == expected


def test_strict_keeps_production_inventory_and_uncorroborated_guesses(tmp_path: Path) -> None:
    line = f'    value = "{REAL_LOOKING}"'
    write(tmp_path, {"src/app.py": line + "\n", "tests/test_a.py": "assert x\n"})
    findings = [
        bandit("src/app.py", 1, "B404"),
        secret(
            "src/app.py", 1, *span(line, REAL_LOOKING), rule="secrets/base64-high-entropy-string"
        ),
        bandit("tests/test_a.py", 1, "B101"),
    ]
    default = run(tmp_path, findings)
    strict = run(tmp_path, findings, Profile.STRICT)
    assert [f.suppression is None for f in default] == [False, False, False]
    assert [f.suppression is None for f in strict] == [True, True, False]


def test_strict_fails_on_medium_unless_told_otherwise() -> None:
    assert fail_on(Profile.STRICT, Severity.HIGH, explicit=False) is Severity.MEDIUM
    assert fail_on(Profile.STRICT, None, explicit=False) is Severity.MEDIUM
    assert fail_on(Profile.STRICT, Severity.LOW, explicit=False) is Severity.LOW
    assert fail_on(Profile.STRICT, Severity.CRITICAL, explicit=True) is Severity.CRITICAL
    assert fail_on(Profile.DEFAULT, Severity.HIGH, explicit=False) is Severity.HIGH
    assert fail_on(Profile.AUDIT, None, explicit=False) is None


def test_profile_parse_rejects_unknown_names() -> None:
    assert Profile.parse(" Strict ") is Profile.STRICT
    with pytest.raises(ValueError, match="expected one of default, audit, strict"):
        Profile.parse("quiet")


class _Fixed:
    program = "fixed"

    def __init__(self, findings: tuple[Finding, ...]) -> None:
        self.name = "bandit"
        self._findings = findings

    def version(self) -> str | None:
        return "1"

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        return ScannerRun(scanner=self.name, status=RunStatus.OK, findings=self._findings)  # type: ignore[arg-type]


def _scan(root: Path, profile: str) -> ScanResult:
    findings = (bandit("tests/test_a.py", 1, "B101"), bandit("src/app.py", 1, "B602"))
    request = engine.ScanRequest(root=root, config=Config(profile=profile), fail_on=Severity.MEDIUM)
    return engine.scan(request, [_Fixed(findings)])  # type: ignore[list-item]


def test_engine_applies_the_profile_and_nothing_is_silent(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_a.py": "assert x\n", "src/app.py": "run(x, shell=True)\n"})
    result = _scan(tmp_path, "default")
    assert len(result.findings) == 2
    assert [f.rule_id for f in result.active] == ["bandit/B602"]
    assert [f.rule_id for f in result.suppressed] == ["bandit/B101"]
    data = json.loads(json_report.render(result))
    assert data["summary"]["suppressed_by_kind"] == {"profile": 1}
    by_rule = {f["rule_id"]: f for f in data["findings"]}
    assert by_rule["bandit/B101"]["suppression"]["kind"] == "profile"
    assert by_rule["bandit/B101"]["file_class"] == "test"
    assert json_report.load(json_report.render(result)).findings == result.findings
    results = json.loads(sarif.render(result))["runs"][0]["results"]
    sup = next(r for r in results if r["ruleId"] == "bandit/B101")
    assert sup["suppressions"][0]["kind"] == "external"
    assert sup["properties"]["fileClass"] == "test"
    text = console.render(result, width=200)
    assert "1 suppressed (1 profile)" in text
    assert "tests/test_a.py" not in text
    listed = console.render(result, width=200, show_suppressed=True)
    assert "profile: assert in test code is how tests check (1)" in listed
    assert "tests/test_a.py:1 bandit/B101 [test]" in listed
    assert exit_code(result, exit_zero=False) == 1  # B602 is still blocking


def test_engine_audit_profile_shows_everything(tmp_path: Path) -> None:
    write(tmp_path, {"tests/test_a.py": "assert x\n", "src/app.py": "run(x, shell=True)\n"})
    result = _scan(tmp_path, "audit")
    assert len(result.active) == 2
    assert not result.suppressed


def test_cli_rejects_an_unknown_profile_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from llmsecops.cli.main import main

    write(tmp_path, {"app.py": "x = 1\n"})
    code = main(["scan", "--no-progress", "--profile", "loud", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "--profile: expected one of default, audit, strict, got 'loud'" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_cli_strict_profile_lowers_the_threshold_and_shows_suppressed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from llmsecops.cli.main import main

    # B608 (medium): blocks under strict, not under default (fail-on high).
    code = "def q(t):\n    return 'SELECT * FROM x WHERE a = ' + t  # query\n"
    write(tmp_path, {"app.py": code, "tests/test_a.py": "def test():\n    assert True\n"})
    args = ["scan", "--no-progress", "--only", "bandit", str(tmp_path)]
    assert main([*args, "--profile", "default"]) == 0
    capsys.readouterr()
    assert main([*args, "--profile", "strict", "--show-suppressed"]) == 1
    err = capsys.readouterr().err
    assert "SUPPRESSED (1)" in err
    assert "tests/test_a.py:2 bandit/B101 [test]" in err


def _jwt(exp: int) -> str:
    import base64

    def part(obj: dict[str, object]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part({'sub': 'x', 'exp': exp})}.{REAL_LOOKING}"


def test_more_secret_noise_default_drops(tmp_path: Path) -> None:
    old, future = _jwt(1_700_000_000), _jwt(4_100_000_000)
    lines = {
        "cassette.py": f'TOKEN = "{old}"\nFRESH = "{future}"\n',
        "labels.py": '    "OPENROUTER_API_KEY": "OpenRouter",\n',
        "ci.yml": "      NEO4J_PASSWORD: password\n",
    }
    write(tmp_path, lines)
    t1, t2 = lines["cassette.py"].splitlines()
    blob_line = f"data: '{REAL_LOOKING * 3}'"
    write(tmp_path, {"blob.py": blob_line + "\n"})
    embedded = replace(
        secret("blob.py", 1, *span(blob_line, REAL_LOOKING * 3), rule="secrets/aws-access-key"),
        properties={"llmsecops.in-encoded-blob": "true"},
    )
    deploy = Finding.create(
        rule_id="llmsecops/secret-in-deploy-config",
        scanner="secrets",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        message="secret in CI",
        location=Location("ci.yml", 1, 23, 1, 31),
    )
    label_line = lines["labels.py"].splitlines()[0]
    findings = [
        secret("cassette.py", 1, *span(t1, old), rule="secrets/json-web-token"),
        secret("cassette.py", 2, *span(t2, future), rule="secrets/json-web-token"),
        secret("labels.py", 1, *span(label_line, "OpenRouter")),
        embedded,
        deploy,
    ]
    out = run(tmp_path, findings)
    assert "expired JWT" in reason(out[0])
    assert out[1].suppression is None  # not expired yet
    assert "no corroboration" in reason(out[2])  # a label, not a credential value
    assert "base64 blob" in reason(out[3])
    assert "placeholder or fake" in reason(out[4])
    assert all(f.suppression is None for f in run(tmp_path, findings, Profile.AUDIT))


def test_bandit_b202_on_a_function_merely_named_extractall(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": "_safe_extractall(tf, dest)\ntf.extractall(dest)\n"})
    wrapper, real = run(tmp_path, [bandit("a.py", 1, "B202"), bandit("a.py", 2, "B202")])
    assert "named like extractall" in reason(wrapper)
    assert real.suppression is None


def test_a_ruff_waiver_covers_a_pack_finding_merged_with_that_bandit_check(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"a.py": "return pickle.load(fh)  # noqa: S301\nreturn pickle.load(g)\n"})

    def merged(line: int) -> Finding:
        f = Finding.create(
            rule_id="llmsecops/pickle-model-load",
            scanner="semgrep",
            severity=Severity.HIGH,
            confidence=Confidence.HIGH,
            message="pickle",
            location=Location("a.py", line),
        )
        return replace(f, merged_rule_ids=("bandit/B301",))

    waived, kept = run(tmp_path, [merged(1), merged(2)])
    assert "noqa: S301" in reason(waived)
    assert kept.suppression is None
