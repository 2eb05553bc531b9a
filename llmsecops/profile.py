"""Scan profiles: how much of what the scanners report a team gets to read.

- ``audit``: everything, as the tools reported it (files still classified).
- ``default``: findings that are near-certain noise are suppressed with kind
  ``profile`` and a reason: code-hygiene rules in tests, fixtures, examples
  and docs; generated or vendored files; placeholder and fake secrets; and
  generic secret guesses (keyword, entropy) that nothing corroborates.
- ``strict``: the class-based noise and fake secrets are still suppressed,
  but nothing in production code is, and the fail threshold drops to medium.

Nothing is dropped: a suppressed finding stays in JSON and SARIF (with a
SARIF ``external`` suppression), is counted, and ``--show-suppressed`` lists
it. Cross-tool duplicates of one problem are merged by dedupe.py before a
team sees them; this module only decides what is noise.

Secret findings are also ranked by evidence (property ``llmsecops.evidence``
and confidence): a known provider format beats a credential-named variable,
which beats an entropy guess.
"""

from __future__ import annotations

import base64
import binascii
import enum
import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from llmsecops.classify import Classifier, FileClass, annotate
from llmsecops.model import Confidence, Finding, Severity, Suppression, SuppressionKind
from llmsecops.scanners.secrets import EMBEDDED_PROPERTY
from llmsecops.workspace import read_text


class Profile(enum.Enum):
    DEFAULT = "default"
    AUDIT = "audit"
    STRICT = "strict"

    @classmethod
    def parse(cls, text: str) -> Profile:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(
                f"expected one of {', '.join(p.value for p in cls)}, got {text!r}"
            ) from None


STRICT_FAIL_ON = Severity.MEDIUM
UNPINNED_RULE = "deps/unpinned"


def fail_on(profile: Profile, configured: Severity | None, explicit: bool) -> Severity | None:
    """The threshold a profile implies: strict fails on medium unless ``--fail-on`` says
    otherwise; it never fails on less than the configured threshold would."""
    if explicit or profile is not Profile.STRICT:
        return configured
    if configured is None or configured > STRICT_FAIL_ON:
        return STRICT_FAIL_ON
    return configured


class Evidence(enum.IntEnum):
    """How sure a secret finding is, best last."""

    ENTROPY = 0  # a random-looking string and nothing else
    CREDENTIAL_NAME = 1  # assigned to something named like a credential
    PROVIDER_FORMAT = 2  # a provider's documented token format


