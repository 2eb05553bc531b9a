"""Cut each semgrep rule down to the patterns that can match in given files.

semgrep matches every pattern of a rule against every file it runs the rule
on, and a taint rule of this pack has hundreds (every SDK's call shapes).
A pattern that names an identifier or a string the file does not contain
cannot match there: ``subprocess.run(...)`` needs the words ``subprocess``
and ``run`` (an alias still names the module in its import). semgrep's own
file prefilter rests on the same premise, but only for a whole rule, and it
gives up on a rule when one alternative has no word at all.

Here the premise is applied per pattern. For a file, a pattern whose words
are all in the file is *present*; pruning then drops, inside the rule's
formula:

- an alternative of ``pattern-either`` that is not present (the either dies
  when all of them do);
- a ``patterns`` conjunction with a positive member that is not present;
- a negative member (``pattern-not``, ``pattern-not-inside``) that is not
  present: it can exclude nothing;
- a taint source, sink, sanitizer or propagator that died;
- a source or sink whose ``requires`` no live source's label can meet (a
  source that requires USER, when no USER source is left, gives no taint);
- the whole rule, when no source or no sink is left.

Keeping extra patterns is always safe: a pattern that is not present in a
file cannot match there, whatever rule it sits in. So files are grouped, and
a group runs each rule cut to the union of what its files keep; in every file
that does exactly what the whole rule does.

Words: identifiers and the words inside string literals, minus metavariables,
``...``, regex strings (``"=~/.../"``), string prefixes (``f"..."``) and the
languages' keywords and type names (semgrep can match ``def`` against
``async def``, or infer a type the file never spells). A file's words are
looked for in its text as written and as semgrep reads its string literals
(escapes, line continuations, adjacent literals joined).

A ``metavariable-pattern`` is pruned like a positive member: it matches in a
metavariable's text, a piece of the file. So is a ``metavariable-regex``
whose matches all contain one of a few words (``^(request|req)$``) or word
pieces: ``(?i)\\w*(tokenizer|processor)$`` needs a word that ends in
"tokenizer" or "processor", in any case; ``\\bsk-`` a word "sk".
``focus-metavariable``, ``pattern-regex`` and any other regex are kept as
they are and never make a rule die.

Some needs are not words. A pattern with ``+``, ``%`` or a template literal
needs that character in the file, and an f-string pattern an f-string
(``marks``). And a positive pattern that calls a metavariable which
its conjunction (or the pattern itself) binds to the name in a ``def``
(``def $H(...)`` in one member, ``$H(...)`` or ``self.$H(...)`` in another:
a same-file helper) needs a file that names some function it defines before
a parenthesis again, beyond its ``def``. Most files with route handlers call
none of their own functions, and the helper forms are among the dearest
patterns. Inside a ``metavariable-pattern`` and in negative members no call
is taken for a defined function's (whether semgrep binds the name there is
its business).
"""

from __future__ import annotations

import ast
import functools
import importlib
import keyword
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from llmsecops import pyast

# The standard library's own regex parser, to read what a regex spells (it has
# no public name or type stubs; the stdlib sre_parse alias is deprecated).
_regex_parser: Any = importlib.import_module("re._parser")
_C: Any = importlib.import_module("re._constants")

# (the lookbehinds come after the first character, so that re scans for that
# character's class instead of trying every position; the same matches)
_WORD = re.compile(r"[A-Za-z_](?<![\w$][A-Za-z_])\w*")
_RUN = re.compile(r"\w+", re.ASCII)  # ASCII: a run ends wherever any regex engine's \w might
# In ASCII text, one pass finds both: a run is a token without its "$", a word
# a token with no "$" that does not start with a digit.
_TOKEN = re.compile(r"\$?\w+", re.ASCII)
_NOT_A_WORD = frozenset("$0123456789")
# Needs that are pieces of words, not whole words (from metavariable-regex):
# "~c" (matched as it is) or "~i" (in any case), "<" if the piece starts a
# word, ">" if it ends one, then ":" and the piece: "~i>:tokenizer".
_PIECE = "~"
_MIN_PIECE = 3  # shorter pieces are in nearly every file: not worth a check
_RUNS_KEPT = 200_000  # runs of word characters whose pieces are remembered
_SCOPED_FLAG_I = re.compile(r"\(\?[a-zA-Z-]*i")  # (?i) (?ai:...) (?-i:...)
_METAVARIABLE = re.compile(r"\$(?:\.\.\.)?[A-Z_][A-Z0-9_]*")
_REGEX_STRING = re.compile(r"(['\"])=~/.*?/[a-z]*\1")
_STRING_PREFIX = re.compile(r"(?<![\w$])[rRbBuUfF]{1,2}(?=['\"])")

# JavaScript's reserved words, TypeScript's type names and modifiers
_JS_WORDS = frozenset(
    _WORD.findall(
        """
        as async await break case catch class const continue debugger default delete do else
        enum export extends false finally for from function get if implements import in
        instanceof interface let new null of package private protected public return set
        static super switch this throw true try type typeof undefined var void while with
        yield any unknown never object string number boolean bigint symbol readonly keyof
        declare namespace module abstract satisfies
        """
    )
)
KEYWORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | _JS_WORDS

# A need of its own: the file defines a Python function and calls it.
DEFINED_AND_CALLED = "#defined-and-called"

Kept = frozenset[int]
# What a leaf needs in a file: all the words of one of these sets.
Need = tuple[frozenset[str], ...]

