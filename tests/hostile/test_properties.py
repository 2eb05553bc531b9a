"""Property-based tests: the functions that handle untrusted text hold their
guarantees for any input hypothesis can build, not just the cases we thought of."""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmsecops import config, redact, suppress
from llmsecops.engine import normalize_path
from llmsecops.errors import ConfigError, LlmsecopsError
from llmsecops.report import console, html, markdown, sarif
from llmsecops.report import json as json_report
from llmsecops.scanners import dependencies
from tests.test_reports import finding, result

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ROOT = Path("/scan/root")
# Text as it reaches us: any code point (hypothesis leaves out lone
# surrogates, which decoding with errors="replace" never produces), or bytes
# decoded the way the workspace decodes files.
untrusted = st.one_of(
    st.text(),
    st.binary().map(lambda b: b.decode("utf-8", errors="replace")),
    st.text(alphabet=st.sampled_from("[]/\\.\n\r\t\x1b\x07\x9b\u202e<>&\"'`|*_~:;- aZ0")),
)
path_parts = st.lists(
    st.one_of(st.sampled_from(["..", ".", "", "a", "b", "/", "~"]), st.text(min_size=1)),
    max_size=8,
)
SECRET_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
secrets = st.text(alphabet=SECRET_ALPHABET, min_size=9, max_size=80)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f]")


@SETTINGS
@given(parts=path_parts, absolute=st.booleans())
def test_normalized_paths_never_leave_the_root(parts: list[str], absolute: bool) -> None:
    raw = "/".join(parts)
    if absolute:
        raw = f"{ROOT}/{raw}"
    out = normalize_path(raw, ROOT)
    if out is None:
        return
    assert not out.startswith("/")
    assert all(p not in ("", ".", "..") for p in out.split("/"))
    joined = posixpath.normpath(posixpath.join(str(ROOT), out))
    assert joined == str(ROOT) or joined.startswith(f"{ROOT}/")


@SETTINGS
@given(secret=secrets, before=untrusted, after=untrusted)
def test_masking_leaves_no_secret(secret: str, before: str, after: str) -> None:
    masked = redact.mask_all(f"{before}{secret}{after}{secret}", [secret])
    assert secret not in masked
    assert redact.preview(secret) in masked
    assert secret not in redact.preview(secret)


@SETTINGS
@given(text=untrusted)
def test_console_text_is_one_inert_line(text: str) -> None:
    shown = console.safe(text)
    assert _CONTROL.search(shown) is None
    assert "\n" not in shown and "\r" not in shown


@SETTINGS
@given(path=untrusted, message=untrusted, rule=untrusted)
def test_console_report_shows_untrusted_text_literally(path: str, message: str, rule: str) -> None:
    f = replace(finding(1, path=path or "x", message=f"m{message}"), rule_id=rule or "r/x")
    out = console.render(result((f,)), color=False, width=100_000)
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert console.safe(f"{f.location.path}:{f.location.start_line}") in out
    # Exactly the lines the layout has, whatever the text: nothing forged.
    assert len(out.splitlines()) == len(
        console.render(result((finding(1),)), width=100_000).splitlines()
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=untrusted, message=untrusted, snippet=untrusted)
def test_machine_reports_stay_valid_and_exact(path: str, message: str, snippet: str) -> None:
    message = f"m{message}"  # a finding's message is never blank
    f = finding(1, path=path or "x", message=message, snippet=snippet)
    r = result((f,))
    data = json.loads(json_report.render(r))
    got = data["findings"][0]
    assert (got["location"]["path"], got["message"], got["snippet"]) == (
        f.location.path,
        f.message,
        snippet,
    )
    assert json_report.load(json_report.render(r)).findings[0] == f
    doc = json.loads(sarif.render(r))
    assert doc["runs"][0]["results"][0]["message"]["text"]
    page = html.render(replace(r, findings=(replace(f, message=f"<zz>{message}</zz>"),)))
    assert "<zz>" not in page
    assert "<zz>" not in markdown.render(
        replace(r, findings=(replace(f, message=f"<zz>{message}"),))
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
config_like = st.dictionaries(
    st.sampled_from(
        ["fail-on", "exclude", "max-file-size", "scanners", "rules", "history", "dependencies", "x"]
    ),
    st.one_of(
        json_values,
        st.dictionaries(
            st.sampled_from(["bandit", "semgrep", "llmsecops/a", "enabled", "timeout", "since"]),
            json_values,
            max_size=3,
        ),
    ),
    max_size=5,
)


@SETTINGS
@given(data=st.one_of(config_like, json_values))
def test_config_parser_accepts_or_names_the_problem(data: object) -> None:
    try:
        cfg = config.parse(data, "t.yml")
    except ConfigError as exc:
        assert str(exc).startswith("config t.yml: ")
        assert len(str(exc)) < 5000
        return
    assert cfg.max_file_size <= config.MAX_FILE_SIZE_CAP
    assert all(s.timeout_s <= config.MAX_TIMEOUT_S for s in cfg.scanners.values())


@SETTINGS
@given(text=untrusted)
def test_config_text_parses_or_fails_in_one_line(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ".llmsecops.yml"
        path.write_text(text, encoding="utf-8")
        try:
            config.load_file(path, display=".llmsecops.yml")
        except ConfigError as exc:
            assert str(exc).startswith("config .llmsecops.yml")


@SETTINGS
@given(lines=st.lists(untrusted, max_size=6))
def test_suppression_comments_parse_any_line(lines: list[str]) -> None:
    for line in lines:
        parsed = suppress.parse_line(line)
        if parsed is not None:
            rules, _reason = parsed
            assert all(r == r.strip() and r for r in rules)
    suppress.waivers(lines)


MANIFESTS = [
    "requirements.txt",
    "pyproject.toml",
    "poetry.lock",
    "uv.lock",
    "Pipfile.lock",
    "pylock.toml",
    "package-lock.json",
    "pnpm-lock.yaml",
    "yarn.lock",
]


@SETTINGS
@given(name=st.sampled_from(MANIFESTS), text=untrusted)
def test_manifest_parsers_never_raise(name: str, text: str) -> None:
    collected = dependencies.collect([name], lambda _: text)
    assert isinstance(collected.notes, tuple)


@SETTINGS
@given(text=untrusted)
def test_saved_reports_load_or_fail_cleanly(text: str) -> None:
    with contextlib.suppress(LlmsecopsError):
        json_report.load(text)
