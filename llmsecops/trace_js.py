"""Data-flow traces for taint findings in JavaScript and TypeScript.

The same reconstruction as ``trace.py`` does for Python, without a parser:
comments and string literals are blanked (template ``${...}`` expressions
are kept, since data flows through them), the innermost function whose body
holds the sink is found by brace matching, and from the names used at the
sink the trace follows ``const``/``let``/``var`` declarations (destructuring
included), plain and compound assignments backwards to a parameter or to an
expression with no further local inputs. A reconstruction: it never claims
more than it found, and returns nothing when the shape is beyond it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from llmsecops.model import Location, TraceStep
from llmsecops.trace import MAX_STEPS, STEP_TEXT_CHARS

_IDENT = re.compile(r"[A-Za-z_$][\w$]*")
_DECL = re.compile(
    r"\b(?:const|let|var)\s+(\{[^{}=]*\}|\[[^\[\]=]*\]|[A-Za-z_$][\w$]*)\s*(?::[^=;]+?)?=(?!=|>)"
)
_ASSIGN = re.compile(r"(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?:\+|-|\?\?|\|\||&&)?=(?!=|>)")
_KEYWORDS = frozenset(
    [
        "await",
        "async",
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "default",
        "delete",
        "do",
        "else",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "let",
        "new",
        "null",
        "of",
        "return",
        "static",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "undefined",
        "var",
        "void",
        "while",
        "yield",
        "as",
        "type",
        "interface",
    ]
)


@dataclass(frozen=True)
class _Def:
    offset: int  # where the definition starts in the file text
    end: int
    reads: frozenset[str]
    is_param: bool = False
    name: str = ""


def build(source: str, path: str, sink: Location) -> tuple[TraceStep, ...]:
    """Steps from a likely source to the sink, or () if nothing can be said."""
    clean, starts = _prepared(source)
    if sink.start_line > len(starts):
        return ()
    sink_at = starts[sink.start_line - 1] + sink.start_column - 1
    last = min(sink.last_line, len(starts))
    sink_end = starts[last - 1] + (sink.end_column or 10**9) - 1
    sink_end = min(sink_end, _line_end(source, starts[last - 1]))
    body = _enclosing_body(clean, sink_at)
    if body is None:
        return ()
    params, body_start, body_end, header_at = body
    defs = _definitions(clean, body_start, body_end)
    for name in params:
        defs.setdefault(name, []).append(_Def(header_at, header_at, frozenset(), True, name))
    chain: list[_Def] = []
    seen: set[tuple[int, str]] = set()
    # Each name is looked up above the statement that read it.
    frontier = [(name, sink_at) for name in sorted(_reads(clean[sink_at:sink_end]))]
    while frontier and len(chain) < MAX_STEPS:
        name, before = frontier.pop(0)
        found = _last_def(defs.get(name, []), before)
        # one step per statement, however many of its names the data used
        key = (found.offset, name if found.is_param else "") if found else (-1, "")
        if found is None or key in seen:
            continue
        seen.add(key)
        chain.append(found)
        if not found.is_param:
            frontier.extend((read, found.offset) for read in sorted(found.reads))
    if not chain:
        return ()
    chain.sort(key=lambda d: (d.offset, d.is_param is False))
    steps = []
    for i, d in enumerate(chain):
        line, col = _position(starts, d.offset)
        end_line, end_col = _position(starts, max(d.end, d.offset + 1))
        text = (
            f"parameter '{d.name}'"
            if d.is_param
            else _clip(source[starts[line - 1] : _line_end(source, starts[line - 1])].strip())
        )
        steps.append(
            TraceStep(
                location=Location(path, line, col, end_line, end_col),
                message=("source: " if i == 0 else "") + text,
            )
        )
    sink_line = source[starts[sink.start_line - 1] : _line_end(source, starts[sink.start_line - 1])]
    steps.append(TraceStep(location=sink, message=f"sink: {_clip(sink_line.strip())}"))
    return tuple(steps)


@functools.lru_cache(maxsize=4)
def _prepared(source: str) -> tuple[str, tuple[int, ...]]:
    """A file blanked and its line starts, kept for its next findings (as
    trace._parsed)."""
    return _blank(source), tuple(_line_starts(source))


def _blank(source: str) -> str:
    """Comments and string contents replaced by spaces (newlines and offsets kept);
    the expressions inside template literals' ``${...}`` are kept."""
    out = list(source)
    i, n = 0, len(source)
    template_depth: list[int] = []  # brace depth at which each open ${ ... } returns to a template
    depth = 0

    def blank(a: int, b: int) -> None:
        for k in range(a, min(b, n)):
            if out[k] != "\n":
                out[k] = " "

    def scan_template(start: int) -> int:
        """From just after a backquote (or a closing ${}), to the end of the literal part."""
        k = start
        while k < n:
            ch = source[k]
            if ch == "\\":
                k += 2
                continue
            if ch == "`":
                blank(start, k)
                return k + 1
            if ch == "$" and k + 1 < n and source[k + 1] == "{":
                blank(start, k)
                template_depth.append(depth)
                return k + 2
            k += 1
        blank(start, n)
        return n

    while i < n:
        ch = source[i]
        if ch == "/" and i + 1 < n and source[i + 1] == "/":
            end = source.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif ch == "/" and i + 1 < n and source[i + 1] == "*":
            end = source.find("*/", i + 2)
            end = n if end < 0 else end + 2
            blank(i, end)
            i = end
        elif ch in "'\"":
            k = i + 1
            while k < n and source[k] != ch and source[k] != "\n":
                k += 2 if source[k] == "\\" else 1
            blank(i + 1, k)
            i = k + 1
        elif ch == "`":
            i = scan_template(i + 1)
        elif ch == "{":
            depth += 1
            i += 1
        elif ch == "}":
            if template_depth and template_depth[-1] == depth:
                template_depth.pop()
                i = scan_template(i + 1)
            else:
                depth -= 1
                i += 1
        else:
            i += 1
    return "".join(out)


