"""Cutting semgrep rules down to the patterns a file has the words for.

The end-to-end check (the adapter finds on every fixture what the whole pack
finds) is in tests/test_rule_pack.py; these pin the pieces.
"""

from __future__ import annotations

import copy
import random
import re
from typing import Any

import pytest

from llmsecops import rulepack
from llmsecops.scanners import _semgrep_prune as prune


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (
            "$C.chat.completions.create(..., messages=$M)",
            {"chat", "completions", "create", "messages"},
        ),
        ("subprocess.run($CMD, shell=True)", {"subprocess", "run", "shell"}),
        ('{"role": "system", "content": <... $P ...>}', {"role", "system", "content"}),
        ('f"...{$X}..."', set()),  # the f of an f-string is no word of the file
        ('$X.execute("=~/(?i)select .* from/")', {"execute"}),  # a regex string needs nothing
        ("def $F(..., $P, ...):\n  ...", set()),  # keywords: `def` also matches `async def`
        ("await $R.json()", {"json"}),
        ("$...ARGS", set()),
        ("new OpenAI({dangerouslyAllowBrowser: true})", {"OpenAI", "dangerouslyAllowBrowser"}),
        ("x0 = 0x1F", {"x0"}),
    ],
)
def test_the_words_a_pattern_needs(pattern: str, expected: set[str]) -> None:
    assert prune.words(pattern) == expected


RULE: dict[str, Any] = {
    "id": "r",
    "mode": "taint",
    "pattern-sources": [
        {"pattern-either": [{"pattern": "request.args.get(...)"}, {"pattern": "flask_form.data"}]},
    ],
    "pattern-sanitizers": [{"pattern": "shlex.quote(...)"}],
    "pattern-sinks": [
        {
            "patterns": [
                {"pattern": "os.system($X)"},
                {"pattern-not": 'os.system("...")'},
                {"pattern-not-inside": "if allowed($X): ..."},
                {"focus-metavariable": "$X"},
            ]
        },
        {"patterns": [{"pattern-inside": "with sandbox(): ..."}, {"pattern": "eval($X)"}]},
        {
            "patterns": [
                {"pattern": "$F($ARG)"},
                {"metavariable-pattern": {"metavariable": "$ARG", "pattern": "pickle.loads(...)"}},
            ]
        },
    ],
}


def _cut(rule: dict[str, Any], text: str) -> dict[str, Any] | None:
    vocabulary = prune.Vocabulary()
    prunable = prune.Prunable(rule, vocabulary)
    kept = prunable.kept(vocabulary.of_file(text))
    return None if kept is None else prunable.cut(kept)


def test_a_rule_keeps_only_what_the_file_has_the_words_for() -> None:
    cut = _cut(RULE, "import os\nfrom flask import request\nos.system(request.args.get('c'))\n")
    assert cut is not None
    assert cut["pattern-sources"] == [{"pattern-either": [{"pattern": "request.args.get(...)"}]}]
    assert "pattern-sanitizers" not in cut  # shlex is not in the file
    # the os.system sink stays, with its negative that can still exclude (os, system)
    # and without the one whose words are missing (allowed); eval and pickle sinks go
    assert cut["pattern-sinks"] == [
        {
            "patterns": [
                {"pattern": "os.system($X)"},
                {"pattern-not": 'os.system("...")'},
                {"focus-metavariable": "$X"},
            ]
        }
    ]
    assert cut["id"] == "r" and cut["mode"] == "taint"


def test_a_positive_member_without_its_words_kills_its_conjunction() -> None:
    text = "eval(request.args.get('c'))\n"  # eval, but no `sandbox` for the pattern-inside
    assert _cut(RULE, text) is None
    cut = _cut(RULE, "with sandbox():\n    eval(request.args.get('c'))\n")
    assert cut is not None
    assert [s["patterns"][1] for s in cut["pattern-sinks"]] == [{"pattern": "eval($X)"}]


def test_a_metavariable_pattern_is_pruned_like_a_positive_member() -> None:
    cut = _cut(RULE, "import pickle\nrun(pickle.loads(request.args.get('c')))\n")
    assert cut is not None and len(cut["pattern-sinks"]) == 1
    assert _cut(RULE, "run(loads(request.args.get('c')))\n") is None


def test_a_taint_rule_dies_without_a_source_or_without_a_sink() -> None:
    assert _cut(RULE, "import os\nos.system(cmd)\n") is None  # a sink, no source
    assert _cut(RULE, "x = request.args.get('c')\n") is None  # a source, no sink


