"""The rule pack: every rule is complete, and its annotated fixtures hold.

Fixture convention (as semgrep's): the comment line above a target says
``# ruleid: <rule id>`` (must be flagged) or ``# ok: <rule id>`` (must not);
``# todoruleid:`` marks a known miss. One real semgrep run checks them all;
each fixture answers for the rule of the same name and any rule it annotates.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from llmsecops import rulepack
from llmsecops.config import Config
from llmsecops.model import Finding, RunStatus
from llmsecops.scanners import _process, semgrep
from llmsecops.scanners.base import ScanContext
from llmsecops.scanners.semgrep import parse
from llmsecops.workspace import collect

ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(ruleid|ok|todoruleid|todook):\s*([\w/.\-]+)\s*$")
FIXTURE_SUFFIXES = {".py", ".js", ".ts", ".jsx", ".tsx", ".mjs"}


def fixture_files() -> list[Path]:
    return sorted(p for p in rulepack.rules_dir().rglob("*") if p.suffix in FIXTURE_SUFFIXES)


def expectations(path: Path) -> dict[tuple[str, int], str]:
    """(rule id, target line) -> kind, where the target is the next non-annotation line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out: dict[tuple[str, int], str] = {}
    for i, text in enumerate(lines):
        match = ANNOTATION.match(text)
        if not match:
            continue
        target = i + 1
        while target < len(lines) and ANNOTATION.match(lines[target]):
            target += 1
        out[(match.group(2), target + 1)] = match.group(1)
    return out


def test_every_rule_has_metadata_fixtures_and_docs() -> None:
    rules = rulepack.load()
    assert rules, "the rule pack is empty"
    annotated: dict[str, set[str]] = {}
    for path in fixture_files():
        for (rule_id, _line), kind in expectations(path).items():
            annotated.setdefault(rule_id, set()).add(kind)
    problems = []
    for rule in rules:
        rid = rule.meta.id
        kinds = annotated.get(rid, set())
        if "ruleid" not in kinds:
            problems.append(f"{rid}: no '# ruleid:' fixture")
        if "ok" not in kinds:
            problems.append(f"{rid}: no '# ok:' fixture")
        if not rulepack.doc_path(rid).is_file():
            problems.append(f"{rid}: no docs page {rulepack.doc_path(rid).name}")
        # Web application rules (web-*) have no LLM-specific OWASP category.
        if not rule.meta.owasp_llm and not rulepack.slug(rid).startswith("web-"):
            problems.append(f"{rid}: no OWASP LLM id")
    assert problems == []


