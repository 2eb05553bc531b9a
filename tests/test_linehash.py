"""primaryLocationLineHash against values the SARIF Multitool computed
(`Sarif.Multitool rewrite --insert RollingHashPartialFingerprints`, 5.7.0)
for this exact text: CRLF, tabs, trailing spaces, non-BMP characters and
repeated lines included. tests/e2e/test_sarif_github.py re-checks against
the live tool when it is installed."""

from __future__ import annotations

import random

from llmsecops.linehash import line_hashes

TEXT = (
    "import os\n\n    x = os.system(cmd)  \r\n\tif a:\n        eval(b)\n"
    'print("héllo 😀 world")\nprint(1)\nprint(1)\n'
)
MULTITOOL = {
    1: "6d1e82f34ff829d:1",
    2: "61fc0013ae5fb36e:1",
    3: "314bdcd234b45c7c:1",
    4: "f140e12283a4997:1",
    5: "c5681a625daaa757:1",
    6: "58d4961780436dce:1",
    7: "a078ad553a540d79:1",
    8: "26415af22aad4340:1",
}


def test_line_hashes_match_the_multitool() -> None:
    hashes = line_hashes(TEXT)
    assert {n: hashes[n] for n in MULTITOOL} == MULTITOOL


def test_indentation_does_not_change_the_hash_but_content_does() -> None:
    a = line_hashes("def f():\n    return 1\n")
    b = line_hashes("def f():\n        return 1\n")
    c = line_hashes("def f():\n    return 2\n")
    assert a[2] == b[2]
    assert a[2] != c[2]


def _reference(text: str) -> dict[int, str]:
    """The scheme character by character, as the reference reads it: a
    100-unit window rolled one code unit at a time."""
    data = text.encode("utf-16-le", errors="surrogatepass")
    units = [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]
    fed: list[int] = []
    after_cr = False
    for code in units:
        if code in (9, 32) or (after_cr and code == 10):
            after_cr = False
            continue
        after_cr = code == 13
        fed.append(10 if code == 13 else code)
    fed.append(0xFFFF)
    starts = [0] + [i + 1 for i in range(len(fed) - 1) if fed[i] == 10]
    window = fed + [0] * 100
    seen: dict[str, int] = {}
    out: dict[int, str] = {}
    for line, start in enumerate(starts, 1):
        value = 0
        for code in window[start : start + 100]:
            value = (value * 37 + code) % (1 << 64)
        key = format(value, "x")
        seen[key] = seen.get(key, 0) + 1
        out[line] = f"{key}:{seen[key]}"
    return out


def test_line_hashes_match_the_scheme_on_awkward_text() -> None:
    generator = random.Random(3)  # noqa: S311 - reproducible test data, not secrets
    pieces = ["a", " ", "\t", "\r", "\n", "\r\n", "\r \n", "😀", "é", "x" * 120, "print(1)"]
    texts = ["", "\n", "\r", " ", "a\n", "x" * 250, TEXT]
    texts += ["".join(generator.choices(pieces, k=generator.randint(1, 40))) for _ in range(300)]
    for text in texts:
        assert line_hashes(text) == _reference(text), repr(text)