# Detectors that guess from shape, not from a provider's token format.
GUESS_RULES = frozenset(
    {
        "secrets/secret-keyword",
        "secrets/base64-high-entropy-string",
        "secrets/hex-high-entropy-string",
    }
)
# Bandit rules about code hygiene or inventory: in code that never runs in
# production (tests, fixtures, examples, docs) their findings are noise.
_TEST_NOISE_BANDIT = {
    "B101": "assert in test code is how tests check",
    "B105": "hard-coded password strings in test code are test data",
    "B106": "hard-coded password arguments in test code are test data",
    "B107": "hard-coded password defaults in test code are test data",
    "B108": "temporary paths in test code",
    "B110": "try/except/pass in test code",
    "B112": "try/except/continue in test code",
    "B113": "requests without a timeout in test code",
    "B104": "binding all interfaces in test code",
    "B303": "weak hashes in test code",
    "B324": "weak hashes in test code",
    "B311": "weak randomness in test code",
    "B301": "pickle in test code",
    "B403": "pickle imports in test code",
    "B404": "subprocess imports in test code",
    "B603": "subprocess calls in test code",
    "B607": "partial executable paths in test code",
    "B602": "shell commands in test code",
    "B605": "shell commands in test code",
    "B608": "SQL strings in test code",
    "B306": "mktemp in test code",
    "B310": "urlopen in test code",
    "B501": "TLS verification off against test servers",
    "B506": "yaml.load in test code",
    "B102": "exec in test code",
    "B307": "eval in test code",
    "B202": "archive extraction in test code",
    "B314": "XML parsing of test data",
    "B405": "XML imports in test code",
    "B701": "templates without autoescape in test code",
}
_EXAMPLE_NOISE_BANDIT = {
    "B101": "assert in an example",
    "B105": "hard-coded password strings in an example are sample values",
    "B106": "hard-coded password arguments in an example are sample values",
    "B107": "hard-coded password defaults in an example are sample values",
    "B104": "examples bind all interfaces to be reachable in a demo",
    "B108": "temporary paths in an example",
    "B110": "try/except/pass in an example",
    "B112": "try/except/continue in an example",
    "B311": "weak randomness in an example",
    "B404": "subprocess imports in an example",
    "B603": "subprocess calls without a shell in an example",
    "B607": "partial executable paths in an example",
}
# Inventory, not a problem: these say "this module uses X", or flag error
# handling. Default suppresses them in production code too; strict does not.
_INVENTORY_BANDIT = {
    "B404": "importing subprocess is inventory, not a problem",
    "B403": "importing pickle is inventory, not a problem (its use is checked)",
    "B603": "a subprocess call without a shell is inventory (B602/B605 cover shells)",
    "B110": "try/except/pass is error handling style, not a vulnerability",
    "B112": "try/except/continue is error handling style, not a vulnerability",
    "B101": "bandit flags every assert; it cannot tell the rare one that guards security",
    "B607": "running a command by name through PATH is hygiene, not a vulnerability",
    "B405": "importing an XML parser is inventory, not a problem (its use is checked)",
    "B406": "importing an XML parser is inventory, not a problem (its use is checked)",
    "B408": "importing an XML parser is inventory, not a problem (its use is checked)",
    "B410": "importing an XML parser is inventory, not a problem (its use is checked)",
}
# Ruff's port of bandit names the same checks S<nnn>: a team that waived one
# for ruff on this line has reviewed it.
_RUFF_NOQA = re.compile(r"#\s*noqa:\s*([A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)")
# Rules that matter only where the value is a secret: corroborated by a
# credential word on the flagged line.
_NEEDS_SECRET_CONTEXT = {
    "B311": "weak randomness not used for a secret (no token, key, nonce or password on the line)",
    "B324": "weak hash not used for a credential or signature (no such word on the line)",
    "B303": "weak hash not used for a credential or signature (no such word on the line)",
}
_SECRET_CONTEXT = re.compile(
    r"pass(word|wd)?|secret|token|nonce|salt|otp|csrf|session|credential|api[_-]?key|private"
    r"|sign|hmac|auth|verif|crypt",
    re.IGNORECASE,
)
_LITERAL_WEB_URL = re.compile(r"""url(?:open|retrieve)\(\s*["']https?://""")
_HARDCODED_PASSWORD = frozenset({"B105", "B106", "B107"})
_QUOTED = re.compile(r"""(?:'([^'\n]*)'|"([^"\n]*)")""")

_CREDENTIAL_NAME = re.compile(
    r"(pass(word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key"
    r"|client[_-]?secret|credential|auth[_-]?key|signing[_-]?key|bearer)",
    re.IGNORECASE,
)
# The name a value is assigned to: `name = "v"`, `name: "v"`, `"name": "v"`, `name="v"`.
_ASSIGNED_NAME = re.compile(
    r"""([A-Za-z_][\w.\-]*)["']?\s*(?::\s*[\w\[\], .|]+)?\s*(?:=|:|=>)\s*[rbuf]*["'`]?$"""
)
_PLACEHOLDER = re.compile(
    r"\.\.\.|…|x{4,}|\*{3,}|your[_-]?|_here\b|placeholder|changeme|change[_-]me|example|dummy"
    r"|redacted|sample|fake|mock|\btest|test[_-]|foobar|lorem|insert|replace|<[^>]*>|\{\{|\$\{"
    r"|%\(|%s\b|^\$|secret[_-]?key$|^sk-\.+|\buser(name)?:pass(word)?\b",
    re.IGNORECASE,
)
# Prompt/response logging: the rule's findings point at the logged value.
_LOGGED = frozenset({"llmsecops/llm-prompt-logged", "llmsecops/llm-prompt-logged-js"})
_CALL_LOOKBACK = 4
# A logging or print call opening: `logger.debug(`, `logging.info(`, `print(`.
_LOG_OPEN = re.compile(
    r"(?:\b(?:\w*log\w*|console)\s*\.\s*(?P<level>[a-z]+)|\b(?P<print>print))\s*\(",
    re.IGNORECASE,
)
# A structured event object handed to a logger (`logger.info(LLMCallEvent(...))`):
# a framework's opt-in tracing, routed by handlers the application configures.
_EVENT_OBJECT = re.compile(r"\x00\s*(?:\w+\.)*[A-Z]\w*Event\s*\(")