_POSITIVE = ("pattern", "pattern-inside")
_NEGATIVE = ("pattern-not", "pattern-not-inside")
_FORMULA_KEYS = ("pattern", "pattern-inside", "patterns", "pattern-either", "pattern-regex")
_METAVARIABLE_PATTERN = "metavariable-pattern"
_TAINT_KEYS = ("pattern-sources", "pattern-sinks", "pattern-sanitizers", "pattern-propagators")


@functools.lru_cache(maxsize=8192)  # the pack repeats its shared blocks
def words(pattern: str) -> frozenset[str]:
    """The words a file must contain for ``pattern`` to match in it."""
    text = _REGEX_STRING.sub(" ", pattern)
    text = _METAVARIABLE.sub(" ", text)
    text = _STRING_PREFIX.sub(" ", text)
    return frozenset(w for w in _WORD.findall(text) if w not in KEYWORDS)


@functools.lru_cache(maxsize=8192)
def marks(pattern: str) -> frozenset[str]:
    """The operators a file must contain for ``pattern`` to match in it, as
    needs of their own: ``$A + $B`` matches only where the file has a ``+``
    (``x += y`` too), a template literal only where it has a backtick, an
    f-string pattern only where the file has an f-string."""
    text = _REGEX_STRING.sub(" ", pattern)
    found = _operators(text)
    if any("f" in prefix.lower() for prefix in _STRING_PREFIX.findall(text)):
        found.add(F_STRING)
    return frozenset(found)


F_STRING = "#f-string"
_OPERATOR_MARKS = (("+", "#+"), ("%", "#%"), ("`", "#`"))
# an f-string's prefix, in any case and order (a superset is safe: it keeps more)
_F_STRING_IN_FILE = re.compile(r"[fF][rR]?['\"]|[rR][fF]['\"]")


def _operators(text: str) -> set[str]:
    return {need for char, need in _OPERATOR_MARKS if char in text}


def _marks_in(text: str) -> frozenset[str]:
    found = _operators(text)
    if _F_STRING_IN_FILE.search(text):
        found.add(F_STRING)
    return frozenset(found)


class Prunable:
    """A rule with its pattern strings numbered, each with the words it needs
    (as a bit mask over the vocabulary of the ``Vocabulary`` it was built with)."""

    def __init__(self, raw: Mapping[str, Any], vocabulary: Vocabulary) -> None:
        leaves: list[Need] = []
        _Pruner(None, leaves).rule(raw)
        self.raw = raw
        self.masks = tuple(tuple(vocabulary.mask(words) for words in need) for need in leaves)
        self.mask = 0
        for masks in self.masks:
            for mask in masks:
                self.mask |= mask
        self._tree = _compile_rule(raw, iter(self.masks))
        self._kept: dict[int, int | None] = {}

    def kept(self, file_mask: int) -> int | None:
        """The leaves pruning keeps in a file with these words, as a bit set of
        leaf numbers; None if the rule cannot match there. Memoized on the words
        the rule's patterns use."""
        key = file_mask & self.mask
        if key not in self._kept:
            self._kept[key] = _evaluate(self._tree, key)
        return self._kept[key]

    def cut(self, kept: int) -> dict[str, Any] | None:
        """The rule with only the ``kept`` leaves (a bit set), or None if it dies."""
        present = frozenset(n for n in range(len(self.masks)) if kept >> n & 1)
        pruned = _Pruner(present).rule(self.raw)
        return None if pruned is None else pruned[0]


class Vocabulary:
    """Every word (and word piece) the rules' patterns need, each a bit."""

    def __init__(self) -> None:
        self.bits: dict[str, int] = {}
        # word pieces, matched as they are (False) or casefolded (True): whole
        # words by their text, the others by their first _MIN_PIECE characters
        self._whole: dict[bool, dict[str, int]] = {False: {}, True: {}}
        self._parts: dict[bool, dict[str, list[_Part]]] = {False: {}, True: {}}
        self._in_run: dict[str, int] = {}  # a run of word characters -> its pieces' bits
        self._has_pieces = False

    def mask(self, need: Iterable[str]) -> int:
        mask = 0
        for word in need:
            bit = self.bits.get(word)
            if bit is None:
                bit = self.bits[word] = 1 << len(self.bits)
                if word.startswith(_PIECE):
                    self._add_piece(word, bit)
            mask |= bit
        return mask

    def _add_piece(self, token: str, bit: int) -> None:
        flags, piece = token[len(_PIECE) :].split(":", 1)
        any_case, starts, ends = "i" in flags, "<" in flags, ">" in flags
        if starts and ends:
            whole = self._whole[any_case]
            whole[piece] = whole.get(piece, 0) | bit
        else:
            head = piece[:_MIN_PIECE]
            self._parts[any_case].setdefault(head, []).append((piece, starts, ends, bit))
        self._in_run.clear()
        self._has_pieces = True

    def of_file(self, text: str) -> int:
        """The bit mask of the vocabulary's words and word pieces in ``text``,
        as written and with its string literals read as semgrep reads them."""
        mask = 0
        bits = self.bits
        read = _as_semgrep_reads(text)
        texts = (text,) if read == text else (text, read)
        file_words, runs = _words_and_runs(texts)
        for word in file_words:
            mask |= bits.get(word, 0)  # (set.intersection(bits) walks all of bits)
        if DEFINED_AND_CALLED in bits and _defined_and_called(text):
            mask |= bits[DEFINED_AND_CALLED]
        for mark in _marks_in(text):
            mask |= bits.get(mark, 0)
        if self._has_pieces:
            # a piece of a word lies inside one run of word characters; a
            # repository repeats its runs, so each is looked at once
            in_run = self._in_run
            if len(in_run) > _RUNS_KEPT:
                in_run.clear()  # a bound on memory in a huge repository
            for run in runs:
                found = in_run.get(run)
                if found is None:
                    folded = run.casefold()
                    found = in_run[run] = (
                        self._whole[False].get(run, 0)
                        | self._whole[True].get(folded, 0)
                        | _parts_in(run, self._parts[False])
                        | _parts_in(folded, self._parts[True])
                    )
                mask |= found
        return mask