def test_search_mode_either_and_conjunction() -> None:
    rule = {
        "id": "s",
        "patterns": [
            {"pattern-either": [{"pattern": "torch.load(...)"}, {"pattern": "joblib.load(...)"}]},
            {"pattern-not": "torch.load(..., weights_only=True, ...)"},
        ],
    }
    cut = _cut(rule, "import torch\nm = torch.load(p)\n")
    assert cut == {
        "id": "s",
        "patterns": [{"pattern-either": [{"pattern": "torch.load(...)"}]}],
    }
    assert _cut(rule, "import pickle\n") is None


def test_the_fast_walk_agrees_with_the_cutting_walk_on_every_rule_of_the_pack() -> None:
    """kept() evaluates a compiled copy of the walk that cut() does; on random
    sets of words from each rule's own patterns, both keep the same leaves."""
    generator = random.Random(7)  # noqa: S311 - reproducible test data, not secrets
    checked = 0
    for rule in rulepack.load():
        vocabulary = prune.Vocabulary()
        prunable = prune.Prunable(rule.raw, vocabulary)
        words = sorted(vocabulary.bits)
        for _ in range(30):
            text = " ".join(w for w in words if generator.random() < generator.random())
            if generator.random() < 0.5:
                text += "\ndef helper(x):\n    pass\nhelper(1)\n"  # defined and called
            in_file = vocabulary.of_file(text)
            kept = prunable.kept(in_file)
            present = frozenset(
                n
                for n, masks in enumerate(prunable.masks)
                if any(mask & ~in_file == 0 for mask in masks)
            )
            walked = prune._Pruner(present).rule(rule.raw)
            if walked is None:
                assert kept is None, rule.meta.id
            else:
                assert kept == sum(1 << n for n in walked[1]), rule.meta.id
                checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"^(self\.)?(request|req)$", [{"request"}, {"req"}]),
        (r"^(\w+\.)*(SystemMessage|HumanMessage)$", [{"SystemMessage"}, {"HumanMessage"}]),
        (r"^(gradio|gr)\.Interface$", [{"gradio", "Interface"}, {"gr", "Interface"}]),
        (r"^create(OpenAI|Groq)$", [{"createOpenAI"}, {"createGroq"}]),  # a shared prefix
        (r"^(get|post|delete)$", [{"get"}, {"post"}, {"delete"}]),  # keywords too: it is the text
        # not whole words: pieces of a word, matched as they are or in any case;
        # "<" the piece starts a word, ">" it ends one
        (r"(?i)^(get|post)$", [{"~i<>:get"}, {"~i<>:post"}]),
        (r"^(get|post)", [{"~c<:get"}, {"~c<:post"}]),  # not anchored at the end
        (r".*(Loader|Reader)$", [{"~c>:Loader"}, {"~c>:Reader"}]),  # a suffix of a longer word
        (r"^(?i:(self\.)?\w*(tokenizer|processor))$", [{"~i>:tokenizer"}, {"~i>:processor"}]),
        (
            r"(?i)\b(request|req)\.(FILES|GET)\b",
            [
                {"~i<>:req", "~i<>:files"},
                {"~i<>:req", "~i<>:get"},
                {"~i<>:request", "~i<>:files"},
                {"~i<>:request", "~i<>:get"},
            ],
        ),
        # the edges move into the group, past a lookahead
        (r"^(?!KEY)(SYSTEM|\w*PROMPTS?)$", [{"~c<>:SYSTEM"}, {"~c>:PROMPT"}, {"~c>:PROMPTS"}]),
        (r"^[A-Z_]*(SYSTEM|PROMPTS?)[A-Z_]*$", [{"~c:SYSTEM"}, {"~c:PROMPT"}]),  # PROMPT says it
        # an option another implies goes, as the edges allow
        (r"(?i)^(sys|system)\w*", [{"~i<:sys"}]),  # a word that starts "system" starts "sys"
        (r"(?i)\w*(prompt|system_prompt)$", [{"~i>:prompt"}]),
        (r"(?i)(tool|toolbox)$", [{"~i>:tool"}, {"~i>:toolbox"}]),  # "toolbox" ends no "tool"
        (r"(?i)^(tool|toolbox)$", [{"~i<>:tool"}, {"~i<>:toolbox"}]),
        (r"(?i)\w*(tool|toolbox)\w*", [{"~i:tool"}]),
        (
            r"(?i)(tool|toolkit)_?name",
            [{"~i:toolname"}, {"~i:tool_name"}, {"~i:toolkitname"}, {"~i:toolkit_name"}],
        ),
        # what the parts of a sequence require, together
        (
            r"\b(requests|httpx)\.\w+\.(get|post)\(",
            [
                {"~c<>:requests", "~c<>:get"},
                {"~c<>:requests", "~c<>:post"},
                {"~c<>:httpx", "~c<>:get"},
                {"~c<>:httpx", "~c<>:post"},
            ],
        ),
        (
            r"(?s).*(Loader|Reader)\(.*\)\.load\(",
            [{"~c>:Loader", "~c<>:load"}, {"~c>:Reader", "~c<>:load"}],
        ),
        # all together would be 128 options: the strongest parts that fit in 64
        (
            r"(?i)(kkkk|llll|mmmm|nnnn|oooo|pppp|qqqq|rrrr)\w*(ccc|ddd|eee|fff|ggg|hhh|iii|jjj)\w*(xyz|zyx)",
            [{f"~i:{a * 4}", f"~i:{b * 3}"} for a in "klmnopqr" for b in "cdefghij"],
        ),
        (r"\bsk-\w{20}", [{"~c<>:sk"}]),  # short, but a whole word
        (r"sk-\w{20}", None),  # short, and perhaps the end of a longer word
        (r"^(?!self$)\w+$", None),  # nothing required
        (r"(?i)\w*(id|pk)$", None),  # only short pieces: in nearly every file
        (r"(foo_bar|\w+)", None),  # one alternative requires nothing
        (r"(?x) foo_bar", None),  # verbose: not read
        (r"^(?!.*(secret|token)).*$", None),  # what it must not contain
        (r"^(a|b)(c|d)(e|f)(g|h)(i|j)(k|l)(m|n)(o|p)(q|r)$", None),  # too many options
    ],
)
def test_what_a_metavariable_regex_needs(regex: str, expected: list[set[str]] | None) -> None:
    need = prune._regex_need({"metavariable-regex": {"metavariable": "$X", "regex": regex}})
    assert (None if need is None else sorted(map(sorted, need))) == (
        None if expected is None else sorted(map(sorted, expected))
    )


