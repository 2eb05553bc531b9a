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

import array
import sys
from itertools import accumulate

BLOCK_SIZE = 100
_BASE = 37
_MASK = (1 << 64) - 1
_FIRST_MOD = pow(_BASE, BLOCK_SIZE, 1 << 64)
_LF, _EOF = 10, 0xFFFF


def line_hashes(text: str) -> dict[int, str]:
    """Map each 1-based line number of ``text`` to its line hash.

    The hash of a line is the rolling hash of the 100 code units that start
    it, so with prefix hashes P (P[i + 1] = P[i] * 37 + code[i]) it is
    P[s + 100] - P[s] * 37**100 for a line starting at s: one pass over the
    text, in C where it can be (str.replace, encode, accumulate).
    """
    # What the reference reads: CRLF and CR as LF (in that order: "\r \n" is
    # two line ends), spaces and tabs not at all, then an end-of-file marker.
    fed = text.replace("\r\n", "\n").replace("\r", "\n").replace(" ", "").replace("\t", "")
    codes = array.array("H", fed.encode("utf-16-le", errors="surrogatepass"))
    if sys.byteorder == "big":
        codes.byteswap()
    codes.append(_EOF)
    fed_count = len(codes)
    codes.extend([0] * BLOCK_SIZE)  # the window runs on over zero padding
    prefix = list(accumulate(codes, lambda p, c: (p * _BASE + c) & _MASK, initial=0))
    # A line starts at the first unit and after every LF that was fed (the end
    # marker after a final LF starts one more line).
    starts = [0] + [i + 1 for i in range(fed_count - 1) if codes[i] == _LF]
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for line, start in enumerate(starts, 1):
        key = format((prefix[start + BLOCK_SIZE] - prefix[start] * _FIRST_MOD) & _MASK, "x")
        seen[key] = seen.get(key, 0) + 1
        out[line] = f"{key}:{seen[key]}"
    return out
