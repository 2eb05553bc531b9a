from __future__ import annotations

import pytest

from llmsecops import pyast
from llmsecops.model import Location
from llmsecops.trace import build

APP = """\
from flask import request

def handler(user_id):
    client = make_client()
    q = request.args.get("q")
    text = q.strip()
    prompt = f"Answer: {text}"
    unrelated = 3
    return client.chat(messages=[prompt])
"""


def test_trace_follows_assignments_back_to_the_source() -> None:
    sink = Location("app.py", 9, 24, 9, 40)  # messages=[prompt]
    steps = build(APP, "app.py", sink)
    assert [(s.location.start_line, s.message) for s in steps] == [
        (5, 'source: q = request.args.get("q")'),
        (6, "text = q.strip()"),
        (7, 'prompt = f"Answer: {text}"'),
        (9, "sink: return client.chat(messages=[prompt])"),
    ]
    assert all(s.location.path == "app.py" for s in steps)


def test_a_parameter_is_a_source() -> None:
    src = "def view(body):\n    p = 'x' + body.text\n    call(p)\n"
    steps = build(src, "v.py", Location("v.py", 3, 10, 3, 11))
    assert [s.message for s in steps] == [
        "source: parameter 'body' of view()",
        "p = 'x' + body.text",
        "sink: call(p)",
    ]


def test_no_trace_outside_functions_or_for_unparsable_code() -> None:
    assert build("x = input()\nrun(x)\n", "m.py", Location("m.py", 2, 1, 2, 7)) == ()
    assert build("def f(:\n", "m.py", Location("m.py", 1)) == ()


def test_reassignment_uses_the_nearest_definition() -> None:
    src = "def f(a):\n    v = 'safe'\n    v = a + '!'\n    sink(v)\n"
    steps = build(src, "m.py", Location("m.py", 4, 10, 4, 11))
    assert [s.location.start_line for s in steps] == [1, 3, 4]


def test_a_file_with_several_findings_is_parsed_once_and_each_gets_its_own_trace(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parses: list[str] = []
    real = pyast.parse_module
    monkeypatch.setattr(pyast, "parse_module", lambda source: parses.append(source) or real(source))
    source = APP + "\n# a copy of the file no other test parses\n"
    first = build(source, "app.py", Location("app.py", 9, 24, 9, 40))
    second = build(source, "app.py", Location("app.py", 6, 5, 6, 21))  # text = q.strip()
    assert parses == [source]
    assert first[-1].message == "sink: return client.chat(messages=[prompt])"
    assert [s.message for s in second] == [
        'source: q = request.args.get("q")',
        "sink: text = q.strip()",
    ]


def test_a_sink_on_a_decorator_line_belongs_to_the_function_around_the_decorated_one() -> None:
    src = "def outer(req):\n    q = req.args\n    @register(q)\n    def inner():\n        pass\n"
    steps = build(src, "d.py", Location("d.py", 3, 15, 3, 16))
    assert [s.message for s in steps] == [
        "source: parameter 'req' of outer()",
        "q = req.args",
        "sink: @register(q)",
    ]
    top = "import x\n\n@app.route(x)\ndef handler(req):\n    q = req.args\n    return call(q)\n"
    assert build(top, "t.py", Location("t.py", 3, 12, 3, 13)) == ()  # in no function
    assert [s.message for s in build(top, "t.py", Location("t.py", 6, 17, 6, 18))] == [
        "source: parameter 'req' of handler()",
        "q = req.args",
        "sink: return call(q)",
    ]