def plain_semgrep(config: Path, targets: list[str], *, cwd: Path | None = None) -> str:
    """semgrep's JSON output for ``config`` on ``targets``, run as a user would."""
    program = _process.find_program("semgrep")
    assert program, "semgrep must be installed to test the rule pack"
    done = subprocess.run(
        [
            program,
            "scan",
            "--config",
            str(config),
            "--json",
            "--quiet",
            "--metrics=off",
            "--disable-version-check",
            "--no-git-ignore",
            # The scanner allows 30 s per file; the default 5 s flakes on a busy CI machine.
            "--timeout",
            "60",
            *targets,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=_process.scrubbed_env({"SEMGREP_SEND_METRICS": "off"}),
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def whole_pack() -> list[Finding]:
    """The whole pack, as the rule files stand, run by plain semgrep on every fixture."""
    stdout = plain_semgrep(rulepack.rules_dir(), [str(f) for f in fixture_files()])
    assert json.loads(stdout)["errors"] == []
    return parse(stdout).findings


def test_fixtures_match_the_rules_line_by_line(whole_pack: list[Finding]) -> None:
    files = fixture_files()
    # As in semgrep's own tests, a fixture answers for the rule named like it
    # and for any rule it annotates; other rules' hits on it are not its concern.
    own = {r.source.with_suffix("").name: r.meta.id for r in rulepack.load()}
    in_scope = {
        path.resolve(): {own.get(path.stem, ""), *(rid for rid, _ in expectations(path))}
        for path in files
    }
    found = {
        (Path(f.location.path).resolve(), f.rule_id, f.location.start_line)
        for f in whole_pack
        if f.rule_id in in_scope.get(Path(f.location.path).resolve(), set())
    }
    missing, unexpected = [], []
    for path in files:
        for (rule_id, line), kind in expectations(path).items():
            hit = (path.resolve(), rule_id, line) in found
            if kind == "ruleid" and not hit:
                missing.append(f"{path.name}:{line} {rule_id}")
            if kind == "ok" and hit:
                unexpected.append(f"{path.name}:{line} {rule_id}")
    annotated = {
        (path.resolve(), rule_id, line)
        for path in files
        for (rule_id, line), kind in expectations(path).items()
        if kind in ("ruleid", "todook")
    }
    unannotated = sorted(f"{p.name}:{line} {r}" for (p, r, line) in found - annotated)
    assert missing == [], "rules missed annotated targets"
    assert unexpected == [], "rules flagged '# ok:' targets"
    assert unannotated == [], "findings on fixture lines without an annotation"


def test_the_adapter_finds_on_the_fixtures_what_the_whole_pack_finds(
    whole_pack: list[Finding],
) -> None:
    """The adapter runs each rule only on the files it can match in, cut down to
    the patterns those files have the words for (_semgrep_prune): on every
    fixture that must change nothing, finding for finding."""
    root = rulepack.rules_dir()
    workspace = collect(root, max_file_size=Config().max_file_size)
    ctx = ScanContext(workspace=workspace, config=Config(), rules_dir=root)
    run = semgrep.SemgrepScanner().run(ctx, timeout_s=600)
    assert run.status is RunStatus.OK, run.reason

    def key(f: Finding) -> tuple[str, str, int, int, str]:
        path = (root / f.location.path).resolve().as_posix()
        return (path, f.rule_id, f.location.start_line, f.location.end_line, f.message)

    expected = sorted(key(f) for f in whole_pack)
    assert len(expected) > 300
    assert sorted(key(f) for f in run.findings) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# ruleid: llmsecops/x\nbad()\n", {("llmsecops/x", 2): "ruleid"}),
        (
            "// ok: llmsecops/x\n// ruleid: llmsecops/y\nfoo()\n",
            {("llmsecops/x", 3): "ok", ("llmsecops/y", 3): "ruleid"},
        ),
    ],
)
def test_annotation_parser(tmp_path: Path, text: str, expected: dict[tuple[str, int], str]) -> None:
    path = tmp_path / "f.py"
    path.write_text(text)
    assert expectations(path) == expected


def _top_level_block(source: str, line: int) -> str:
    """The top-level statement (with its decorators) holding a line of a Python file."""
    tree = ast.parse(source)
    lines = source.splitlines()
    for node in tree.body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        last = node.end_lineno or node.lineno
        if first <= line <= last:
            return "\n".join(lines[first - 1 : last])
    return lines[line - 1]


def test_prefilters_keep_every_positive_fixture_case() -> None:
    """A rule's metadata.prefilter must find something in the top-level block
    (function, class or statement) of each case the rule must flag, on its own:
    a prefilter that misses one would hide that finding in a real scan."""
    prefilters = {r.meta.id: r.prefilter for r in rulepack.load() if r.prefilter is not None}
    assert prefilters, "no rule declares a prefilter; this test guards nothing"
    missed, checked = [], 0
    for path in fixture_files():
        if path.suffix != ".py":
            continue
        source = path.read_text(encoding="utf-8")
        for (rule_id, line), kind in expectations(path).items():
            prefilter = prefilters.get(rule_id)
            if prefilter is None or kind not in ("ruleid", "todoruleid"):
                continue
            checked += 1
            if not prefilter.search(_top_level_block(source, line)):
                missed.append(f"{path.name}:{line} {rule_id}")
    assert checked >= 50
    assert missed == []