def _words_and_runs(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """The words (``_WORD``) and the runs of word characters (``_RUN``) in
    ``texts``."""
    found: set[str] = set()
    runs: set[str] = set()
    for text in texts:
        if text.isascii():
            tokens = set(_TOKEN.findall(text))
            found.update(t for t in tokens if t[0] not in _NOT_A_WORD)
            runs.update(t.lstrip("$") for t in tokens)
        else:
            found.update(_WORD.findall(text))
            runs.update(_RUN.findall(text))
    return found, runs


def _defined_and_called(text: str) -> bool:
    """Whether a function this Python text defines is called in it (or named
    before a parenthesis anywhere but its ``def``: a method call, a decorator
    or a comment count too, which only ever keeps more)."""
    defined = Counter(_DEF_IN_FILE.findall(text)) if "def" in text else None
    if not defined or all(text.count(name) == count for name, count in defined.items()):
        return False  # no name is written anywhere but in its defs
    named = Counter(_NAMED_IN_FILE.findall(text))  # its defs among them
    return any(named[name] > count for name, count in defined.items())


_DEF_IN_FILE = re.compile(r"def(?<!\wdef)\s+(\w+)\s*\(")  # \bdef, scanned for "def"
_NAMED_IN_FILE = re.compile(r"\b(\w++)\s*+\(")  # possessive: no retry inside a word


def _defines(member: Any, inner: Callable[[Any], frozenset[str]]) -> frozenset[str]:
    """The metavariables a positive conjunction member binds to the name of a
    Python function it matches the ``def`` of, whichever alternative matches
    (``inner`` answers the same for the parts of the member)."""
    if not isinstance(member, Mapping) or any(k in member for k in _NEGATIVE):
        return frozenset()
    found: set[str] = set()
    for key in _POSITIVE:
        if isinstance(member.get(key), str):
            found.update(_DEF_OF.findall(member[key]))
    either = member.get("pattern-either")
    if isinstance(either, list) and either:
        found.update(frozenset.intersection(*(inner(branch) for branch in either)))
    conjunction = member.get("patterns")
    if isinstance(conjunction, list):
        found.update(*(inner(m) for m in conjunction))
    return frozenset(found)


@functools.lru_cache(maxsize=8192)
def _calls_defined(pattern: str, defined: frozenset[str]) -> bool:
    """Whether a pattern calls a function by a metavariable bound to the name
    of a function the match defines (in this pattern or another member of an
    enclosing conjunction): then the file defines a function and calls it."""
    here = defined | frozenset(_DEF_OF.findall(pattern))
    return any(
        name in here and not _DEFINING.search(pattern, 0, call.start())
        for call in _CALL_OF.finditer(pattern)
        for name in (call.group(1),)
    )


_DEF_OF = re.compile(r"\bdef\s+\$([A-Z_][A-Z0-9_]*)\s*\(")
_CALL_OF = re.compile(r"\$([A-Z_][A-Z0-9_]*)\s*\(")
_DEFINING = re.compile(r"\b(def|class)\s+\Z")


# semgrep matches a string literal's value: escapes like \n read as one
# character, a backslash-newline as nothing, and adjacent literals ("pass"
# "word") as one string. Words are looked for in both texts: more words only
# ever keep more patterns.
_CONTINUED = re.compile(r"\\\r?\n")
_ESCAPE = re.compile(r"\\[abfnrtv0\\'\"`]")
# (only between word characters: elsewhere joining makes no new word)
_ADJACENT = re.compile(r"([\"'])(?<=\w[\"'])\s*\1(?=\w)")  # (?<=\w) before the quote


def _as_semgrep_reads(text: str) -> str:
    if "\\" in text:
        text = _ESCAPE.sub(" ", _CONTINUED.sub("", text))
    return _ADJACENT.sub("", text)


# a piece of a word: its text, whether it starts the word, whether it ends it, its bit
_Part = tuple[str, bool, bool, int]


def _parts_in(run: str, index: Mapping[str, list[_Part]]) -> int:
    mask = 0
    if index:
        for start in range(len(run) - _MIN_PIECE + 1):
            for piece, starts, ends, bit in index.get(run[start : start + _MIN_PIECE], ()):
                if (
                    (not starts or start == 0)
                    and (not ends or start + len(piece) == len(run))
                    and run.startswith(piece, start)
                ):
                    mask |= bit
    return mask


class _Pruner:
    """One walk over a rule; every method returns the pruned node (None when it
    cannot match) with the leaves kept in it. With ``present`` None the walk
    numbers the leaves, records their words (into ``leaves``) and keeps all.
    Every leaf is visited whatever dies, so the numbers never depend on pruning.
    """

    def __init__(self, present: frozenset[int] | None, leaves: list[Need] | None = None):
        self.present = present
        self.leaves = leaves
        self.next = 0
        # metavariables the enclosing conjunctions bind to a function's name
        self.defined: frozenset[str] = frozenset()
        # id of a member: the member (so that the id stays its) and _defines
        self._defined_by: dict[int, tuple[Any, frozenset[str]]] = {}

    def _defines(self, member: Any) -> frozenset[str]:
        # nested conjunctions ask again about their members: once each
        known = self._defined_by.get(id(member))
        if known is None:
            known = self._defined_by[id(member)] = (member, _defines(member, self._defines))
        return known[1]

    def leaf(self, pattern: Any, *, positive: bool = True) -> int | None:
        if not isinstance(pattern, str):
            return self.need((frozenset(),))
        need = words(pattern) | marks(pattern)
        if positive and _calls_defined(pattern, self.defined):
            need |= {DEFINED_AND_CALLED}
        return self.need((need,))

    def need(self, need: Need) -> int | None:
        number = self.next
        self.next += 1
        if self.leaves is not None:
            self.leaves.append(need)
        return number if self.present is None or number in self.present else None

    def rule(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], Kept] | None:
        if raw.get("mode") != "taint":
            pruned, formula_kept = self.spec(raw)
            return None if pruned is None else (pruned, formula_kept)
        out = dict(raw)
        kept_all: set[int] = set()
        parts = {
            key: [self.spec(spec) for spec in raw[key]]
            for key in _TAINT_KEYS
            if isinstance(raw.get(key), list)
        }
        # a source or sink whose `requires` no live source's label can meet dies
        sources, sinks = parts.get("pattern-sources", []), parts.get("pattern-sinks", [])
        alive_sources, alive_sinks = _labels_met(
            [spec for spec, _ in sources],
            [spec for spec, _ in sinks],
            raw.get("pattern-propagators") or [],
        )
        parts["pattern-sources"] = [s for s, a in zip(sources, alive_sources, strict=True) if a]
        parts["pattern-sinks"] = [s for s, a in zip(sinks, alive_sinks, strict=True) if a]
        for key, specs in parts.items():
            kept_specs = [spec for spec, _ in specs if spec is not None]
            for spec, spec_kept in specs:
                if spec is not None:
                    kept_all |= spec_kept
            if kept_specs:
                out[key] = kept_specs
            else:
                out.pop(key, None)
        if "pattern-sources" not in out or "pattern-sinks" not in out:
            return None
        return out, frozenset(kept_all)

    def each(
        self, items: list[Any], prune: Callable[[Any], tuple[Any, Kept]]
    ) -> tuple[list[Any], set[int]]:
        """The items ``prune`` keeps (dead ones dropped), with the leaves kept in them."""
        out: list[Any] = []
        kept: set[int] = set()
        for item in items:
            pruned, item_kept = prune(item)
            if pruned is not None:
                out.append(pruned)
                kept |= item_kept
        return out, kept

    def spec(self, spec: Any) -> tuple[Any, Kept]:
        """A rule, a taint source/sink/sanitizer/propagator or a conjunction's
        member: its formula keys pruned, the rest (label, requires, from/to,
        by-side-effect...) kept; None if it cannot match."""
        if not isinstance(spec, Mapping):
            return spec, frozenset()
        formula, kept = self.formula(spec)
        if formula is None:
            return None, frozenset()
        out = {k: v for k, v in spec.items() if k not in _FORMULA_KEYS}
        out.update(formula)
        return out, kept

    def formula(self, node: Mapping[str, Any]) -> tuple[dict[str, Any] | None, Kept]:
        """The formula keys of ``node`` pruned; None if the formula cannot match."""
        out: dict[str, Any] = {}
        kept: set[int] = set()
        dead = False
        for key in _FORMULA_KEYS:
            if key not in node:
                continue
            value = node[key]
            if key in _POSITIVE:
                number = self.leaf(value)
                if number is None:
                    dead = True
                else:
                    out[key] = value
                    kept.add(number)
            elif key == "pattern-either":
                branches, branches_kept = self.each(value, self.branch)
                kept |= branches_kept
                if branches:
                    out[key] = branches
                else:
                    dead = True
            elif key == "patterns":
                members, members_kept = self.conjunction(value)
                if members is None:
                    dead = True
                else:
                    out[key] = members
                    kept |= members_kept
            else:  # pattern-regex: not a word pattern, kept as it is
                out[key] = value
        return (None, frozenset()) if dead else (out, frozenset(kept))

    def branch(self, item: Any) -> tuple[Any, Kept]:
        if isinstance(item, Mapping) and any(k in item for k in _FORMULA_KEYS):
            return self.formula(item)
        return item, frozenset()

    def conjunction(self, members: list[Any]) -> tuple[list[Any] | None, Kept]:
        outer = self.defined
        self.defined = outer | frozenset().union(*(self._defines(m) for m in members))
        try:
            return self._conjunction(members)
        finally:
            self.defined = outer

    def _conjunction(self, members: list[Any]) -> tuple[list[Any] | None, Kept]:
        out: list[Any] = []
        kept: set[int] = set()
        dead = False
        for member in members:
            if not isinstance(member, Mapping):
                out.append(member)
                continue
            negative = next((k for k in _NEGATIVE if k in member), None)
            if negative is not None:
                number = self.leaf(member[negative], positive=False)
                if number is not None:
                    out.append(member)
                    kept.add(number)
                continue
            regex_need = _regex_need(member)
            if regex_need is not None:
                number = self.need(regex_need)
                if number is None:
                    dead = True
                else:
                    out.append(member)
                    kept.add(number)
                continue
            inner = member.get(_METAVARIABLE_PATTERN)
            if isinstance(inner, Mapping):
                # matched against a metavariable's text, a piece of the file
                # (whether a name bound outside it binds inside is semgrep's
                # business: no call is taken for a defined function's there)
                outer, self.defined = self.defined, frozenset()
                try:
                    pruned, member_kept = self.formula(inner)
                finally:
                    self.defined = outer
                if pruned is None:
                    dead = True
                else:
                    fields = {k: v for k, v in inner.items() if k not in _FORMULA_KEYS}
                    out.append({**member, _METAVARIABLE_PATTERN: {**fields, **pruned}})
                    kept |= member_kept
            elif any(k in member for k in _FORMULA_KEYS):
                pruned, member_kept = self.spec(member)
                if pruned is None:
                    dead = True
                else:
                    out.append(pruned)
                    kept |= member_kept
            else:  # metavariable-regex/-comparison, focus-metavariable...
                out.append(member)
        return (None, frozenset()) if dead else (out, frozenset(kept))


