"""Data-flow traces for taint findings in Python, rebuilt from the sink backwards.

semgrep's open-source engine reports where a taint rule's sink is, but not
the path the data took (its traces are a Pro feature). This module rebuilds
that path within the enclosing function: from the names used at the sink it
follows assignments backwards to a parameter or to an expression with no
further local inputs, and returns the steps source-first. It is a
reconstruction, so the trace says so; it never claims more than it found.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from llmsecops import pyast
from llmsecops.model import Location, TraceStep

MAX_STEPS = 8
STEP_TEXT_CHARS = 120


@dataclass(frozen=True)
class _Def:
    line: int
    end_line: int
    col: int
    end_col: int
    text: str
    reads: frozenset[str]
    is_param: bool = False


@functools.lru_cache(maxsize=4)
def _parsed(source: str) -> tuple[ast.Module, tuple[str, ...]]:
    """A file's tree and lines, kept for its next findings (a file with one
    often has several, and they come one after another; a trace only reads
    the tree). Four: one or two for each of the semgrep runs tracing at
    once, and few big trees held."""
    return pyast.parse_module(source), tuple(source.splitlines())


def build(source: str, path: str, sink: Location) -> tuple[TraceStep, ...]:
    """Steps from a likely source to the sink, or () if nothing can be said."""
    try:
        tree, lines = _parsed(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return ()
    func = _enclosing_function(tree, sink.start_line)
    if func is None:
        return ()
    defs = _definitions(func, lines)
    wanted = _names_read(func, sink)
    chain: list[_Def] = []
    seen: set[tuple[int, str]] = set()
    frontier = sorted(wanted)
    before = sink.start_line
    while frontier and len(chain) < MAX_STEPS:
        name = frontier.pop(0)
        found = _last_def(defs.get(name, []), before)
        if found is None or (found.line, name) in seen:
            continue
        seen.add((found.line, name))
        chain.append(found)
        if not found.is_param:
            frontier.extend(sorted(found.reads - {name}))
            before = min(before, found.line)
    if not chain:
        return ()
    chain.sort(key=lambda d: (d.line, d.col))
    steps = [
        TraceStep(
            location=Location(path, d.line, d.col, d.end_line, d.end_col),
            message=("source: " if i == 0 else "") + d.text,
        )
        for i, d in enumerate(chain)
    ]
    sink_text = _clip(lines[sink.start_line - 1].strip()) if sink.start_line <= len(lines) else ""
    steps.append(TraceStep(location=sink, message=f"sink: {sink_text}"))
    return tuple(steps)


def _enclosing_function(tree: ast.AST, line: int) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    best: ast.FunctionDef | ast.AsyncFunctionDef | None = None
    for node in _around(tree, line, line):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
            node.lineno <= line and (best is None or node.lineno >= best.lineno)
        ):
            best = node
    return best


def _around(tree: ast.AST, first: int, last: int) -> Iterator[ast.AST]:
    """The nodes under ``tree`` whose lines (with their decorators') meet
    ``first``..``last``, and those without lines (a module, arguments, a
    comprehension...): a node's lines hold its children's, so a subtree whose
    lines miss the range is skipped."""
    todo = [tree]
    while todo:
        for child in ast.iter_child_nodes(todo.pop()):
            start = getattr(child, "lineno", None)
            if start is not None:
                start = min([start, *(d.lineno for d in getattr(child, "decorator_list", ()))])
            if start is None or (
                start <= last and first <= (getattr(child, "end_lineno", None) or start)
            ):
                yield child
                todo.append(child)


def _names_read(func: ast.AST, sink: Location) -> set[str]:
    """Names read inside the sink's region (semgrep's focused expression)."""
    start = (sink.start_line, sink.start_column - 1)
    end = (sink.last_line, (sink.end_column or 10**9) - 1)
    names: set[str] = set()
    for node in _around(func, sink.start_line, sink.last_line):
        if not (isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)):
            continue
        at = (node.lineno, node.col_offset)
        if start <= at and (node.end_lineno or node.lineno, node.end_col_offset or 0) <= end:
            names.add(node.id)
    return names


def _reads(node: ast.AST) -> frozenset[str]:
    return frozenset(
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
    )


def _targets(node: ast.AST) -> Iterator[str]:
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            yield n.id


def _definitions(
    func: ast.FunctionDef | ast.AsyncFunctionDef, lines: Sequence[str]
) -> dict[str, list[_Def]]:
    defs: dict[str, list[_Def]] = {}

    def add(name: str, node: ast.AST, reads: frozenset[str], *, is_param: bool = False) -> None:
        line = getattr(node, "lineno", func.lineno)
        end_line = getattr(node, "end_lineno", None) or line
        col = getattr(node, "col_offset", 0) + 1
        end_col = (getattr(node, "end_col_offset", None) or len(lines[end_line - 1])) + 1
        text = _clip(lines[line - 1].strip()) if line <= len(lines) else name
        if is_param:
            text = f"parameter '{name}' of {func.name}()"
        defs.setdefault(name, []).append(_Def(line, end_line, col, end_col, text, reads, is_param))

    args = func.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None:
            add(arg.arg, arg, frozenset(), is_param=True)
    for node in ast.walk(func):
        match node:
            case ast.Assign(targets=targets, value=value):
                for target in targets:
                    for name in _targets(target):
                        add(name, node, _reads(value))
            case ast.AnnAssign(target=target, value=value) if value is not None:
                for name in _targets(target):
                    add(name, node, _reads(value))
            case ast.AugAssign(target=target, value=value):
                for name in _targets(target):
                    add(name, node, _reads(value) | {name})
            case ast.For(target=target, iter=iterable) | ast.AsyncFor(target=target, iter=iterable):
                for name in _targets(target):
                    add(name, node, _reads(iterable))
            case ast.withitem(context_expr=ctx, optional_vars=target) if target is not None:
                for name in _targets(target):
                    add(name, ctx, _reads(ctx))
            case ast.NamedExpr(target=ast.Name(id=name), value=value):
                add(name, node, _reads(value))
            case _:
                pass
    return defs


def _last_def(candidates: list[_Def], before: int) -> _Def | None:
    """The definition closest above ``before`` (parameters count as line 0)."""
    eligible = [d for d in candidates if d.is_param or d.line < before]
    if not eligible:
        return None
    return max(eligible, key=lambda d: (not d.is_param, d.line))


def _clip(text: str) -> str:
    return text if len(text) <= STEP_TEXT_CHARS else text[: STEP_TEXT_CHARS - 1] + "…"