def test_a_metavariable_regex_whose_words_are_missing_kills_its_conjunction() -> None:
    rule = {
        "id": "w",
        "patterns": [
            {"pattern": "$WS.$RECV(...)"},
            {
                "metavariable-regex": {
                    "metavariable": "$RECV",
                    "regex": "^(receive_text|receive_json)$",
                }
            },
        ],
    }
    assert _cut(rule, "msg = await ws.receive_text()\n") == rule
    assert _cut(rule, "msg = await ws.recv()\n") is None
    ignored_case = {
        **rule,
        "patterns": [
            rule["patterns"][0],
            {"metavariable-regex": {"metavariable": "$RECV", "regex": "(?i)^(receive_text)$"}},
        ],
    }
    # in any case: the piece in any spelling
    assert _cut(ignored_case, "msg = await ws.Receive_Text()\n") == ignored_case
    assert _cut(ignored_case, "msg = await ws.recv()\n") is None


def test_a_word_piece_is_found_inside_any_word_of_the_file() -> None:
    vocabulary = prune.Vocabulary()
    exact = vocabulary.mask(["~c:Loader"])
    any_case = vocabulary.mask(["~i:tokenizer"])
    assert vocabulary.of_file("docs = PyPDFLoader(path).load()\n") == exact
    assert vocabulary.of_file("docs = loader.load()\n") == 0  # "Loader" as written
    assert vocabulary.of_file("x = self.MyTOKENIZER(text)\n") == any_case
    assert vocabulary.of_file("x = AutoTokenizer.from_pretrained(m)  # PyPDFLoader\n") == (
        exact | any_case  # comments too: a superset of what semgrep sees is safe
    )
    assert vocabulary.of_file("tok = token_izer\n") == 0  # never across words


def test_remembered_runs_are_bounded_and_forgetting_them_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(prune, "_RUNS_KEPT", 3)
    vocabulary = prune.Vocabulary()
    bit = vocabulary.mask(["~i>:tokenizer"])
    texts = [f"w{i} = x{i} + y{i}\n" for i in range(5)] + ["t = AutoTokenizer(m)\n"]
    assert [vocabulary.of_file(t) for t in texts] == [0] * 5 + [bit]
    assert len(vocabulary._in_run) <= 3 + 4  # cleared once past the bound