# The stock passwords of throwaway test services (a CI container's
# NEO4J_PASSWORD=password): nothing to rotate.
_DEFAULT_PASSWORD = re.compile(
    r"^(password|passw0rd|passwd|secret|admin|root|postgres|mysql|neo4j|guest|default)\d{0,4}$",
    re.IGNORECASE,
)
_SEQUENCES = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "9876543210")
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]{2,}$")
_IDENTIFIER_WORDS = re.compile(r"^[a-z][a-z0-9]*([_\-.][a-z0-9]+)*$")


def is_fake(value: str) -> bool:
    """Values nobody needs to rotate: placeholders, sequences, repeated characters."""
    core = value.strip("'\"`<>{}[]()$ ")
    if len(core) < 8 or len(set(core.lower())) < 6:
        return True
    if _PLACEHOLDER.search(value) or _ENV_NAME.match(core) or _DEFAULT_PASSWORD.match(core):
        return True
    lowered = core.lower()
    for seq in _SEQUENCES:
        if any(seq[i : i + 6] in lowered for i in range(len(seq) - 5)):
            return True
    return bool(re.search(r"(.)\1{5,}", core))


_SAMPLE_USERINFO = re.compile(
    r"\b(user(name)?|admin|root|postgres):(pass(word)?|secret|admin|root|postgres|changeme)@",
    re.IGNORECASE,
)


def fake_in_context(rule_id: str, value: str, line: str) -> bool:
    """Fakes that only the line shows: ``user:pass@host`` in a URL, or a private-key
    "header" in prose with no PEM armour around it."""
    if _SAMPLE_USERINFO.search(line):
        return True
    if rule_id != "secrets/private-key" or "PuTTY" in line:
        return False
    if "-----" not in line:
        return True  # a key "header" in prose, no PEM armour
    # Armour with the END marker on the same line: a real key's body is far
    # longer than what fits between them in a sentence ("... your key ...").
    rest = line.partition("PRIVATE KEY")[2]
    body, end, _ = rest.partition("-----END")
    if end:
        return len(body.strip("- ")) < 64
    # The header alone, cut short: `"-----BEGIN PRIVATE KEY-----..."` in a
    # docstring, or the header closing its string literal at once.
    after = rest.lstrip("-")
    return after.startswith(("...", "…")) or after[:1] in ("'", '"', "`")


# A word or a few capitalised words (a label: "OpenRouter", "Anthropic").
_WORDS_ONLY = re.compile(r"^[A-Za-z][a-z]+(?:[A-Z][a-z]+)*$")


def looks_like_secret(value: str) -> bool:
    """A guessed value that could be a credential, not a name, path, URL or sentence."""
    core = value.strip("'\"`")
    if len(core) < 8 or any(c.isspace() for c in core) or _WORDS_ONLY.match(core):
        return False
    if _ENV_NAME.match(core) or _IDENTIFIER_WORDS.match(core):
        return False  # an environment variable's or a setting's name
    if "://" in core or core.startswith(("/", "./", "~")):
        return False
    classes = sum(
        (
            any(c.islower() for c in core),
            any(c.isupper() for c in core),
            any(c.isdigit() for c in core),
            any(not c.isalnum() for c in core),
        )
    )
    return classes >= 2 and _entropy(core) >= 3.0


def _entropy(text: str) -> float:
    counts: dict[str, int] = {}
    for c in text:
        counts[c] = counts.get(c, 0) + 1
    n = len(text)
    return -sum(k / n * math.log2(k / n) for k in counts.values())


def assigned_name(line: str, column: int) -> str:
    """The variable, key or argument a value at ``column`` (1-based) is assigned to."""
    before = line[: max(column - 1, 0)].rstrip()
    match = _ASSIGNED_NAME.search(before)
    return match.group(1) if match else ""


@dataclass(frozen=True)
class _Lines:
    root: Path

    def get(self, path: str, cache: dict[str, list[str]]) -> list[str]:
        if path not in cache:
            try:
                cache[path] = read_text(self.root, path).splitlines()
            except OSError:
                cache[path] = []
        return cache[path]


_CREDENTIAL_RULE = re.compile(r"secret|password|credential|token|api-?key|hardcoded|B10[567]\b")


