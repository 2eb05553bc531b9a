"""primaryLocationLineHash against values the SARIF Multitool computed
(`Sarif.Multitool rewrite --insert RollingHashPartialFingerprints`, 5.7.0)
for this exact text: CRLF, tabs, trailing spaces, non-BMP characters and
repeated lines included. tests/e2e/test_sarif_github.py re-checks against
the live tool when it is installed."""

from __future__ import annotations

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