def test_the_adapter_skips_a_rule_only_where_its_prefilter_finds_nothing() -> None:
    pack = [r for r in rulepack.load() if r.meta.id == "llmsecops/trust-remote-code"]
    assert pack and pack[0].prefilter is not None
    texts = {
        "a.py": "AutoModel.from_pretrained(m, trust_remote_code=True)\n",
        "b.py": "import json\nprint(json.dumps({}))\n",
        "c.ts": "console.log(1)\n",
    }
    groups = semgrep.plan(pack, [(p, _lang(p)) for p in texts], texts.__getitem__)
    assert [(g.files, [r.meta.id for r in g.rules]) for g in groups] == [
        (("a.py",), ["llmsecops/trust-remote-code"])
    ]


def _word_rule(word: str, *, taint: bool = False) -> rulepack.PackRule:
    """A rule that matches ``<word>(...)``; as a taint rule, from ``<word>_in()`` to it."""
    template = next(r for r in rulepack.load() if r.taint == taint and "python" in r.languages)
    raw: dict[str, object] = {
        "id": word,
        "languages": ["python"],
        "message": word,
        "severity": "INFO",
    }
    if taint:
        raw.update(
            {
                "mode": "taint",
                "pattern-sources": [{"pattern": f"{word}_in()"}],
                "pattern-sinks": [{"pattern": f"{word}(...)"}],
            }
        )
    else:
        raw["pattern"] = f"{word}(...)"
    return replace(template, semgrep_id=word, prefilter=None, raw=raw)


def test_plan_merges_the_smallest_groups_beyond_the_limit() -> None:
    words = [f"call{k}" for k in range(semgrep.MAX_GROUPS + 2)]
    pack = [_word_rule(w) for w in words]
    texts = {f"f{i}.py": f"{w}(1)\n" for i, w in enumerate(words)}
    texts["all.py"] = "\n".join(f"{w}(1)" for w in words)
    texts["none.py"] = "print(1)\n"
    groups = semgrep.plan(pack, [(p, "python") for p in texts], texts.__getitem__)
    assert len(groups) <= semgrep.MAX_GROUPS
    by_file = {f: {r.semgrep_id for r in g.rules} for g in groups for f in g.files}
    assert sorted(by_file) == sorted(set(texts) - {"none.py"})  # every file scanned once
    for path, text in texts.items():  # with every rule whose words it has
        assert {w for w in words if f"{w}(" in text} <= by_file.get(path, set()), path


def test_plan_does_not_spread_a_heavy_rule_over_files_that_do_not_need_it() -> None:
    lights = [f"light{k}" for k in range(semgrep.MAX_GROUPS + 1)]
    pack = [_word_rule("heavy", taint=True), *(_word_rule(w) for w in lights)]
    texts = {"h.py": "heavy(heavy_in())\nlight0()\n"}
    for word in lights:  # more light groups than invocations: some must merge
        texts.update({f"{word}_{i}.py": f"{word}()\n" for i in range(20)})
    groups = semgrep.plan(pack, [(p, "python") for p in texts], texts.__getitem__)
    assert len(groups) <= semgrep.MAX_GROUPS
    heavy = [g for g in groups if any(r.semgrep_id == "heavy" for r in g.rules)]
    assert [g.files for g in heavy] == [("h.py",)]
    assert sorted(f for g in groups for f in g.files) == sorted(texts)


def test_plan_merges_groups_of_other_languages_before_adding_rules_to_files() -> None:
    # a TypeScript rule costs nothing on Python files: its group merges with a
    # Python group, however large, before two Python groups share their rules
    words = [f"call{k}" for k in range(semgrep.MAX_GROUPS)]
    pack = [_word_rule(w, taint=True) for w in words]
    ts_rule = _word_rule("tscall")
    pack.append(
        replace(ts_rule, languages=("typescript",), raw={**ts_rule.raw, "languages": ["ts"]})
    )
    texts = {f"{w}_{i}.py": f"{w}({w}_in())\n" for w in words for i in range(3)}
    ts_files = {f"big{i}.ts": "tscall(1);\n" + "let x = 1;\n" * 5000 for i in range(20)}
    targets = [(p, "python") for p in texts] + [(p, "typescript") for p in ts_files]
    texts.update(ts_files)
    groups = semgrep.plan(pack, targets, texts.__getitem__)
    assert len(groups) <= semgrep.MAX_GROUPS
    for group in groups:  # no Python file gets another Python group's rule
        python_rules = {r.semgrep_id for r in group.rules} - {"tscall"}
        assert len(python_rules) <= 1, python_rules
    assert sorted(f for g in groups for f in g.files) == sorted(texts)