def about_credentials(rule_id: str) -> bool:
    """Rules whose agreement corroborates a secret guess on the same line."""
    return rule_id.startswith("secrets/") or bool(_CREDENTIAL_RULE.search(rule_id))


def _waived_for_ruff(bandit_id: str, line: str) -> bool:
    match = _RUFF_NOQA.search(line)
    if match is None:
        return False
    return f"S{bandit_id[1:]}" in re.split(r"[\s,]+", match.group(1))


def is_secret_finding(f: Finding) -> bool:
    return f.scanner == "secrets" and f.rule_id.startswith("secrets/")


def is_guess(f: Finding) -> bool:
    return is_secret_finding(f) and (f.rule_id in GUESS_RULES or f.confidence is Confidence.LOW)


def apply(
    findings: Sequence[Finding], root: Path, profile: Profile, classifier: Classifier
) -> list[Finding]:
    """Classify every finding, rank secrets, and suppress noise as ``profile`` says."""
    classified = annotate(findings, root, classifier)
    lines = _Lines(root)
    cache: dict[str, list[str]] = {}
    by_line: dict[tuple[str, int], set[str]] = {}
    for f in classified:
        by_line.setdefault((f.location.path, f.location.start_line), set()).add(f.rule_id)
    out: list[Finding] = []
    for f in classified:
        value, line, below = "", "", ""
        needs_line = (
            f.scanner in ("secrets", "bandit")
            or f.rule_id in _LOGGED
            or any(r.startswith("bandit/") for r in f.merged_rule_ids)
        )
        if needs_line and not f.commit:
            text = lines.get(f.location.path, cache)
            if 0 < f.location.start_line <= len(text):
                line = text[f.location.start_line - 1]
                below = "\n".join(text[f.location.start_line : f.location.start_line + 2])
                if f.rule_id in _LOGGED:
                    line = _logged_context(text, f.location.start_line, f.location.start_column)
                end = (
                    f.location.end_column if f.location.end_line == f.location.start_line else None
                )
                if f.scanner == "secrets":
                    value = line[f.location.start_column - 1 : (end - 1) if end else None]
        others = by_line.get((f.location.path, f.location.start_line), set()) - {f.rule_id}
        level = evidence(f, value, line, others) if is_secret_finding(f) else None
        f = _ranked(f, level)
        if profile is not Profile.AUDIT and f.suppression is None:
            reason = noise_reason(f, profile, value, level, line, below)
            if reason:
                f = replace(f, suppression=Suppression(SuppressionKind.PROFILE, reason))
        out.append(f)
    return out


def evidence(f: Finding, value: str, line: str, others: set[str]) -> Evidence:
    if not is_guess(f):
        return Evidence.PROVIDER_FORMAT
    if any(about_credentials(rule) for rule in others - GUESS_RULES):
        return Evidence.CREDENTIAL_NAME  # another detector (bandit, semgrep) agrees
    name = assigned_name(line, f.location.start_column) if line else ""
    if name and _CREDENTIAL_NAME.search(name) and looks_like_secret(value):
        return Evidence.CREDENTIAL_NAME
    return Evidence.ENTROPY


def _ranked(f: Finding, level: Evidence | None) -> Finding:
    if level is None or f.commit:
        return f
    confidence = {
        Evidence.PROVIDER_FORMAT: f.confidence,
        Evidence.CREDENTIAL_NAME: Confidence.MEDIUM,
        Evidence.ENTROPY: Confidence.LOW,
    }[level]
    props = {**f.properties, "llmsecops.evidence": level.name.lower().replace("_", "-")}
    return replace(f, confidence=confidence, properties=props)


