"""GitHub code scanning's ``primaryLocationLineHash``.

upload-sarif computes it when a SARIF file is uploaded from a checkout, but
the REST API does not, so llmsecops computes it itself. The scheme: a
polynomial rolling hash (base 37, 64-bit wrap-around) over a window of the
next 100 characters from the start of each line, skipping spaces and tabs,
with CR and CRLF read as LF, a 0xFFFF end-of-file marker and zero padding.
The value is the unsigned hex of the hash plus ``:n``, the number of times
that hash has occurred so far in the file. Characters are counted in UTF-16
code units, as the reference implementation reads them.
"""

from __future__ import annotations

BLOCK_SIZE = 100
_BASE = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_BASE, BLOCK_SIZE, 1 << 64)
_TAB, _SPACE, _LF, _CR, _EOF = 9, 32, 10, 13, 0xFFFF


def _code_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", errors="surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def line_hashes(text: str) -> dict[int, str]:
    """Map each 1-based line number of ``text`` to its line hash."""
    window = [0] * BLOCK_SIZE
    starts = [-1] * BLOCK_SIZE  # line number starting at this window slot, or -1
    value = 0
    index = 0
    line = 0
    at_line_start = True
    after_cr = False
    seen: dict[str, int] = {}
    out: dict[int, str] = {}

    def emit() -> None:
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out[starts[index]] = f"{key}:{seen[key]}"
        starts[index] = -1

    def push(code: int) -> None:
        nonlocal value, index
        oldest = window[index]
        window[index] = code
        value = (_BASE * value + code - _FIRST_MOD * oldest) & _MASK
        index = (index + 1) % BLOCK_SIZE

    def feed(code: int) -> None:
        nonlocal at_line_start, after_cr, line
        if code in (_SPACE, _TAB) or (after_cr and code == _LF):
            after_cr = False
            return
        if code == _CR:
            code, after_cr = _LF, True
        else:
            after_cr = False
        if starts[index] != -1:
            emit()
        if at_line_start:
            at_line_start = False
            line += 1
            starts[index] = line
        if code == _LF:
            at_line_start = True
        push(code)

    for code in _code_units(text):
        feed(code)
    feed(_EOF)
    for _ in range(BLOCK_SIZE):
        if starts[index] != -1:
            emit()
        push(0)
    return out