def _enclosing_body(clean: str, at: int) -> tuple[list[str], int, int, int] | None:
    """(parameters, body start, body end, header offset) of the innermost function around it."""
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, ch in enumerate(clean):
        if ch == "{":
            stack.append(i)
        elif ch == "}" and stack:
            pairs[stack.pop()] = i
    holders = sorted((start for start, end in pairs.items() if start < at <= end), reverse=True)
    for start in holders:
        header = clean[max(0, start - 400) : start].rstrip()
        params = _params(header)
        if params is not None:
            return params, start + 1, pairs[start], max(0, start - 400) + _header_at(header)
    return None


def _params(header: str) -> list[str] | None:
    """Parameter names if ``header`` ends like a function head, else None."""
    if header.endswith("=>"):
        head = header[:-2].rstrip()
        if head.endswith(")"):
            inner = _paren_contents(head)
            return None if inner is None else _param_names(inner)
        match = re.search(r"([A-Za-z_$][\w$]*)$", head)
        return [match.group(1)] if match else None
    head = re.sub(r"\)\s*:\s*[^(){};]+$", ")", header)  # a TypeScript return type
    if head.endswith(")"):
        inner = _paren_contents(head)
        before = head[: len(head) - len(inner or "") - 2].rstrip() if inner is not None else ""
        if inner is None or re.search(r"\b(if|for|while|switch|catch|with)$", before):
            return None
        return _param_names(inner)
    return None


def _paren_contents(text: str) -> str | None:
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return text[i + 1 : -1]
    return None


def _param_names(inner: str) -> list[str]:
    names: list[str] = []
    for part in _split_top(inner):
        part = re.sub(r"=.*$", "", part, flags=re.S).strip()  # default values
        part = re.sub(r"^\.\.\.", "", part)
        if part.startswith(("{", "[")):
            names += _pattern_names(part.split(":", 1)[0] if part.startswith("[") else part)
        else:
            match = _IDENT.match(part)
            if match and match.group(0) not in _KEYWORDS:
                names.append(match.group(0))
    return names


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in (p.strip() for p in parts) if p]


def _pattern_names(pattern: str) -> list[str]:
    """Names bound by a destructuring pattern: ``{ a, b: c, ...d }`` -> a, c, d."""
    inner = pattern.strip()[1:-1] if pattern.strip()[-1:] in "}]" else pattern.strip()[1:]
    names = []
    for part in _split_top(inner):
        part = re.sub(r"=.*$", "", part, flags=re.S).strip().removeprefix("...")
        target = part.split(":", 1)[1].strip() if ":" in part else part
        if target.startswith(("{", "[")):
            names += _pattern_names(target)
        elif _IDENT.fullmatch(target):
            names.append(target)
    return names


def _header_at(header: str) -> int:
    match = re.search(r"[^\n]*$", header)
    return match.start() if match else 0


def _definitions(clean: str, start: int, end: int) -> dict[str, list[_Def]]:
    defs: dict[str, list[_Def]] = {}
    body = clean[start:end]
    for match in _DECL.finditer(body):
        target = match.group(1)
        names = _pattern_names(target) if target[0] in "{[" else [target]
        value_end = _statement_end(body, match.end())
        reads = _reads(body[match.end() : value_end])
        for name in names:
            defs.setdefault(name, []).append(
                _Def(start + match.start(), start + value_end, reads, name=name)
            )
    for match in _ASSIGN.finditer(body):
        name = match.group(1)
        if name in _KEYWORDS or re.search(r"\b(const|let|var)\s*$", body[: match.start()]):
            continue
        value_end = _statement_end(body, match.end())
        reads = _reads(body[match.end() : value_end])
        if body[match.start() : match.end()].rstrip("=").rstrip() != name:
            reads |= {name}  # compound: the old value flows on
        defs.setdefault(name, []).append(
            _Def(start + match.start(), start + value_end, reads, name=name)
        )
    return defs


def _statement_end(text: str, at: int) -> int:
    depth = 0
    for i in range(at, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (ch == ";" or (ch == "\n" and not _continues(text, i))):
            return i
    return len(text)


def _continues(text: str, newline: int) -> bool:
    """A line break inside an expression: the line ends or the next begins with an operator."""
    before = text[:newline].rstrip()
    after = text[newline + 1 :].lstrip()
    return before.endswith(("+", "-", "*", "/", "?", ":", "=", "(", ",", "&&", "||", "??")) or (
        after[:1] in (".", "+", "?", ":") or after.startswith(("&&", "||", "??"))
    )


def _reads(text: str) -> frozenset[str]:
    names = set()
    for match in _IDENT.finditer(text):
        name = match.group(0)
        before = text[: match.start()].rstrip()
        after = text[match.end() :].lstrip()
        if (
            name in _KEYWORDS
            or before.endswith(".")
            or (after.startswith(":") and before.endswith(("{", ",")))
        ):
            continue  # a property access or an object key, not a variable
        names.add(name)
    return frozenset(names)


def _last_def(candidates: list[_Def], before: int) -> _Def | None:
    eligible = [d for d in candidates if d.is_param or d.offset < before]
    if not eligible:
        return None
    return max(eligible, key=lambda d: (not d.is_param, d.offset))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _line_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _position(starts: Sequence[int], offset: int) -> tuple[int, int]:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1, offset - starts[lo] + 1


def _clip(text: str) -> str:
    return text if len(text) <= STEP_TEXT_CHARS else text[: STEP_TEXT_CHARS - 1] + "…"
