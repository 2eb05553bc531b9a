"""semgrep: runs the bundled rule pack (never the registry), metrics and
version check off, no git calls of its own.

Severity comes from each rule's ``metadata.severity``; a rule without it maps
ERROR -> high, WARNING -> medium, INFO -> low (docs/severity.md).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import heapq
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from llmsecops import rulepack, trace, trace_js
from llmsecops.model import (
    Confidence,
    Finding,
    Location,
    RunStatus,
    ScannerName,
    ScannerRun,
    Severity,
)
from llmsecops.scanners import _process
from llmsecops.scanners import _semgrep_prune as _prune
from llmsecops.scanners.base import (
    ScanContext,
    cpu_count,
    failed,
    one_line,
    skipped,
)
from llmsecops.workspace import SourceFile, read_text

NAME = ScannerName("semgrep")
# Files a semgrep run gets at most (more take more runs): a bound on argv,
# and on the include checks of a run that holds several groups' files, which
# grow with the square of its files (semgrep checks each file against every
# rule copy's include list: 0.1 us a pattern).
RUN_FILES = 1000
# A run's cost at most, in the units of plan's file weights times bytes (on
# this pack, 50-80 ns of semgrep CPU each: about 10-16 s). A long scan takes
# more runs than cores, which a pool gives out costliest first: a misjudged
# run then leaves a core idle for a short while, at 0.2 s of semgrep
# start-up a run.
RUN_COST = 200_000_000
PER_FILE_TIMEOUT_S = 30
MAX_TARGET_BYTES = 2_000_000
MAX_GROUPS = 4  # rule sets per scan (each a copy of its rules in a run's config)
# What a rule costs per file, for merging groups: one per pattern left after
# cutting, plus a taint rule's data-flow analysis, which costs several times a
# search rule's whatever its patterns (semgrep --time on real repositories).
TAINT_WEIGHT = 5
FILE_WEIGHT = 2000  # bytes: what parsing and walking any file costs, in file size
# What parsing a file costs next to its rules' weight (patterns left after
# cutting, TAINT_WEIGHT for taint): a file costs (PARSE_WEIGHT + its rules'
# weight) x (its size + 256), half as much again for JavaScript and
# TypeScript (their parser is slower). Fitted to semgrep --time per file on
# the fixtures, the corpus and a synthetic repository: split in two by this
# cost, the halves' real times were within 2-14% of each other.
PARSE_WEIGHT = 10
SLOW_PARSE = {"javascript": 3, "typescript": 3}  # in halves: 2 is as Python
MAX_JOBS = 8
# Planning a file (reading its words, choosing and cutting its rules) takes
# about this share of the time semgrep then takes on it (0.55 s against 3.8 s
# of semgrep CPU on the synthetic 2,000-file repository). Planning runs on one
# core; the scan plans its files in one part per core, each part's run
# starting while the next part is planned (_parts).
PLAN_SHARE = 0.15
# semgrep's native (OCaml) command line. The default Python front end spends
# about 8 s of CPU validating this pack before it scans a single file, which
# is most of a pre-commit run; results are the same (checked on the corpus).
NATIVE_CLI = "--experimental"

_LEVEL = {"ERROR": Severity.HIGH, "WARNING": Severity.MEDIUM, "INFO": Severity.LOW}
# semgrep language names -> our workspace language names
_LANGUAGES = {
    "python": "python",
    "py": "python",
    "javascript": "javascript",
    "js": "javascript",
    "typescript": "typescript",
    "ts": "typescript",
}
# semgrep exit codes that still come with a complete JSON report
_OK_CODES = frozenset({0, 1})


class SemgrepOutputError(ValueError):
    pass


@dataclass(frozen=True)
class Parsed:
    findings: tuple[Finding, ...]
    notes: tuple[str, ...]  # target files semgrep could not fully analyse
    fatal: str  # a rule or engine error that invalidates the run; "" if none


def parse(stdout: str, ids: Mapping[str, str] | None = None) -> Parsed:
    """Turn ``semgrep --json`` output into findings; pure. ``ids`` names the
    rules of renamed copies back."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        raise SemgrepOutputError("semgrep produced output that is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise SemgrepOutputError("semgrep JSON has no 'results' list")
    findings = tuple(_finding(item, ids or {}) for item in data["results"])
    notes: list[str] = []
    fatal = ""
    for err in data.get("errors", []):
        if not isinstance(err, dict):
            continue
        kind = str(err.get("type", "error"))
        if isinstance(err.get("type"), list):
            kind = str(err["type"][0])
        message = one_line(str(err.get("message", kind)), 160)
        path = err.get("path")
        if path:
            # A target semgrep could not parse or timed out on: the run goes on.
            notes.append(f"{path}: {kind}")
        elif err.get("level") == "error" and not fatal:
            fatal = f"semgrep {kind}: {message}"
    return Parsed(findings, tuple(notes), fatal)