# The same walk as _Pruner's, compiled to nested tuples for speed: kept() runs
# once per distinct set of words per rule, cut() once per group. A test checks
# that the two agree on every rule of the pack.
# ("leaf", number, mask) ("not", number, mask) ("any", children) ("all", children)
# ("taint", sources, sinks, others); None is a part that never dies.
_Node = tuple[Any, ...] | None


def _compile_rule(raw: Mapping[str, Any], masks: Iterator[tuple[int, ...]]) -> _Node:
    counter = iter(range(1 << 30))
    if raw.get("mode") == "taint":
        specs = {
            key: [s for s in raw.get(key) or [] if isinstance(s, Mapping)] for key in _TAINT_KEYS
        }
        lists = {
            key: [_compile_formula(s, masks, counter) for s in specs[key]] for key in _TAINT_KEYS
        }
        others = lists["pattern-sanitizers"] + lists["pattern-propagators"]
        labels = (specs["pattern-sources"], specs["pattern-sinks"], specs["pattern-propagators"])
        return ("taint", lists["pattern-sources"], lists["pattern-sinks"], others, labels)
    return _compile_formula(raw, masks, counter)


def _compile_formula(
    node: Mapping[str, Any], masks: Iterator[tuple[int, ...]], counter: Iterator[int]
) -> _Node:
    parts: list[_Node] = []
    for key in _FORMULA_KEYS:
        if key not in node:
            continue
        value = node[key]
        if key in _POSITIVE:
            parts.append(("leaf", next(counter), next(masks)))
        elif key == "pattern-either":
            parts.append(("any", [_compile_branch(item, masks, counter) for item in value]))
        elif key == "patterns":
            parts.append(("all", [_compile_member(m, masks, counter) for m in value]))
    return ("all", parts)