# Texts where a word and a run of word characters part ways: "$" before a
# word, digits first, non-ASCII letters inside and around words (a regex's \w
# takes them, ASCII runs end at them), keyword-looking words, empty text.
_SCAN_TEXTS = [
    "$a b$c $$d 9x x9 _z __init__ $ 7 a$b\n",
    "caf\u00e9 = na\u00efve + \u00e9t\u00e9x + x\u00e9y $\u00e9z \u00e99a\n",
    "def f(x):\n    return f (x)  # deff g(): adef h():\n",
    "\u00e9def g(): pass\nasync def  h ():\n",
    "",
]


@pytest.mark.parametrize("text", _SCAN_TEXTS)
def test_the_one_pass_word_scan_finds_what_the_two_regexes_find(text: str) -> None:
    words, runs = prune._words_and_runs((text,))
    assert words == set(re.findall(r"(?<![\w$])[A-Za-z_]\w*", text))
    assert runs == set(re.findall(r"\w+", text, re.ASCII))
    assert sorted(prune._DEF_IN_FILE.findall(text)) == sorted(
        re.findall(r"\bdef\s+(\w+)\s*\(", text)
    )


@pytest.mark.parametrize(
    "text", ['x = ("pass"  "word", \'a\' \'b\', "" "c", 1 "" 2, "\u00e9" "x")\n', *_SCAN_TEXTS]
)
def test_adjacent_literals_are_joined_as_the_plain_regex_joins_them(text: str) -> None:
    assert prune._as_semgrep_reads(text) == re.sub(r"(?<=\w)([\"'])\s*\1(?=\w)", "", text)


def test_a_word_piece_that_starts_or_ends_a_word_is_found_only_there() -> None:
    vocabulary = prune.Vocabulary()
    starts = vocabulary.mask(["~c<:req"])
    ends = vocabulary.mask(["~i>:_token"])
    whole = vocabulary.mask(["~i<>:sk"])
    assert vocabulary.of_file("r = request.json\n") == starts
    assert vocabulary.of_file("r = prerequisite\n") == 0
    assert vocabulary.of_file("t = settings.GITHUB_TOKEN\n") == ends
    assert vocabulary.of_file("n = max_tokens\n") == 0
    assert vocabulary.of_file('key = "SK-abc"\n') == whole
    assert vocabulary.of_file('key = "task-abc"  # risk\n') == 0
    # runs of ASCII word characters: a regex engine's \b may sit before "sk" here
    assert vocabulary.of_file('key = "ésk-abc"\n') == whole


def test_a_metavariable_regex_whose_word_pieces_are_missing_kills_its_conjunction() -> None:
    rule = {
        "id": "t",
        "mode": "taint",
        "pattern-sources": [{"pattern": "input(...)"}],
        "pattern-sinks": [
            {"pattern": "eval(...)"},
            {
                "patterns": [
                    {"pattern": "$TOK($SINK, ...)"},
                    {
                        "metavariable-regex": {
                            "metavariable": "$TOK",
                            "regex": "(?i)^(self\\.)?\\w*(tokenizer|processor)$",
                        }
                    },
                    {"focus-metavariable": "$SINK"},
                ]
            },
        ],
    }
    assert _cut(rule, "t = AutoTokenizer()\nq = input()\nt(q)\neval(q)\n") == rule
    cut = _cut(rule, "q = input()\nprint(q)\neval(q)\n")
    assert cut is not None
    assert cut["pattern-sinks"] == [{"pattern": "eval(...)"}]


def test_a_regex_parser_it_cannot_read_means_no_need_known(monkeypatch: pytest.MonkeyPatch) -> None:
    class Changed:  # a Python whose private regex parser looks different
        @staticmethod
        def parse(regex: str) -> object:
            return object()

    def clear() -> None:
        prune._anchored_words.cache_clear()
        prune._pieces_needed.cache_clear()

    monkeypatch.setattr(prune, "_regex_parser", Changed)
    clear()
    try:
        for regex in ("^(onlyword)$", "(?i)\\w*(tokenizer|processor)"):
            member = {"metavariable-regex": {"metavariable": "$X", "regex": regex}}
            assert prune._regex_need(member) is None
    finally:
        clear()