def test_plan_cuts_each_rule_to_the_patterns_its_files_have_the_words_for() -> None:
    rule = next(r for r in rulepack.load() if r.meta.id == "llmsecops/llm-output-to-exec")
    texts = {
        "a.py": "import os\nfrom openai import OpenAI\n"
        "r = OpenAI().chat.completions.create(model='m', messages=[])\n"
        "os.system(r.choices[0].message.content)\n",
        "b.py": "import os\nos.system('ls')\n",  # a sink but no source: the rule cannot match
    }
    groups = semgrep.plan([rule], [(p, "python") for p in texts], texts.__getitem__)
    assert [g.files for g in groups] == [("a.py",)]

    def patterns(raw: object) -> str:
        assert isinstance(raw, dict)
        return json.dumps({k: v for k, v in raw.items() if k.startswith("pattern")})

    cut, whole = patterns(groups[0].rules[0].raw), patterns(rule.raw)
    assert "chat.completions.create" in cut and "os.system" in cut
    assert "subprocess" in whole and "subprocess" not in cut
    assert "litellm" in whole and "litellm" not in cut
    assert len(cut) < len(whole) / 3


# Secrets in system prompts whose needed words only semgrep's reading of the
# string literal spells: after an escape, across a backslash-newline, across
# adjacent literals. The adapter must find in each what the whole rule finds.
_READ_AS_SEMGREP_READS = {
    "escape.py": '"Rules:\\nsk-proj-abcdefghij1234567890xyz"',
    "tab.py": '"Key:\\tAKIAABCDEFGHIJ123456 is yours"',
    "continued.py": '"Use pass\\\nword: Hunter2x9 to log in"',
    "adjacent.py": '("Use the pass"\n    "word: Hunter2x9 to log in")',
}


def test_the_adapter_reads_string_literals_as_semgrep_does(tmp_path: Path) -> None:
    repo, rules = tmp_path / "repo", tmp_path / "rules"
    repo.mkdir()
    rules.mkdir()
    for name, literal in _READ_AS_SEMGREP_READS.items():
        (repo / name).write_text(
            "from openai import OpenAI\n\n"
            "client = OpenAI()\n"
            "reply = client.chat.completions.create(\n"
            '    model="gpt-4o-mini",\n'
            "    max_tokens=10,\n"
            f'    messages=[{{"role": "system", "content": {literal}}}],\n'
            ")\n"
        )
    source = rulepack.rules_dir() / "python" / "secret-in-system-prompt.yml"
    (rules / source.name).write_text(source.read_text())
    stdout = plain_semgrep(rules, sorted(_READ_AS_SEMGREP_READS), cwd=repo)
    whole = sorted((f.location.path, f.location.start_line) for f in parse(stdout).findings)
    assert sorted({path for path, _ in whole}) == sorted(_READ_AS_SEMGREP_READS)

    workspace = collect(repo, max_file_size=Config().max_file_size)
    ctx = ScanContext(workspace=workspace, config=Config(), rules_dir=rules)
    run = semgrep.SemgrepScanner().run(ctx, timeout_s=300)
    assert run.status is RunStatus.OK, run.reason
    assert sorted((f.location.path, f.location.start_line) for f in run.findings) == whole


def test_no_file_any_rule_can_match_in_means_no_findings_without_semgrep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "app.py").write_text("x = 1\n")
    (tmp_path / "util.ts").write_text("export const y = 2;\n")
    started: list[object] = []
    monkeypatch.setattr(semgrep, "_run_semgrep", lambda *args: started.append(args))
    workspace = collect(tmp_path, max_file_size=Config().max_file_size)
    ctx = ScanContext(workspace=workspace, config=Config(), rules_dir=rulepack.rules_dir())
    run = semgrep.SemgrepScanner().run(ctx, timeout_s=60)
    assert started == []
    assert run.status is RunStatus.OK and run.findings == ()
    assert run.files_scanned == 2
    assert run.notes == ("no file has the words any rule needs; semgrep was not started",)