def _compile_branch(item: Any, masks: Iterator[tuple[int, ...]], counter: Iterator[int]) -> _Node:
    if isinstance(item, Mapping) and any(k in item for k in _FORMULA_KEYS):
        return _compile_formula(item, masks, counter)
    return None


def _compile_member(member: Any, masks: Iterator[tuple[int, ...]], counter: Iterator[int]) -> _Node:
    if not isinstance(member, Mapping):
        return None
    if any(k in member for k in _NEGATIVE):
        return ("not", next(counter), next(masks))
    if _regex_need(member) is not None:
        return ("leaf", next(counter), next(masks))
    inner = member.get(_METAVARIABLE_PATTERN)
    if isinstance(inner, Mapping):
        return _compile_formula(inner, masks, counter)
    return _compile_branch(member, masks, counter)


def _evaluate(tree: _Node, key: int) -> int | None:
    if tree is not None and tree[0] == "taint":
        _, sources, sinks, others, specs = tree
        source_kept = [_kept(s, key) for s in sources]
        sink_kept = [_kept(s, key) for s in sinks]
        source_specs, sink_specs, propagator_specs = specs
        alive_sources, alive_sinks = _labels_met(
            [
                None if k is None else spec
                for spec, k in zip(source_specs, source_kept, strict=True)
            ],
            [None if k is None else spec for spec, k in zip(sink_specs, sink_kept, strict=True)],
            propagator_specs,
        )
        kept_sources = [k for k, a in zip(source_kept, alive_sources, strict=True) if a]
        kept_sinks = [k for k, a in zip(sink_kept, alive_sinks, strict=True) if a]
        if not kept_sources or not kept_sinks:
            return None
        kept = 0
        for k in (*kept_sources, *kept_sinks, *(_kept(o, key) for o in others)):
            kept |= k or 0
        return kept
    return _kept(tree, key)