def _finding(item: Any, ids: Mapping[str, str]) -> Finding:
    if not isinstance(item, dict):
        raise SemgrepOutputError("semgrep result is not an object")
    try:
        check_id = str(item["check_id"])
        check_id = ids.get(check_id, check_id)
        path = str(item["path"])
        start = item["start"]
        end = item["end"]
        extra = item.get("extra") or {}
    except (KeyError, TypeError):
        raise SemgrepOutputError("semgrep result lacks check_id, path, start or end") from None
    meta = extra.get("metadata") or {}
    ours = meta.get("llmsecops-id")
    rule_id = str(ours) if ours else f"semgrep/{check_id.rsplit('.', 1)[-1]}"
    try:
        severity = Severity.parse(str(meta["severity"]))
    except (KeyError, ValueError):
        severity = _LEVEL.get(str(extra.get("severity", "")).upper(), Severity.MEDIUM)
    try:
        confidence = Confidence.parse(str(meta["confidence"]))
    except (KeyError, ValueError):
        confidence = Confidence.MEDIUM
    cwe = tuple(_cwe_ids(meta.get("cwe", [])))
    owasp = tuple(str(x) for x in meta.get("owasp-llm", []) if isinstance(x, str))
    location = Location(
        path=path,
        start_line=int(start["line"]),
        start_column=max(1, int(start.get("col", 1))),
        end_line=int(end["line"]),
        end_column=max(1, int(end.get("col", 1))),
    )
    return Finding.create(
        rule_id=rule_id,
        scanner=NAME,
        severity=severity,
        confidence=confidence,
        message=" ".join(str(extra.get("message", rule_id)).split()),
        location=location,
        cwe=cwe,
        owasp_llm=owasp,
        properties={"semgrep.check_id": check_id},
    )


def _cwe_ids(raw: object) -> list[str]:
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        text = str(item)
        head = text.split(":", 1)[0].strip()
        if head.upper().startswith("CWE-"):
            out.append(head.upper())
    return out