def _lang(path: str) -> str:
    return "python" if path.endswith(".py") else "typescript"


def _run_costs(groups: list[semgrep.Group], size: dict[str, int]) -> dict[str, int]:
    return {
        path: weight * (size[path] + 256)
        for g in groups
        for path, weight in zip(g.files, g.weights, strict=True)
    }


def test_runs_cut_the_groups_in_one_stretch_of_similar_cost_per_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semgrep, "jobs", lambda: 2)
    light, heavy = _word_rule("light"), _word_rule("heavy", taint=True)
    groups = [
        semgrep.Group((light,), tuple(f"l{i:02}.py" for i in range(60)), (2,) * 60),
        semgrep.Group((heavy, light), tuple(f"h{i:02}.py" for i in range(40)), (9,) * 40),
        semgrep.Group((heavy,), ("huge.py",), (7,)),
    ]
    size = {f: 1000 for g in groups for f in g.files} | {"huge.py": 20_000}
    runs = semgrep._runs(groups, tmp_path, size)
    assert len(runs) == 2
    # every file once; each run a stretch of the groups' files in order
    order = [f for g in groups for f in g.files]
    starts = sorted(order.index(run.files[0]) for run in runs)
    assert [f for at in starts for run in runs if run.files[0] == order[at] for f in run.files] == (
        order
    )
    cost = _run_costs(groups, size)
    totals = sorted(sum(cost[f] for f in run.files) for run in runs)
    assert totals[1] - totals[0] <= 2 * max(cost.values())  # split at a file's middle
    first = [sum(cost[f] for f in run.files) for run in runs]
    assert first == sorted(first, reverse=True)  # costliest first


def test_a_run_of_one_group_gets_its_rules_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semgrep, "jobs", lambda: 2)
    rule = _word_rule("call")
    groups = [
        semgrep.Group((rule,), tuple(f"a{i}.py" for i in range(10)), (1,) * 10),
        semgrep.Group((rule, _word_rule("other")), tuple(f"b{i}.py" for i in range(10)), (1,) * 10),
    ]
    runs = semgrep._runs(groups, tmp_path, {f: 100 for g in groups for f in g.files})
    assert sorted(run.files for run in runs) == [groups[0].files, groups[1].files]
    for run in runs:
        config = json.loads(run.config.read_text())["rules"]
        assert run.ids == {}
        assert all("paths" not in raw for raw in config)
        assert sorted(raw["id"] for raw in config) in (["call"], ["call", "other"])


def test_runs_hold_at_most_run_files_and_one_file_takes_one_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semgrep, "jobs", lambda: 2)
    monkeypatch.setattr(semgrep, "RUN_FILES", 10)
    rule = _word_rule("call")
    group = semgrep.Group((rule,), tuple(f"f{i:02}.py" for i in range(45)), (1,) * 45)
    runs = semgrep._runs([group], tmp_path, dict.fromkeys(group.files, 100))
    assert sorted(f for run in runs for f in run.files) == list(group.files)
    assert all(len(run.files) <= 10 for run in runs)
    # two stretches of 45 files would pass the limit: 2 x 3 stretches of 7-8
    assert len(runs) == 6
    one = semgrep.Group((rule,), ("only.py",), (1,))
    assert len(semgrep._runs([one], tmp_path, {"only.py": 100})) == 1