def _labels_met(
    sources: list[Any], sinks: list[Any], propagators: list[Any]
) -> tuple[list[bool], list[bool]]:
    """Which live sources and sinks (None: dead) can still fire: a source or
    sink with ``requires`` needs taint with the labels it names, which only
    live sources give (and, to be safe, any propagator that names a label).
    A source with no label gives semgrep's default one; a ``requires`` that
    cannot be read is met."""
    given = {
        str(spec.get("label", _DEFAULT_LABEL))
        for spec in sources
        if isinstance(spec, Mapping) and "requires" not in spec
    }
    given.update(str(p["label"]) for p in propagators if isinstance(p, Mapping) and "label" in p)
    alive = [spec is not None for spec in sources]
    pending = [
        n for n, spec in enumerate(sources) if isinstance(spec, Mapping) and "requires" in spec
    ]
    changed = True
    while changed:  # a source that requires a label gives one: to a fixpoint
        changed = False
        for n in list(pending):
            if _requires_met(sources[n].get("requires"), given):
                given.add(str(sources[n].get("label", _DEFAULT_LABEL)))
                pending.remove(n)
                changed = True
    for n in pending:
        alive[n] = False
    alive_sinks = [
        spec is not None
        and (not isinstance(spec, Mapping) or _requires_met(spec.get("requires"), given))
        for spec in sinks
    ]
    return alive, alive_sinks


_DEFAULT_LABEL = "__SOURCE__"


@functools.lru_cache(maxsize=256)
def _requires_parsed(requires: str) -> ast.expr | None:
    try:
        return pyast.parse_expression(requires).body
    except (SyntaxError, ValueError):
        return None


def _requires_met(requires: object, given: set[str]) -> bool:
    """Whether a ``requires`` formula (labels with and, or, not) can hold when
    only the ``given`` labels can be present; True when it cannot be read."""
    if not isinstance(requires, str):  # None (no requires), or not a formula
        return True
    parsed = _requires_parsed(requires)
    return True if parsed is None else _could_hold(parsed, given)


def _could_hold(node: ast.expr, given: set[str]) -> bool:
    # `not X` could always hold (X absent): a formula with each negation made
    # true is met whenever the formula is, and grows with the labels present
    if isinstance(node, ast.Name):
        return node.id in given
    if isinstance(node, ast.BoolOp):
        held = [_could_hold(value, given) for value in node.values]
        return all(held) if isinstance(node.op, ast.And) else any(held)
    return True  # `not ...`, or anything else: no need known


def _kept(node: _Node, key: int) -> int | None:
    """The kept leaves under ``node`` as a bit set; None if it cannot match."""
    if node is None:
        return 0
    kind = node[0]
    if kind == "leaf":
        return 1 << node[1] if any(m & ~key == 0 for m in node[2]) else None
    if kind == "not":
        return 1 << node[1] if any(m & ~key == 0 for m in node[2]) else 0
    kept = 0
    if kind == "any":
        alive = False
        for child in node[1]:
            k = _kept(child, key)
            if k is not None:
                alive = True
                kept |= k
        return kept if alive else None
    for child in node[1]:  # all
        k = _kept(child, key)
        if k is None:
            return None
        kept |= k
    return kept


def _regex_need(member: Any) -> Need | None:
    """What a ``metavariable-regex`` member needs in the file, when it can tell.

    A regex anchored at both ends whose body spells a few words, after optional
    prefixes ending in a dot (``^(self\\.)?(request|req)$``,
    ``^(\\w+\\.)*(SystemMessage|HumanMessage)$``): the metavariable's text is a
    piece of the file, so the file has all the words of one alternative
    (``gradio.Interface`` needs ``gradio`` and ``Interface``). Otherwise the
    word pieces every match contains (_pieces_needed). None when neither can
    be told (``^(?!self$)\\w+$``, constant propagation): no need known.
    """
    spec = member.get("metavariable-regex") if isinstance(member, Mapping) else None
    regex = spec.get("regex") if isinstance(spec, Mapping) else None
    if not isinstance(regex, str) or (
        isinstance(spec, Mapping) and spec.get("constant-propagation")
    ):
        return None
    if regex in _REGEX_NEEDS:
        return _REGEX_NEEDS[regex]
    need = _REGEX_NEEDS[regex] = _anchored_words(regex) or _pieces_needed(regex)
    return need


# What each metavariable-regex needs (None: no need known), by its text.
# Reading the regexes is most of reading the pack for pruning in a fresh
# process (0.33 s, against 0.157 s with their needs known), so a scan keeps
# this in the result cache (regex_needs, remember_regex_needs; semgrep.Planner).
_REGEX_NEEDS: dict[str, Need | None] = {}


def regex_needs() -> dict[str, list[list[str]] | None]:
    """What every regex read so far needs, as JSON can hold it."""
    return {
        regex: None if need is None else [sorted(words) for words in need]
        for regex, need in list(_REGEX_NEEDS.items())
    }


def remember_regex_needs(data: Any) -> bool:
    """Take what ``regex_needs`` gave in an earlier scan (by the same pruner:
    the caller keys it by the pruner's source); False, and nothing taken, if
    it is not that shape."""
    if not isinstance(data, dict):
        return False
    read: dict[str, Need | None] = {}
    for regex, need in data.items():
        if not isinstance(regex, str):
            return False
        if need is None:
            read[regex] = None
            continue
        if not isinstance(need, list) or not all(
            isinstance(words, list) and all(isinstance(w, str) for w in words) for words in need
        ):
            return False
        read[regex] = tuple(frozenset(words) for words in need)
    for regex, known in read.items():
        _REGEX_NEEDS.setdefault(regex, known)
    return True