def noise_reason(
    f: Finding,
    profile: Profile,
    value: str,
    level: Evidence | None,
    line: str = "",
    below: str = "",
) -> str:
    """Why ``f`` is near-certain noise under ``profile``, or "" if it must be shown."""
    file_class = FileClass(f.file_class) if f.file_class else FileClass.PRODUCTION
    secret = is_secret_finding(f)
    bandit_id = f.rule_id.removeprefix("bandit/") if f.scanner == "bandit" else ""
    if f.scanner == "dependencies":
        # A vulnerable pin is real wherever its manifest lives. An unpinned range
        # is how a library declares what it works with: reported at low severity
        # unless --require-pinned, and then this profile shows it.
        if f.rule_id == UNPINNED_RULE and f.severity <= Severity.LOW and profile is Profile.DEFAULT:
            return "unpinned version ranges are normal in a library; --require-pinned reports them"
        return ""
    from_secrets = f.scanner == "secrets"
    if from_secrets and value and (is_fake(value) or fake_in_context(f.rule_id, value, line)):
        return "placeholder or fake secret value"
    if from_secrets and f.properties.get(EMBEDDED_PROPERTY):
        return "a slice of a long base64 blob (encoded binary data), not a key on its own"
    if f.rule_id == "secrets/json-web-token" and value and _expired_jwt(value):
        return "an expired JWT (its exp claim is in the past): nothing left to rotate"
    strong_secret = secret and not is_guess(f)
    if file_class is FileClass.GENERATED and not strong_secret:
        return "generated or vendored file"
    if file_class in (FileClass.TEST, FileClass.FIXTURE):
        if secret and is_guess(f):
            return f"secret guess (keyword or entropy) in a {file_class.value} file"
        if bandit_id in _TEST_NOISE_BANDIT:
            return _TEST_NOISE_BANDIT[bandit_id]
        if f.scanner == "semgrep":
            return "code pattern in a test: tests exercise risky APIs on purpose"
    if file_class is FileClass.EXAMPLE:
        if secret and is_guess(f):
            return "secret guess (keyword or entropy) in an example or doc"
        if f.rule_id in _LOGGED:
            return "an example prints or logs model traffic to show what happens"
        if bandit_id in _EXAMPLE_NOISE_BANDIT:
            return _EXAMPLE_NOISE_BANDIT[bandit_id]
    for waived in (bandit_id, *(r.removeprefix("bandit/") for r in f.merged_rule_ids)):
        if waived.startswith("B") and _waived_for_ruff(waived, line):
            return f"waived in the code for ruff (# noqa: S{waived[1:]}, bandit {waived})"
    if profile is Profile.STRICT:
        return ""
    if bandit_id in _INVENTORY_BANDIT:
        return _INVENTORY_BANDIT[bandit_id]
    if bandit_id in _NEEDS_SECRET_CONTEXT and not _SECRET_CONTEXT.search(line):
        return _NEEDS_SECRET_CONTEXT[bandit_id]
    if bandit_id in _HARDCODED_PASSWORD and not any(
        looks_like_secret(a or b) and not is_fake(a or b) for a, b in _QUOTED.findall(line)
    ):
        return "hard-coded 'password' that is not a credential value (a URL, label or name)"
    if bandit_id == "B202" and line and ".extractall(" not in line:
        return "a function named like extractall (bandit matches the name), not the archive method"
    if bandit_id == "B310" and _LITERAL_WEB_URL.search(f"{line}\n{below}"):
        return "urlopen of a literal http(s) URL: no file: or custom scheme can reach it"
    if f.rule_id in _LOGGED and _logged_at_debug(line):
        return "logged at debug level, which production logging leaves off"
    if f.rule_id in _LOGGED and _EVENT_OBJECT.search(line):
        return "a structured event object for the framework's opt-in tracing handlers"
    if f.scanner == "bandit" and f.confidence is Confidence.LOW:
        return "bandit's own confidence is low and nothing corroborates it"
    if secret and is_guess(f) and level is Evidence.ENTROPY:
        return "secret guess with no corroboration (no credential name, no second detector)"
    return ""


def _logged_context(text: list[str], line: int, column: int) -> str:
    """The lines before a logged value and its line, with \x00 marking where the
    value starts (the logging call can open a few lines above it)."""
    above = "\n".join(text[max(0, line - 1 - _CALL_LOOKBACK) : line - 1])
    here = text[line - 1]
    return f"{above}\n{here[: column - 1]}\x00{here[column - 1 :]}"


def _logged_at_debug(context: str) -> bool:
    """Whether the call that logs the marked value (\x00) is a debug-level log call."""
    head = context.split("\x00", 1)[0]
    calls = list(_LOG_OPEN.finditer(head))
    return bool(calls) and (calls[-1].group("level") or "").lower() == "debug"


def _expired_jwt(token: str) -> bool:
    """Whether a JWT's payload has an ``exp`` claim in the past (unverified: a
    token that expired is unusable whoever signed it)."""
    parts = token.strip("'\"` ").split(".")
    if len(parts) != 3:
        return False
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded))
        exp = float(claims["exp"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return False
    return exp < time.time()
