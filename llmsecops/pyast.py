"""``ast.parse`` that is safe to call from several threads at once.

CPython 3.11 keeps the AST constructor's recursion depth in state shared by
the whole interpreter, so two threads parsing at the same time can fail
with ``SystemError: AST constructor recursion depth mismatch``
(python/cpython#106905). The semgrep adapter builds traces in each run's
worker thread, and the scanners run side by side: every parse goes through
one lock. A parse takes milliseconds; the lock costs nothing measurable.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse_module(source: str) -> ast.Module:
    with _LOCK:
        return ast.parse(source)


def parse_expression(source: str) -> ast.Expression:
    with _LOCK:
        return ast.parse(source, mode="eval")
