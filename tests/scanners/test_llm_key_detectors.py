"""Our LLM-provider key detectors: positive and negative examples for each.

Positive keys are generated from a fixed seed at test time, so no
key-shaped literal sits in the repository."""

from __future__ import annotations

import random
import string

import pytest

from llmsecops.scanners import llm_key_detectors as d

ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"
_rng = random.Random(20261122)  # noqa: S311 - test data


def rnd(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


POSITIVE: list[tuple[type[d._LlmKeyDetector], str]] = [
    (d.OpenAIProjectKeyDetector, "sk-proj-" + rnd(64)),
    (d.OpenAIProjectKeyDetector, "sk-svcacct-" + rnd(60)),
    (d.OpenAIProjectKeyDetector, "sk-admin-" + rnd(60)),
    (d.OpenAIProjectKeyDetector, "sk-" + rnd(48)),
    (d.AnthropicKeyDetector, "sk-ant-api03-" + rnd(93) + "AA"),
    (d.AnthropicKeyDetector, "sk-ant-admin01-" + rnd(93) + "AA"),
    (d.HuggingFaceTokenDetector, "hf_" + rnd(34)),
    (d.GoogleAIKeyDetector, "AIza" + rnd(35)),
    (d.GroqKeyDetector, "gsk_" + rnd(52)),
    (d.XAIKeyDetector, "xai-" + rnd(80)),
    (d.PerplexityKeyDetector, "pplx-" + rnd(48)),
    (d.ReplicateTokenDetector, "r8_" + rnd(37)),
    (d.OpenRouterKeyDetector, "sk-or-v1-" + rnd(64, HEX)),
    (d.LangSmithKeyDetector, "lsv2_pt_" + rnd(32, HEX) + "_" + rnd(10, HEX)),
    (d.PineconeKeyDetector, "pcsk_" + rnd(6) + "_" + rnd(60)),
    (d.FireworksKeyDetector, "fw_" + rnd(24)),
    (d.TogetherKeyDetector, "tgp_v1_" + rnd(43)),
    (d.TavilyKeyDetector, "tvly-dev-" + rnd(32)),
]

NEGATIVE: list[tuple[type[d._LlmKeyDetector], str]] = [
    (d.OpenAIProjectKeyDetector, "sk-..."),
    (d.OpenAIProjectKeyDetector, "sk-proj-" + "x" * 60),
    (d.OpenAIProjectKeyDetector, "sk-proj-YOUR_OPENAI_API_KEY_GOES_HERE_0123456789abcdefghij"),
    (d.OpenAIProjectKeyDetector, "sk-proj-short1234"),
    (d.OpenAIProjectKeyDetector, "task-" + rnd(48)),
    (d.AnthropicKeyDetector, "sk-ant-api03-YOUR-KEY"),
    (d.AnthropicKeyDetector, "sk-ant-api03-" + "a1" * 40),
    (d.HuggingFaceTokenDetector, "hf_" + "x" * 34),
    (d.HuggingFaceTokenDetector, "hf_token"),
    (d.GoogleAIKeyDetector, "AIzaSyEXAMPLE_EXAMPLE_EXAMPLE_EXAMPL"),
    (d.GroqKeyDetector, "gsk_" + "0123456789" * 5 + "ab"),
    (d.XAIKeyDetector, "xai-sdk"),
    (d.PerplexityKeyDetector, "pplx-" + "*" * 48),
    (d.ReplicateTokenDetector, "r8_placeholder_placeholder_placeholder1"),
    (d.OpenRouterKeyDetector, "sk-or-v1-" + "0" * 64),
    (d.LangSmithKeyDetector, "lsv2_pt_your_key"),
    (d.PineconeKeyDetector, "pcsk_abc"),
    (d.FireworksKeyDetector, "fw_xxxxxxxxxxxxxxxxxxxxxxxx"),
    (d.TogetherKeyDetector, "tgp_v1_<your-key>"),
    (d.TavilyKeyDetector, "tvly-YOUR_API_KEY"),
]


@pytest.mark.parametrize(("detector", "key"), POSITIVE, ids=lambda v: getattr(v, "__name__", "key"))
def test_detector_finds_its_key_format(detector: type[d._LlmKeyDetector], key: str) -> None:
    line = f'API_KEY = "{key}"  # committed by mistake'
    assert list(detector().analyze_string(line)) == [key]


@pytest.mark.parametrize(
    ("detector", "text"), NEGATIVE, ids=lambda v: getattr(v, "__name__", "text")
)
def test_detector_ignores_placeholders_and_near_misses(
    detector: type[d._LlmKeyDetector], text: str
) -> None:
    assert list(detector().analyze_string(f'API_KEY = "{text}"')) == []


def test_every_detector_has_positive_and_negative_examples() -> None:
    detectors = {
        obj
        for obj in vars(d).values()
        if isinstance(obj, type)
        and issubclass(obj, d._LlmKeyDetector)
        and obj is not d._LlmKeyDetector
    }
    assert {cls for cls, _ in POSITIVE} == detectors
    assert {cls for cls, _ in NEGATIVE} == detectors


def test_no_detector_fires_on_ordinary_code() -> None:
    code = """
import os
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
model = "gpt-4o-mini"  # see https://platform.openai.com/docs/models
task_id = "sk-learn-pipeline-configuration-for-the-ranking-step-v2"
hf_hub_download(repo_id="sentence-transformers/all-MiniLM-L6-v2", filename="config.json")
"""
    for cls in {cls for cls, _ in POSITIVE}:
        for line in code.splitlines():
            assert list(cls().analyze_string(line)) == [], (cls.__name__, line)