def _guarded(read: Callable[[str], Need | None]) -> Callable[[str], Need | None]:
    """``read``, memoized; a regex it cannot read, or a Python whose private
    parser differs, means no need known, which is always safe (the
    conjunction is kept)."""

    @functools.lru_cache(maxsize=4096)
    def guarded(regex: str) -> Need | None:
        try:
            return read(regex)
        except (re.error, RecursionError, AttributeError, TypeError, ValueError, IndexError):
            return None

    return guarded


@_guarded
def _anchored_words(regex: str) -> Need | None:
    parsed = _regex_parser.parse(regex)
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    items = list(parsed)
    if len(items) < 3 or items[0] != (_C.AT, _C.AT_BEGINNING) or items[-1] != (_C.AT, _C.AT_END):
        return None
    items = items[1:-1]
    while items and _is_dotted_prefix(items[0]):
        items = items[1:]
    texts = _spell(items)
    if not texts:
        return None
    need = []
    for text in texts:
        pieces = text.split(".")
        if not all(re.fullmatch(r"[A-Za-z_]\w*", piece) for piece in pieces):
            return None
        # the text itself: a keyword here is in the file too, unlike in a pattern
        need.append(frozenset(pieces))
    return tuple(need)


def _is_dotted_prefix(item: Any) -> bool:
    """An optional or repeated group whose text ends in a dot: ``(self\\.)?``, ``(\\w+\\.)*``."""
    op, av = item
    if op not in (_C.MAX_REPEAT, _C.MIN_REPEAT) or av[0] != 0:
        return False
    body = list(av[2])
    if len(body) == 1 and body[0][0] == _C.SUBPATTERN:
        body = list(body[0][1][3])
    return bool(body) and body[-1] == (_C.LITERAL, ord("."))


_MAX_SPELLINGS = 256
_MAX_OPTIONS = 64  # word-piece options a need may have: more are not worth the bits


def _spell(items: Iterable[Any], edge: str | None = None) -> list[str] | None:
    """Every text a finite regex piece matches; None if not finite or too many.
    With ``edge``, ``^``, ``$`` and ``\\b`` are spelled as that character."""
    texts = [""]
    for op, av in items:
        if op == _C.LITERAL:
            options: list[str] | None = [chr(av)]
        elif op == _C.AT and edge is not None and av in _EDGES:
            options = [edge]
        elif op == _C.SUBPATTERN:
            options = _spell(av[3], edge)
        elif op == _C.BRANCH:
            options = []
            for branch in av[1]:
                spelled = _spell(branch, edge)
                if spelled is None:
                    return None
                options += spelled
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and av[0] == 0 and av[1] == 1:
            inner = _spell(av[2], edge)
            options = None if inner is None else ["", *inner]
        elif op == _C.IN and all(o == _C.LITERAL for o, _ in av):
            options = [chr(a) for _, a in av]
        else:
            return None
        if options is None:
            return None
        texts = [t + o for t in texts for o in options]
        if len(texts) > _MAX_SPELLINGS:
            return None
    return texts


@_guarded
def _pieces_needed(regex: str) -> Need | None:
    """Options of word pieces, all the pieces of one of which every match of
    ``regex`` contains, when it can tell: ``(?i)^(self\\.)?\\w*(tokenizer|processor)$``
    needs a word of the file that ends in "tokenizer" or "processor", in any
    case (semgrep's own prefilter reads literals out of metavariable-regex the
    same way); ``\\b(requests|httpx)\\.\\w+\\.(get|post)\\(`` needs a word of
    each pair. A piece next to ``^``, ``$``, ``\\b`` or a non-word character
    starts or ends its word: the metavariable's text is whole tokens of the
    file. Pieces shorter than _MIN_PIECE are dropped unless they are whole
    words; None if an alternative has none left, or nothing is required
    (``.*``, lookarounds, classes)."""
    parsed = _regex_parser.parse(regex)
    if parsed.state.flags & re.VERBOSE:
        return None
    # any case anywhere (a flag for all or for a group): match every piece in
    # any case, which only ever finds more
    any_case = bool(parsed.state.flags & re.IGNORECASE or _SCOPED_FLAG_I.search(regex))
    items = _edges_inward(list(parsed))
    need = _piece_options(items, any_case, conjoin=True)
    if need is None or len(need) > _MAX_OPTIONS:
        # too many options together: the best single requirement may do
        need = _piece_options(items, any_case, conjoin=False)
    if need is None or len(need) > _MAX_OPTIONS:
        return None
    mode = "i" if any_case else "c"
    return tuple(
        sorted(
            (
                frozenset(
                    f"{_PIECE}{mode}{'<' if starts else ''}{'>' if ends else ''}:{piece}"
                    for piece, starts, ends in option
                )
                for option in need
            ),
            key=sorted,
        )
    )


def _piece_options(
    items: list[Any], any_case: bool, *, conjoin: bool
) -> set[frozenset[_Piece]] | None:
    """The options of word pieces a regex's items require, redundant ones
    dropped; None if an option has no piece."""
    texts = _required(items, conjoin)
    if texts is None:
        return None
    options = set()
    for texts_of_option in texts:
        option = frozenset(
            piece
            for text in texts_of_option
            for piece in _pieces(text.casefold() if any_case else text)
        )
        if not option:
            return None
        options.add(option)
    # an option that another implies says no more ("SYSTEM" makes
    # "_SYSTEM_MESSAGE" and "INSTRUCTION" "INSTRUCTIONS" redundant)
    return {
        option
        for option in options
        if not any(other != option and _has_all(option, other) for other in options)
    }