class SemgrepScanner:
    name = NAME
    program = "semgrep"

    def version(self) -> str | None:
        return _process.tool_version(
            self.program, ["--version", "--disable-version-check"], env=_env()
        )

    def counts_file(self, f: SourceFile) -> bool:
        """Whether a run over ``f`` counts it as scanned (the result cache asks)."""
        try:
            pack = rulepack.load()
        except rulepack.RulePackError:
            return False
        return f.language in {
            _LANGUAGES[lang] for rule in pack for lang in rule.languages if lang in _LANGUAGES
        }

    def run(self, ctx: ScanContext, timeout_s: float) -> ScannerRun:
        try:
            pack = rulepack.load(ctx.rules_dir)
        except rulepack.RulePackError as exc:
            return failed(NAME, str(exc))
        languages = {
            _LANGUAGES[lang] for rule in pack for lang in rule.languages if lang in _LANGUAGES
        }
        targets = [
            (f.path, f.language or "") for f in ctx.workspace.files if f.language in languages
        ]
        if not pack:
            return skipped(NAME, "the rule pack is empty")
        if not targets:
            return skipped(
                NAME, f"no files in the rule pack's languages ({', '.join(sorted(languages))})"
            )
        program = _process.find_program(self.program)
        if program is None:
            return failed(NAME, "semgrep is not installed (pip install semgrep)")
        planner = Planner(pack, ctx.store)
        size = {f.path: f.size for f in ctx.workspace.files}
        deadline = time.monotonic() + timeout_s
        taint_rules = frozenset(r.meta.id for r in pack if r.taint)
        with (
            tempfile.TemporaryDirectory(prefix="llmsecops-semgrep-") as tmp,
            # One single-threaded semgrep per core, costliest runs first: on 2
            # cores that ends sooner than one semgrep with --jobs 2 for about
            # the same CPU (that one leaves a core idle while it loads its
            # rules and while its last file finishes). Each thread starts its
            # semgrep under this thread's memory ceiling.
            ThreadPoolExecutor(max_workers=jobs(), thread_name_prefix="semgrep") as pool,
        ):
            futures = []
            parts = _parts(targets, size)
            for number, part in enumerate(parts):
                # the runs of the parts planned so far go on while this one is
                groups = planner.plan(part, lambda path: _read_or_empty(ctx, path))
                runs = _runs(
                    groups, Path(tmp), size, cores=jobs() if len(parts) == 1 else 1, name=number
                )
                futures += [
                    pool.submit(
                        contextvars.copy_context().run,
                        _run_before,
                        deadline,
                        program,
                        run,
                        ctx,
                        timeout_s,
                        taint_rules,
                    )
                    for run in runs
                ]
            outcomes = [future.result() for future in futures]
        if not futures:
            # No file has the words any rule needs: semgrep could find nothing.
            return ScannerRun(
                scanner=NAME,
                status=RunStatus.OK,
                version=self.version() or "",
                files_scanned=len(targets),
                notes=("no file has the words any rule needs; semgrep was not started",),
                rules=tuple(r.meta for r in pack),
            )
        findings: list[Finding] = []
        notes: list[str] = []
        version = ""
        for outcome in outcomes:
            if isinstance(outcome, ScannerRun):
                return outcome
            version = version or outcome.version
            findings += outcome.parsed.findings
            notes += outcome.parsed.notes
        run_notes = (
            (f"semgrep could not fully analyse {len(notes)} file(s): {notes[0]}",) if notes else ()
        )
        return ScannerRun(
            scanner=NAME,
            status=RunStatus.OK,
            findings=tuple(findings),
            version=version,
            files_scanned=len(targets),
            notes=run_notes,
            rules=tuple(r.meta for r in pack),
        )


@dataclass(frozen=True)
class Group:
    """Files that get the same rules: a copy of them in the config of each run
    that holds some of the files (``_runs``)."""

    rules: tuple[rulepack.PackRule, ...]
    files: tuple[str, ...]
    # what a byte of each file costs (see plan), for balancing runs; 1 if not given
    weights: tuple[int, ...] = ()


def plan(
    pack: Sequence[rulepack.PackRule],
    targets: Sequence[tuple[str, str]],
    read: Callable[[str], str],
) -> list[Group]:
    """``Planner(pack).plan(targets, read)``."""
    return Planner(pack).plan(targets, read)