def test_a_long_scan_takes_a_multiple_of_the_cores_in_runs_of_at_most_run_cost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(semgrep, "jobs", lambda: 2)
    rule = _word_rule("call")
    group = semgrep.Group((rule,), tuple(f"f{i:02}.py" for i in range(40)), (5,) * 40)
    size = dict.fromkeys(group.files, 1000)
    cost = _run_costs([group], size)
    # five runs' worth of cost: six runs, three per core
    monkeypatch.setattr(semgrep, "RUN_COST", sum(cost.values()) // 5)
    runs = semgrep._runs([group], tmp_path, size)
    assert len(runs) == 6
    assert sorted(f for run in runs for f in run.files) == list(group.files)
    assert all(sum(cost[f] for f in run.files) <= semgrep.RUN_COST for run in runs)


def test_a_scan_is_planned_in_one_part_per_core_of_falling_shares_dealt_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(semgrep, "jobs", lambda: 2)
    targets = [(f"f{i:03}.py", "python") for i in range(200)]
    size = {path: 744 for path, _ in targets}  # 1000 bytes a file, with the 256 added
    parts = semgrep._parts(targets, size)
    assert len(parts) == 2
    assert sorted(t for part in parts for t in part) == targets
    assert all(part == sorted(part) for part in parts)  # each in the scan's order
    first = len(parts[0]) / len(targets)  # planned first, so it starts first: a larger share
    assert abs(first - 1.15 / 2.15) <= 0.01
    # dealt out, not cut in two: each part holds files from all over the scan
    for part in parts:
        assert {path[1] for path, _ in part} == {"0", "1"}
    # one part on one core, for fewer files than cores, and in a long scan
    assert semgrep._parts(targets[:1], size) == [targets[:1]]
    monkeypatch.setattr(semgrep, "RUN_FILES", 99)
    assert semgrep._parts(targets, size) == [targets]
    monkeypatch.setattr(semgrep, "RUN_FILES", 1000)
    monkeypatch.setattr(semgrep, "jobs", lambda: 1)
    assert semgrep._parts(targets, size) == [targets]


def test_the_first_parts_run_goes_on_while_the_next_part_is_planned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second part is not planned until the first part's semgrep has
    started: planning waits for it here (or gives up after 30 s, and then the
    order of events below is wrong)."""
    monkeypatch.setattr(semgrep, "jobs", lambda: 2)
    for i in range(6):
        (tmp_path / f"f{i}.py").write_text(f"call({i})\n")
    events: list[str] = []
    started = threading.Event()
    real_plan = semgrep.Planner.plan

    def plan(
        self: semgrep.Planner, targets: list[tuple[str, str]], read: Callable[[str], str]
    ) -> list[semgrep.Group]:
        if events:  # a later part
            started.wait(timeout=30)
        events.append(f"plan {len(targets)}")
        return real_plan(self, targets, read)

    def run_semgrep(program: str, run: Any, *args: Any) -> semgrep.ScannerRun:
        events.append(f"run {len(run.files)}")
        started.set()
        return semgrep.skipped(semgrep.NAME, "not run in this test")

    monkeypatch.setattr(semgrep.Planner, "plan", plan)
    monkeypatch.setattr(semgrep, "_run_semgrep", run_semgrep)
    pack = [_word_rule("call")]
    monkeypatch.setattr(rulepack, "load", lambda *_: pack)
    workspace = collect(tmp_path, max_file_size=Config().max_file_size)
    ctx = ScanContext(workspace=workspace, config=Config(), rules_dir=tmp_path)
    semgrep.SemgrepScanner().run(ctx, timeout_s=60)
    assert events == ["plan 3", "run 3", "plan 3", "run 3"]


# glob characters, a space, a backslash, comment and negation marks, non-ASCII
_ODD_NAMES = (
    "a[1].py",
    "b*c?.py",
    "sp ace.py",
    "back\\slash.py",
    "#h.py",
    "!b.py",
    "{x,y}.py",
    "é.py",
)


def test_a_run_of_several_groups_gives_each_file_its_own_groups_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With one core, one semgrep run gets both groups: each group's rules run
    only on its own files (whatever their names), though every file here has
    the words of both rules; the findings carry the rules' own ids, and
    ``# nosemgrep: <rule id>`` holds for the renamed copies as for the rules."""
    monkeypatch.setattr(semgrep, "jobs", lambda: 1)
    alpha, beta = _word_rule("alpha"), _word_rule("beta")
    repo = tmp_path / "repo"
    for name in _ODD_NAMES:
        for folder in ("ga", "gb"):
            (repo / folder).mkdir(parents=True, exist_ok=True)
            (repo / folder / name).write_text(
                "alpha(1)\nbeta(2)\nalpha(3)  # nosemgrep: alpha\nbeta(4)  # nosemgrep: beta\n"
            )
    # a .semgrepignore in the project root is not read for explicit targets
    (repo / ".semgrepignore").write_text("ga/\ngb/\n*.py\n")
    groups = [
        semgrep.Group((alpha,), tuple(f"ga/{n}" for n in _ODD_NAMES), (1,) * len(_ODD_NAMES)),
        semgrep.Group((beta,), tuple(f"gb/{n}" for n in _ODD_NAMES), (1,) * len(_ODD_NAMES)),
    ]
    runs = semgrep._runs(groups, tmp_path, {f: 20 for g in groups for f in g.files})
    assert len(runs) == 1
    program = _process.find_program(semgrep.SemgrepScanner().program)
    assert program is not None
    workspace = collect(repo, max_file_size=Config().max_file_size)
    ctx = ScanContext(workspace=workspace, config=Config(), rules_dir=tmp_path)
    outcome = semgrep._run_semgrep(program, runs[0], ctx, 300, 300)
    assert not isinstance(outcome, semgrep.ScannerRun), outcome.reason
    found = sorted(
        (f.location.path, f.location.start_line, f.properties["semgrep.check_id"])
        for f in outcome.parsed.findings
    )
    assert found == sorted(
        [(f"ga/{n}", 1, "alpha") for n in _ODD_NAMES] + [(f"gb/{n}", 2, "beta") for n in _ODD_NAMES]
    )
    assert {f.rule_id for f in outcome.parsed.findings} == {"semgrep/alpha", "semgrep/beta"}


def test_case_insensitive_prefilters_give_the_same_answer_on_lower_case_text() -> None:
    """plan() runs a whole-pattern (?i) prefilter as a case-sensitive regex over
    the lower-cased file (faster in Python's re); on every fixture, and on the
    fixtures upper-cased, it must say what the regex itself says."""
    regexes = {p for r in rulepack.load() if r.prefilter for p in r.prefilter.patterns}
    fast = {regex: semgrep._lowered(regex) for regex in regexes}
    assert sum(1 for lowered in fast.values() if lowered is not None) >= 5
    texts = [path.read_text(encoding="utf-8") for path in fixture_files()]
    texts += [text.upper() for text in texts]
    for regex, lowered in fast.items():
        if lowered is not None:
            for text in texts:
                assert (regex.search(text) is None) == (lowered.search(text.lower()) is None)


@pytest.mark.parametrize(
    "pattern",
    [r"(?i)\bfoo\S", r"(?i)a(?-i:B)", r"(?i)(?P<x>a)", r"(?i)x\x41", r"(?i)[A-z]", "abc"],
)
def test_a_prefilter_is_not_lower_cased_where_that_could_change_its_meaning(pattern: str) -> None:
    assert semgrep._lowered(re.compile(pattern)) is None


class _DictStore:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_value(self, key: str) -> str | None:
        return self.values.get(key)

    def put_value(self, key: str, value: str) -> None:
        self.values[key] = value


def test_the_parsed_pack_is_kept_in_the_store_and_read_back_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = _DictStore()
    monkeypatch.setattr(rulepack, "_LOADED", {})
    parsed = rulepack.load(store=store)
    assert len(store.values) == len(rulepack.rule_files())  # one entry per rule file

    def no_yaml(*args: object, **kwargs: object) -> object:
        raise AssertionError("parsed the YAML again")

    monkeypatch.setattr(rulepack, "_LOADED", {})
    monkeypatch.setattr(rulepack.yaml, "load", no_yaml)
    again = rulepack.load(store=store)
    assert [(r.meta, r.raw) for r in again] == [(r.meta, r.raw) for r in parsed]


def test_a_damaged_stored_rule_file_is_parsed_again(monkeypatch: pytest.MonkeyPatch) -> None:
    store = _DictStore()
    monkeypatch.setattr(rulepack, "_LOADED", {})
    parsed = rulepack.load(store=store)
    store.values = {key: "{not json" for key in store.values}
    monkeypatch.setattr(rulepack, "_LOADED", {})
    assert [r.raw for r in rulepack.load(store=store)] == [r.raw for r in parsed]


def _plans(planner: semgrep.Planner) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    texts = {  # files that keep a few patterns each, some through regex needs
        "a.py": "import subprocess\nfrom openai import OpenAI\nr = OpenAI().chat.completions"
        ".create(model='m', messages=[])\nsubprocess.run(r.choices[0].message.content, "
        "shell=True)\n",
        "b.py": "from flask import request\nimport openai\nopenai.chat.completions.create("
        "model='m', messages=[{'role': 'system', 'content': request.args['q']}])\n",
        "c.ts": "import OpenAI from 'openai';\nconst c = new OpenAI();\n"
        "c.chat.completions.create({model: 'm', messages: "
        "[{role: 'system', content: req.body.x}]});\n",
    }
    groups = planner.plan([(p, _lang(p)) for p in texts], texts.__getitem__)
    return [(tuple(r.semgrep_id for r in g.rules), g.files) for g in groups] + [
        (tuple(json.dumps(r.raw, sort_keys=True) for r in g.rules), ()) for g in groups
    ]


def test_what_the_rules_regexes_need_is_kept_in_the_store_and_read_back_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from llmsecops.scanners import _semgrep_prune as prune

    pack, store = rulepack.load(), _DictStore()
    monkeypatch.setattr(prune, "_REGEX_NEEDS", {})
    first = _plans(semgrep.Planner(pack, store))
    (key,) = store.values
    assert key.startswith("semgrep-regex-needs/1:") and json.loads(store.values[key])

    def no_regexes(regex: str) -> None:
        raise AssertionError(f"read {regex!r} again")

    # a fresh process: nothing read yet, and every regex's need from the store
    monkeypatch.setattr(prune, "_REGEX_NEEDS", {})
    monkeypatch.setattr(prune, "_anchored_words", no_regexes)
    monkeypatch.setattr(prune, "_pieces_needed", no_regexes)
    written = dict(store.values)
    assert _plans(semgrep.Planner(pack, store)) == first
    assert store.values == written  # nothing new to keep


@pytest.mark.parametrize(
    "entry", ["{not json", "[1, 2]", '{"^(a|b)$": "a"}', '{"^(a|b)$": [[1]]}', '{"x": [["a", 2]]}']
)
def test_a_damaged_or_foreign_regex_entry_is_read_again(
    monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    from llmsecops.scanners import _semgrep_prune as prune

    pack, store = rulepack.load(), _DictStore()
    monkeypatch.setattr(prune, "_REGEX_NEEDS", {})
    first = _plans(semgrep.Planner(pack, store))
    (key,) = store.values
    good = store.values[key]
    store.values[key] = entry
    monkeypatch.setattr(prune, "_REGEX_NEEDS", {})
    assert _plans(semgrep.Planner(pack, store)) == first
    assert json.loads(store.values[key]) == json.loads(good)  # written again
    # an entry kept by another pruner (or another Python) is never read: here
    # it would say that a regex of the pack needs nothing
    regex = next(r for r, need in json.loads(good).items() if need)
    store.values[key] = json.dumps({regex: None})
    monkeypatch.setattr(prune, "_REGEX_NEEDS", {})
    monkeypatch.setattr(semgrep, "_pruner_digest", lambda: "another")
    semgrep.Planner(pack, store)
    assert prune._REGEX_NEEDS[regex] is not None


def test_a_rule_that_sets_its_own_paths_is_refused(tmp_path: Path) -> None:
    """The scanner gives each rule copy its files with ``paths: include:``;
    a rule's own ``paths`` would be overwritten, so the pack may not have one."""
    source = rulepack.rules_dir() / "python" / "secret-in-system-prompt.yml"
    text = source.read_text()
    (tmp_path / source.name).write_text(text)
    assert [r.semgrep_id for r in rulepack.load(tmp_path)] == ["secret-in-system-prompt"]
    (tmp_path / source.name).write_text(
        text.replace("    languages:", "    paths:\n      exclude: [tests/]\n    languages:", 1)
    )
    with pytest.raises(rulepack.RulePackError, match="'paths' is not allowed"):
        rulepack.load(tmp_path)