# A piece of a word in a regex's text: its text, whether it starts the word,
# whether it ends it.
_Piece = tuple[str, bool, bool]
_EDGE = "\0"  # ^, $ and \b in a spelled text: the edge of a word
_EDGES = frozenset(
    {_C.AT_BEGINNING, _C.AT_BEGINNING_STRING, _C.AT_END, _C.AT_END_STRING, _C.AT_BOUNDARY}
)


def _pieces(text: str) -> Iterator[_Piece]:
    for match in _RUN.finditer(text):
        starts, ends = match.start() > 0, match.end() < len(text)
        if len(match.group()) >= (2 if starts and ends else _MIN_PIECE):
            yield match.group(), starts, ends


def _has_all(option: frozenset[_Piece], other: frozenset[_Piece]) -> bool:
    """Whether a file with all of ``option``'s pieces has all of ``other``'s."""
    for p in other:
        for q in option:
            if _implies(q, p):
                break
        else:
            return False
    return True


def _implies(q: _Piece, p: _Piece) -> bool:
    """Whether a word with piece ``q`` has piece ``p`` too."""
    text, starts, ends = q
    piece, at_start, at_end = p
    if at_start and at_end:
        return starts and ends and text == piece
    if at_start:
        return starts and text.startswith(piece)
    if at_end:
        return ends and text.endswith(piece)
    return piece in text


def _is_edge(item: Any) -> bool:
    return bool(item[0] == _C.AT and item[1] in _EDGES)


def _edges_inward(items: list[Any]) -> list[Any]:
    """The items with an edge before or after a group moved inside it, into
    each alternative (``^(?!x)(ab|cd)$`` reads as ``(?!x)(^ab$|^cd$)``), so
    that the pieces next to it are known to start or end a word."""
    items = list(items)
    if len(items) >= 3 and _is_edge(items[0]) and items[1][0] in (_C.ASSERT, _C.ASSERT_NOT):
        items[0], items[1] = items[1], items[0]  # a lookaround takes no text
    for at in range(len(items) - 1):
        if _is_edge(items[at]) and items[at + 1][0] in (_C.SUBPATTERN, _C.BRANCH):
            items[at + 1] = _with_edge(items[at + 1], items[at], before=True)
    for at in range(len(items) - 1, 0, -1):
        if _is_edge(items[at]) and items[at - 1][0] in (_C.SUBPATTERN, _C.BRANCH):
            items[at - 1] = _with_edge(items[at - 1], items[at], before=False)
    return items


def _with_edge(item: Any, edge: Any, *, before: bool) -> Any:
    op, av = item
    if op == _C.SUBPATTERN:
        inner = [edge, *av[3]] if before else [*av[3], edge]
        return (op, (av[0], av[1], av[2], _edges_inward(inner)))
    branches = [_edges_inward([edge, *b] if before else [*b, edge]) for b in av[1]]
    return (op, (av[0], branches))


# What a regex requires: options, one of which every match contains all the
# texts of (a text is spelled with _EDGE where a word starts or ends).
_Texts = list[frozenset[str]]


def _required(items: list[Any], conjoin: bool) -> _Texts | None:
    """What every match of this sequence of regex items contains: the best
    requirement found (see _strength), and with ``conjoin`` the others too,
    strongest first, while there are at most _MAX_OPTIONS options
    (``(requests|httpx)\\.(get|post)`` needs one of the first words and one
    of the second). None if nothing is required."""
    found: list[_Texts] = []

    def consider(texts: _Texts | None) -> None:
        if texts and all(option and all(option) for option in texts):
            found.append(texts)

    run: list[str] = [""]  # spellings of the items since the last unspellable one
    for item in items:
        spelled = _spell([item], _EDGE)
        if spelled is not None and len(run) * len(spelled) <= _MAX_SPELLINGS:
            run = [t + s for t in run for s in spelled]
            continue
        consider([frozenset([text]) for text in run])
        run = [""] if spelled is None else spelled
        if spelled is None:
            consider(_required_in(item, conjoin))
    consider([frozenset([text]) for text in run])
    if not found:
        return None
    # strongest first; the sort is stable, so ties keep their order
    ranked = sorted(((_strength(texts), texts) for texts in found), key=lambda st: -st[0])
    best = ranked[0][1]
    if conjoin:
        for strength, more in ranked[1:]:
            if strength and len(best) * len(more) <= _MAX_OPTIONS:
                best = list(dict.fromkeys(a | b for a in best for b in more))
    return best


def _required_in(item: Any, conjoin: bool) -> _Texts | None:
    op, av = item
    if op == _C.SUBPATTERN:
        return _required(list(av[3]), conjoin)
    if op == _C.BRANCH:
        options: _Texts = []
        for branch in av[1]:
            required = _required(list(branch), conjoin)
            if required is None:
                return None
            options += required
        return list(dict.fromkeys(options))
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT) and av[0] >= 1:
        return _required(list(av[2]), conjoin)
    return None


def _strength(texts: _Texts) -> int:
    """How rare a requirement is: its weakest option's best piece (longer is
    rarer, and a piece that starts or ends a word rarer than one anywhere in
    it)."""
    return min(
        max(
            (len(p) + starts + ends for text in option for p, starts, ends in _pieces(text)),
            default=0,
        )
        for option in texts
    )