CALL_OF_H_INSIDE_A = {"metavariable-pattern": {"metavariable": "$A", "pattern": "$H(...)"}}
HELPER_RULE: dict[str, Any] = {
    "id": "h",
    "mode": "taint",
    "pattern-sources": [{"pattern": "request.args.get(...)"}],
    "pattern-sinks": [
        {"pattern": "os.system(...)"},
        {
            # the argument of a call of a same-file function that runs its parameter
            "patterns": [
                {
                    "pattern-either": [
                        {"pattern-inside": "def $H($P):\n  ...\n  os.system($P)\n...\n"},
                        {
                            "pattern-inside": (
                                "class $C:\n  ...\n  def $H(self, $P):\n"
                                "    ...\n    os.system($P)\n...\n"
                            )
                        },
                    ]
                },
                {"pattern-not": "$H(None)"},
                {
                    "pattern-either": [
                        {"pattern": "$H($A)"},
                        {"pattern": "self.$H($A)"},
                        {"patterns": [{"pattern": "$W($A)"}, CALL_OF_H_INSIDE_A]},
                    ]
                },
                {"focus-metavariable": "$A"},
            ]
        },
    ],
}
HELPER_DEF = "import os\nfrom flask import request\n\ndef run_it(cmd):\n    os.system(cmd)\n"


def _helper_sink(cut: dict[str, Any] | None) -> list[Any]:
    assert cut is not None
    helper = [s["patterns"] for s in cut["pattern-sinks"] if "patterns" in s]
    assert len(helper) == 1
    return helper[0]


def _helper_calls(cut: dict[str, Any] | None) -> list[Any]:
    eithers = [m["pattern-either"] for m in _helper_sink(cut) if "pattern-either" in m]
    return eithers[1]


@pytest.mark.parametrize(
    ("text", "called"),
    [
        (HELPER_DEF + "q = request.args.get('q')\n", False),  # defined, never called
        (HELPER_DEF + "run_it(request.args.get('q'))\n", True),
        (HELPER_DEF + "x = run_it (\n  request.args.get('q'))\n", True),
        (HELPER_DEF + "self.run_it(request.args.get('q'))\n", True),  # a method call counts
        (HELPER_DEF + "async def run_it(c): pass\nq = request.args.get('q')\n", False),
        (HELPER_DEF + "f = run_it\nq = request.args.get('q')\n", False),  # named, not called
        (HELPER_DEF + "run_it_later(request.args.get('q'))\n", False),  # another name
    ],
)
def test_a_call_of_a_function_the_match_defines_needs_a_function_the_file_defines_and_calls(
    text: str, called: bool
) -> None:
    """``def $H`` in one member of a conjunction and ``$H(...)`` in another:
    the file must call a function it defines. Calls inside a metavariable-pattern
    (semgrep may bind $H afresh there) and in negative members need nothing."""
    cut = _cut(HELPER_RULE, text)
    calls = _helper_calls(cut)
    assert calls[-1] == {"patterns": [{"pattern": "$W($A)"}, CALL_OF_H_INSIDE_A]}
    assert {"pattern-not": "$H(None)"} in _helper_sink(cut)
    assert ({"pattern": "$H($A)"} in calls) is called
    assert ({"pattern": "self.$H($A)"} in calls) is (called and "self." in text)


def test_a_function_name_one_alternative_does_not_define_is_not_taken_as_defined() -> None:
    rule = copy.deepcopy(HELPER_RULE)
    defs = rule["pattern-sinks"][1]["patterns"][0]["pattern-either"]
    defs.append({"pattern-inside": "$H = lambda $P: os.system($P)\n...\n"})
    calls = _helper_calls(_cut(rule, HELPER_DEF + "q = request.args.get('q')\n"))
    assert {"pattern": "$H($A)"} in calls


@pytest.mark.parametrize(
    ("pattern", "defined", "expected"),
    [
        ("$H($A)", {"H"}, True),
        ("$OBJ.$H(...)", {"H"}, True),
        ("$H($A)", {"G"}, False),
        ("def $F($P):\n  ...\n...\n<... $F($X) ...>\n", set(), True),  # in one pattern
        ("def $F($P):\n  ...\n", set(), False),  # its def is no call
        ("class $F(...):\n  ...\n", {"F"}, False),
    ],
)
def test_which_patterns_call_a_defined_function(
    pattern: str, defined: set[str], expected: bool
) -> None:
    assert prune._calls_defined(pattern, frozenset(defined)) is expected