class Planner:
    """The pack's rules read for pruning once (``_semgrep_prune``), then plans
    for one or more lists of files."""

    def __init__(
        self, pack: Sequence[rulepack.PackRule], store: rulepack.ParsedStore | None = None
    ) -> None:
        self.pack = pack
        self.rule_languages = [
            {_LANGUAGES[lang] for lang in rule.languages if lang in _LANGUAGES} for rule in pack
        ]
        # what the rules' regexes need, kept in the result cache between scans:
        # reading the regexes is most of this in a fresh process
        pruner = _pruner_digest()
        key = (
            f"{_REGEX_NEEDS_FORMAT}:{pruner}:{sys.version_info[0]}.{sys.version_info[1]}"
            if store is not None and pruner
            else None
        )
        known = 0
        if store is not None and key is not None:
            stored = store.get_value(key)
            with contextlib.suppress(ValueError):
                if stored is not None and _prune.remember_regex_needs(json.loads(stored)):
                    known = len(_prune.regex_needs())
        self.vocabulary = _prune.Vocabulary()
        self.prunables = [_prune.Prunable(rule.raw, self.vocabulary) for rule in pack]
        if store is not None and key is not None:
            needs = _prune.regex_needs()
            if len(needs) > known:  # regexes read here that the store did not have
                store.put_value(key, json.dumps(needs))

    def plan(self, targets: Sequence[tuple[str, str]], read: Callable[[str], str]) -> list[Group]:
        """Assign each target the rules that can match in it, then group by rule set.

        A rule runs on a file only if the file has the words some source and some
        sink (or the formula) of the rule need, and its ``metadata.prefilter``
        regexes all find something; each group runs its rules cut down to the
        patterns its files have the words for (``_semgrep_prune``). Files no rule
        can match in are not passed to semgrep at all. At most MAX_GROUPS
        groups (each is a copy of its rules in a run's config): groups are
        merged, cheapest merge first (a merged group runs the union of the rules
        on the union of the files, which can only add matches; the cost of a
        merge is the rule weight times file size it adds, so a few files that
        need the heavy rules don't bring them to all the rest).
        """
        pack, rule_languages = self.pack, self.rule_languages
        vocabulary, prunables = self.vocabulary, self.prunables
        by_rules: dict[tuple[int, ...], list[str]] = {}
        kept_in: dict[str, dict[int, int]] = {}
        sizes: dict[str, tuple[str, int]] = {}
        for path, language in targets:
            text = read(path)
            words = vocabulary.of_file(text)
            chosen: dict[int, int] = {}
            prefiltered = _Text(text)
            for index, rule in enumerate(pack):
                if language not in rule_languages[index]:
                    continue
                kept = prunables[index].kept(words)
                if kept is None:
                    continue
                if rule.prefilter is not None and not prefiltered.passes(rule.prefilter):
                    continue
                chosen[index] = kept
            if chosen:
                by_rules.setdefault(tuple(chosen), []).append(path)
                kept_in[path] = chosen
                sizes[path] = (language, FILE_WEIGHT + len(text))
        # A rule's cost in a file: its patterns left after cutting, plus the
        # analysis a taint rule does whatever its patterns; a file's, its size.
        union = [0] * len(pack)
        for chosen in kept_in.values():
            for index, kept in chosen.items():
                union[index] |= kept
        weights = [
            (TAINT_WEIGHT if rule.taint else 1) + union[index].bit_count()
            for index, rule in enumerate(pack)
        ]
        groups = []
        merged = _merge(sorted(by_rules.items()), weights, rule_languages, sizes)
        for indexes, files in sorted(merged):
            rules = []
            for index in indexes:
                kept = 0
                for path in files:
                    kept |= kept_in[path].get(index, 0)
                cut = prunables[index].cut(kept)
                if cut is not None:
                    rules.append(replace(pack[index], raw=cut))
            files = sorted(files)
            # what a byte of the file costs: parsing it, and its own rules' patterns
            # left after cutting plus a taint rule's data-flow analysis (fits
            # semgrep --time per file better than the group's rules do)
            file_weights = tuple(
                SLOW_PARSE.get(sizes[path][0], 2)
                * (
                    PARSE_WEIGHT
                    + sum(
                        (TAINT_WEIGHT if pack[index].taint else 1) + kept.bit_count()
                        for index, kept in kept_in[path].items()
                    )
                )
                for path in files
            )
            groups.append(Group(rules=tuple(rules), files=tuple(files), weights=file_weights))
        return groups


# Bump when what Planner stores changes; the key also holds a digest of the
# pruner's source and Python's version (the pruner reads regexes with Python's
# own regex parser), so that a changed pruner never reads another's entry.
_REGEX_NEEDS_FORMAT = "semgrep-regex-needs/1"


@functools.cache
def _pruner_digest() -> str | None:
    """A digest of the pruner's source; None (nothing stored) if it cannot be read."""
    try:
        return hashlib.sha256(Path(_prune.__file__).read_bytes()).hexdigest()[:16]
    except (OSError, TypeError):
        return None


class _Text:
    """A file's text for prefilters, with its lower-case copy made once, and
    what each regex found in it (rules share regexes)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lower: str | None = None
        self.found: dict[re.Pattern[str], bool] = {}

    def passes(self, prefilter: rulepack.Prefilter) -> bool:
        for regex in prefilter.patterns:
            if regex not in self.found:
                self.found[regex] = self._search(regex)
            if not self.found[regex]:
                return False
        return True

    def _search(self, regex: re.Pattern[str]) -> bool:
        lowered = _lowered(regex)
        if lowered is None:
            return regex.search(self.text) is not None
        if self._lower is None:
            self._lower = self.text.lower()
        return lowered.search(self._lower) is not None


@functools.lru_cache(maxsize=512)
def _lowered(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """A whole-pattern ``(?i)`` regex as a case-sensitive one for lower-case
    text: the same answer, two to three times faster in Python's re. None when
    lower-casing could change its meaning (escapes like ``\\S``, inline flags,
    named groups, hex and property escapes)."""
    source = regex.pattern
    if not source.startswith("(?i)") or regex.flags & re.VERBOSE:
        return None
    body = source[4:]
    if _UNSAFE_TO_LOWER.search(body):
        return None
    try:
        return re.compile(body.lower())
    except re.error:
        return None


# Upper-case escapes (\\S is not \\s), code escapes, inline flags and named
# groups, and classes with capitals ([A-z] holds "_", [a-z] does not).
_UNSAFE_TO_LOWER = re.compile(r"\\[A-Z]|\\[pNxuU0-9]|\(\?[^:!=<]|\(\?<[^!=]|\[[^\]]*[A-Z]")


_Groups = list[tuple[tuple[int, ...], list[str]]]


def _merge(
    groups: _Groups,
    weights: Sequence[int],
    rule_languages: Sequence[set[str]],
    sizes: Mapping[str, tuple[str, int]],
) -> _Groups:
    """Merge groups down to MAX_GROUPS, each time the pair whose union adds the
    least work: a rule's weight times the size of the files in its languages
    it is added to (so a TypeScript group and a Python group merge for free;
    a heap of pair costs; pairs with a merged-away group are skipped)."""

    def by_language(files: list[str]) -> dict[str, int]:
        total: dict[str, int] = {}
        for path in files:
            language, size = sizes[path]
            total[language] = total.get(language, 0) + size
        return total

    live: dict[int, tuple[frozenset[int], list[str], dict[str, int]]] = {
        n: (frozenset(rules), files, by_language(files)) for n, (rules, files) in enumerate(groups)
    }

    def added(rules: frozenset[int], size: Mapping[str, int]) -> int:
        return sum(
            weights[r] * total
            for r in rules
            for language, total in size.items()
            if language in rule_languages[r]
        )

    def cost(a: int, b: int) -> tuple[int, int, int]:
        (rules_a, _, size_a), (rules_b, _, size_b) = live[a], live[b]
        return (added(rules_b - rules_a, size_a) + added(rules_a - rules_b, size_b), a, b)

    heap = [cost(a, b) for a in live for b in live if a < b]
    heapq.heapify(heap)
    next_id = len(groups)
    while len(live) > MAX_GROUPS:
        _, a, b = heapq.heappop(heap)
        if a not in live or b not in live:
            continue
        (rules_a, files_a, size_a), (rules_b, files_b, size_b) = live.pop(a), live.pop(b)
        size = {k: size_a.get(k, 0) + size_b.get(k, 0) for k in size_a.keys() | size_b.keys()}
        live[next_id] = (rules_a | rules_b, files_a + files_b, size)
        for other in list(live)[:-1]:
            heapq.heappush(heap, cost(other, next_id))
        next_id += 1
    return sorted((tuple(sorted(rules)), files) for rules, files, _ in live.values())


@dataclass(frozen=True)
class _Run:
    """One semgrep process: its config, its files, and the rules' own ids for
    the ids of the copies in its config."""

    config: Path
    files: tuple[str, ...]
    ids: Mapping[str, str]


def _parts(
    targets: Sequence[tuple[str, str]], size: Mapping[str, int]
) -> list[list[tuple[str, str]]]:
    """The targets in the parts they are planned in, one after the other: one
    part per core, each planned while the runs of the parts before it go on
    (planning takes one core; a part takes one run).

    A part planned later starts its run later, so the parts' shares of the
    bytes fall by 1/(1 + PLAN_SHARE) each, for the runs to end together; the
    files are dealt out in order to the part furthest below its share, so
    that each part holds a like mix of the repository (a part of documentation
    scripts next to one of route handlers would end far apart). One part on
    one core, and in a long scan (over RUN_FILES files a core): its planning
    is a small share of the scan, and its runs, more than one a core, are
    better balanced from one plan.
    """
    cores = jobs()
    if cores < 2 or len(targets) < cores or len(targets) > cores * RUN_FILES:
        return [list(targets)]
    shares = [(1 + PLAN_SHARE) ** -number for number in range(cores)]
    shares = [share / sum(shares) for share in shares]
    parts: list[list[tuple[str, str]]] = [[] for _ in range(cores)]
    given = [0] * cores
    dealt = 0
    for target in targets:
        cost = size.get(target[0], 0) + 256
        dealt += cost
        at = max(range(cores), key=lambda n: shares[n] * dealt - given[n])
        parts[at].append(target)
        given[at] += cost
    return parts


def _runs(
    groups: Sequence[Group],
    tmp: Path,
    size: Mapping[str, int],
    *,
    cores: int | None = None,
    name: int = 0,
) -> list[_Run]:
    """The groups' files, in group order, cut into stretches of similar cost,
    each one semgrep run that gets the rules of every group it holds files
    of: one stretch per core (``cores``, the machine's by default), or a
    multiple of that where a stretch would hold over RUN_FILES files or cost
    over RUN_COST. ``name`` tells apart the config files of several calls.

    A file's cost is its group's weight for it (see plan and PARSE_WEIGHT)
    times its size. One run per core starts semgrep fewest times; the
    estimate is rough, so a long scan takes more, shorter runs.

    Where a run holds files of more than one group, each group's rules are
    copies renamed for the group (``ids`` names them back) that carry
    ``paths: include:`` with the group's files in the run, so every file
    still gets exactly its own group's rules. Stretches keep each group
    together as far as the balance allows: a run starts only once, and
    includes are few (semgrep checks every file against every include).
    """
    sequence = [
        (number, path, weight * (size.get(path, 0) + 256))
        for number, group in enumerate(groups)
        for path, weight in zip(group.files, group.weights or [1] * len(group.files), strict=True)
    ]
    if not sequence:
        return []
    total = sum(cost for _, _, cost in sequence)
    cores = jobs() if cores is None else cores
    parts = max(-(-len(sequence) // RUN_FILES), -(-total // RUN_COST))
    parts = min(cores * -(-parts // cores), len(sequence))
    stretches: list[list[tuple[int, str]]] = [[] for _ in range(parts)]
    costs = [0] * parts
    done = 0
    for number, path, cost in sequence:
        # the stretch whose share of the whole cost the file's middle falls in
        at = min(parts - 1, (2 * done + cost) * parts // (2 * total)) if total else 0
        stretches[at].append((number, path))
        costs[at] += cost
        done += cost
    costed: list[tuple[int, list[tuple[int, str]]]] = []
    for stretch, cost in zip(stretches, costs, strict=True):
        for start in range(0, len(stretch), RUN_FILES):
            piece = stretch[start : start + RUN_FILES]
            costed.append((cost * len(piece) // len(stretch), piece))
    costed.sort(key=lambda run: -run[0])  # costliest first
    return [
        _write_run(groups, stretch, tmp / f"rules-{name}-{number}.json")
        for number, (_, stretch) in enumerate(costed)
    ]


def _write_run(groups: Sequence[Group], stretch: list[tuple[int, str]], config: Path) -> _Run:
    by_group: dict[int, list[str]] = {}
    for number, path in stretch:
        by_group.setdefault(number, []).append(path)
    rules: list[dict[str, Any]] = []
    ids: dict[str, str] = {}
    for number, paths in by_group.items():
        for rule in groups[number].rules:
            raw = dict(rule.raw)
            if len(by_group) > 1:
                # a prefix, so that "# nosemgrep: <rule id>" still applies
                copy = f"group{number}.{raw['id']}"
                ids[copy] = str(raw["id"])
                raw["id"] = copy
                raw["paths"] = {"include": [_glob(path) for path in paths]}
            rules.append(raw)
    config.write_text(_config_text(rules), encoding="utf-8")
    return _Run(config=config, files=tuple(path for _, path in stretch), ids=ids)


def _glob(path: str) -> str:
    """A pattern for ``paths: include:`` that matches this one path (relative
    to the project root, which each run sets to the scan root): anchored, and
    every character but letters, digits and slashes escaped."""
    return "/" + _GLOB_SPECIAL.sub(r"\\\g<0>", path)


_GLOB_SPECIAL = re.compile(r"[^A-Za-z0-9/]")


def _config_text(rules: Sequence[Mapping[str, Any]]) -> str:
    # JSON is YAML, writes fast, and spells shared blocks out in full:
    # semgrep's native CLI rejects YAML aliases.
    return json.dumps({"rules": [dict(raw) for raw in rules]}, default=str)


def write_config(rules: Sequence[rulepack.PackRule], path: Path) -> None:
    path.write_text(_config_text([rule.raw for rule in rules]), encoding="utf-8")


@dataclass(frozen=True)
class _Outcome:
    parsed: Parsed
    version: str


def _run_before(
    deadline: float,
    program: str,
    run: _Run,
    ctx: ScanContext,
    budget_s: float,
    taint_rules: frozenset[str],
) -> _Outcome | ScannerRun:
    """One semgrep run that must end by ``deadline`` (time.monotonic()), its
    taint findings given their traces here, while other runs go on (a file's
    findings all come from one run)."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        return failed(NAME, f"semgrep timed out after {budget_s:g}s")
    outcome = _run_semgrep(program, run, ctx, remaining, budget_s)
    if not isinstance(outcome, _Outcome):
        return outcome
    traced = with_traces(list(outcome.parsed.findings), taint_rules, ctx)
    return _Outcome(replace(outcome.parsed, findings=tuple(traced)), outcome.version)


def _run_semgrep(
    program: str,
    run: _Run,
    ctx: ScanContext,
    timeout_s: float,
    budget_s: float,
) -> _Outcome | ScannerRun:
    """One semgrep run with ``timeout_s`` left of the scanner's ``budget_s``."""
    argv = [
        program,
        "scan",
        NATIVE_CLI,
        # paths: include: patterns are read from here (the scan root, the
        # working directory); .semgrepignore is still not read for explicit
        # targets (test_a_run_of_several_groups_gives_each_file_its_own_groups_rules)
        "--project-root",
        ".",
        "--config",
        str(run.config),
        "--json",
        "--quiet",
        "--metrics=off",
        "--disable-version-check",
        "--no-git-ignore",
        "--jobs",
        "1",
        "--timeout",
        str(PER_FILE_TIMEOUT_S),
        "--max-target-bytes",
        str(MAX_TARGET_BYTES),
        "--",
        *run.files,
    ]
    try:
        done = _process.run(argv, cwd=ctx.root, timeout_s=timeout_s, env=_env())
    except (_process.ProcessOutOfMemory, _process.ProcessNotFound) as exc:
        return failed(NAME, str(exc))
    except _process.ProcessTimeout:
        return failed(NAME, f"semgrep timed out after {budget_s:g}s")
    try:
        parsed = parse(done.stdout, run.ids)
        version = _json_version(done.stdout)
    except SemgrepOutputError as exc:
        why = _process.error_line(done.stderr)
        detail = f" (exit {done.returncode}: {why})" if why else f" (exit {done.returncode})"
        return failed(NAME, f"{exc}{detail}")
    if done.returncode not in _OK_CODES or parsed.fatal:
        why = parsed.fatal or _process.error_line(done.stderr) or f"exit status {done.returncode}"
        return failed(NAME, f"semgrep failed: {why}", version=version)
    return _Outcome(parsed, version)


def jobs() -> int:
    """semgrep runs at a time: one per core (semgrep's own --jobs default is 85%
    of them, which is one core on two)."""
    return max(1, min(cpu_count(), MAX_JOBS))


def _read_or_empty(ctx: ScanContext, path: str) -> str:
    try:
        return read_text(ctx.root, path)
    except OSError:
        return ""  # unreadable now: semgrep will report it if it cannot read it either


_TRACE_BUILDERS = {
    ".py": trace.build,
    ".pyi": trace.build,
    ".js": trace_js.build,
    ".jsx": trace_js.build,
    ".mjs": trace_js.build,
    ".cjs": trace_js.build,
    ".ts": trace_js.build,
    ".tsx": trace_js.build,
    ".mts": trace_js.build,
    ".cts": trace_js.build,
}


def with_traces(
    findings: list[Finding], taint_rules: AbstractSet[str], ctx: ScanContext
) -> list[Finding]:
    """Attach a reconstructed data-flow trace to taint findings (Python, JS/TS)."""
    sources: dict[str, str | None] = {}
    out = []
    for f in findings:
        path = f.location.path
        builder = _TRACE_BUILDERS.get(Path(path).suffix.lower())
        if f.rule_id in taint_rules and builder is not None:
            if path not in sources:
                try:
                    sources[path] = read_text(ctx.root, path)
                except OSError:
                    sources[path] = None
            text = sources[path]
            if text is not None:
                f = replace(f, trace=builder(text, path, f.location))
        out.append(f)
    return out


def _env() -> dict[str, str]:
    # Metrics and the version check would phone home; behind a firewall the
    # version check alone stalls semgrep for a minute and a half.
    return _process.scrubbed_env(
        {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    )


def _json_version(stdout: str) -> str:
    try:
        return str(json.loads(stdout).get("version", ""))
    except (json.JSONDecodeError, AttributeError):
        return ""