LABELLED_RULE: dict[str, Any] = {
    "id": "l",
    "mode": "taint",
    "pattern-sources": [
        {"label": "USER", "pattern": "request.args"},
        {"label": "PROMPT", "requires": "USER", "pattern": 'f"..."'},
        {"label": "SYSTEM", "requires": "PROMPT", "pattern": "system_prompt($X)"},
        {"label": "KEY", "pattern": "os.environ"},
    ],
    "pattern-sinks": [
        {"requires": "SYSTEM", "pattern": "llm.invoke(...)"},
        {"requires": "PROMPT or KEY", "pattern": "chat.send(...)"},
        {"requires": "USER and KEY", "pattern": "log.info(...)"},
        {"requires": "USER and not KEY", "pattern": "log.debug(...)"},
    ],
}
ALL_SINKS = "llm.invoke(a)\nchat.send(b)\nlog.info(c)\nlog.debug(d)\n"


@pytest.mark.parametrize(
    ("text", "sources", "sinks"),
    [
        # a chain of labels: USER gives PROMPT, PROMPT gives SYSTEM
        (
            "q = request.args\np = f'{q}'\ns = system_prompt(p)\n" + ALL_SINKS,
            ["USER", "PROMPT", "SYSTEM"],
            ["SYSTEM", "PROMPT or KEY", "USER and not KEY"],
        ),
        # no USER source: nothing that requires it, or what it gives, can fire
        ("p = f'{q}'\ns = system_prompt(p)\n" + ALL_SINKS, None, None),
        (
            "p = f'{q}'\nk = os.environ\n" + ALL_SINKS,
            ["KEY"],
            ["PROMPT or KEY"],
        ),
        (
            "q = request.args\nk = os.environ\n" + ALL_SINKS,
            ["USER", "KEY"],
            ["PROMPT or KEY", "USER and KEY", "USER and not KEY"],
        ),
        (  # an f-string in the file: the PROMPT source lives
            "q = request.args\nk = os.environ\np = f'{q}'\n" + ALL_SINKS,
            ["USER", "PROMPT", "KEY"],
            ["PROMPT or KEY", "USER and KEY", "USER and not KEY"],
        ),
    ],
)
def test_a_source_or_sink_whose_required_labels_no_source_gives_dies(
    text: str, sources: list[str] | None, sinks: list[str] | None
) -> None:
    cut = _cut(LABELLED_RULE, text)
    if sources is None:
        assert cut is None
        return
    assert cut is not None
    assert [s["label"] for s in cut["pattern-sources"]] == sources
    assert [s["requires"] for s in cut["pattern-sinks"]] == sinks


@pytest.mark.parametrize(
    ("requires", "met"),
    [
        ("A", True),
        ("B", False),
        ("A and B", False),
        ("A or B", True),
        ("not A", True),  # could hold: with the label absent
        ("B and not A", False),
        ("(A or B) and (A or C)", True),
        ("A and (B or C)", False),
        ("A +", True),  # not readable: met
        (None, True),
    ],
)
def test_whether_a_requires_formula_could_hold(requires: str | None, met: bool) -> None:
    assert prune._requires_met(requires, {"A"}) is met


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("$A + $B", {"#+"}),
        ("$TEMPLATE % $ARGS", {"#%"}),
        ("`...${$X}...`", {"#`"}),
        ('f"...{$P}..."', {"#f-string"}),
        ('RF"...{$P}..."', {"#f-string"}),
        ('b"..."', set()),
        ('$X.execute("=~/a+b%/")', set()),  # a regex string is no operator
        ("$C.chat.completions.create(..., messages=<... $P ...>)", set()),  # nor <... ...>
    ],
)
def test_the_operators_a_pattern_needs(pattern: str, expected: set[str]) -> None:
    assert prune.marks(pattern) == expected


def test_a_pattern_with_an_operator_the_file_lacks_is_cut() -> None:
    sinks = [
        {"pattern": "llm.invoke($A + $B)"},
        {"pattern": 'llm.invoke(f"...")'},
        {"pattern": "llm.invoke(`...`)"},
    ]
    rule = {"id": "c", "mode": "taint", "pattern-sources": [{"pattern": "request.args"}]}
    rule["pattern-sinks"] = sinks
    plain = "q = request.args\nllm.invoke(q)\n"

    def kept(text: str) -> list[Any]:
        cut = _cut(rule, text)
        return [] if cut is None else list(cut["pattern-sinks"])

    assert kept(plain) == []
    assert kept(plain + "x = 1 + 2\n") == [sinks[0]]
    # a superset is safe: "'f'" reads like an f-string's prefix, and keeps more
    assert kept(plain + "x = 'f'\n") == [sinks[1]]
    assert kept(plain + "s = `a`\n") == [sinks[2]]
