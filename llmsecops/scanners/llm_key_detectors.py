"""detect-secrets plugins for current LLM-provider key formats.

detect-secrets loads this file with ``--plugin``, so it must import nothing
but detect-secrets and the standard library. Each detector is a type name
and a regex (non-capturing groups only: detect-secrets hashes what
``findall`` returns, and a capturing group would make it hash a fragment).
Placeholders (``sk-proj-xxxx…``, ``YOUR_KEY``, repeated or sequential
characters) are dropped before they become findings.
"""

from __future__ import annotations

import re
from collections.abc import Generator

from detect_secrets.plugins.base import RegexBasedDetector

_PLACEHOLDER_WORDS = re.compile(
    r"x{4,}|your|example|placeholder|dummy|redacted|replace|changeme|fake|sample|[*.]{3,}"
    r"|0123456|1234567|abcdefg",
    re.IGNORECASE,
)


def looks_real(token: str, prefix_len: int) -> bool:
    """Random key material: varied characters, letters and digits, no filler words."""
    body = token[prefix_len:]
    if _PLACEHOLDER_WORDS.search(body):
        return False
    if len(set(body)) < 10:
        return False
    return any(c.isdigit() for c in body) and any(c.isalpha() for c in body)


class _LlmKeyDetector(RegexBasedDetector):
    prefix_len = 4

    def analyze_string(self, string: str) -> Generator[str, None, None]:
        for token in super().analyze_string(string):
            if looks_real(token, self.prefix_len):
                yield token


class OpenAIProjectKeyDetector(_LlmKeyDetector):
    """OpenAI project, service-account and admin keys, and 48-character legacy keys."""

    secret_type = "OpenAI API Key"
    prefix_len = 3
    denylist = (
        re.compile(r"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}"),
        re.compile(r"\bsk-[A-Za-z0-9]{48}\b"),
    )


class AnthropicKeyDetector(_LlmKeyDetector):
    secret_type = "Anthropic API Key"
    prefix_len = 13
    denylist = (re.compile(r"\bsk-ant-(?:api03|admin01)-[A-Za-z0-9_\-]{60,}"),)


class HuggingFaceTokenDetector(_LlmKeyDetector):
    secret_type = "Hugging Face Token"
    prefix_len = 3
    denylist = (re.compile(r"\bhf_[A-Za-z0-9]{30,40}\b"),)


class GoogleAIKeyDetector(_LlmKeyDetector):
    secret_type = "Google API Key"
    denylist = (re.compile(r"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),)


class GroqKeyDetector(_LlmKeyDetector):
    secret_type = "Groq API Key"
    denylist = (re.compile(r"\bgsk_[A-Za-z0-9]{48,56}\b"),)


class XAIKeyDetector(_LlmKeyDetector):
    secret_type = "xAI API Key"
    denylist = (re.compile(r"\bxai-[A-Za-z0-9]{60,100}\b"),)


class PerplexityKeyDetector(_LlmKeyDetector):
    secret_type = "Perplexity API Key"
    prefix_len = 5
    denylist = (re.compile(r"\bpplx-[A-Za-z0-9]{40,60}\b"),)


class ReplicateTokenDetector(_LlmKeyDetector):
    secret_type = "Replicate API Token"
    prefix_len = 3
    denylist = (re.compile(r"\br8_[A-Za-z0-9]{30,40}\b"),)


class OpenRouterKeyDetector(_LlmKeyDetector):
    secret_type = "OpenRouter API Key"
    prefix_len = 9
    denylist = (re.compile(r"\bsk-or-v1-[a-f0-9]{64}\b"),)


class LangSmithKeyDetector(_LlmKeyDetector):
    secret_type = "LangSmith API Key"
    prefix_len = 8
    denylist = (re.compile(r"\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b"),)


class PineconeKeyDetector(_LlmKeyDetector):
    secret_type = "Pinecone API Key"
    prefix_len = 5
    denylist = (re.compile(r"\bpcsk_[A-Za-z0-9]{4,10}_[A-Za-z0-9]{40,80}\b"),)


class FireworksKeyDetector(_LlmKeyDetector):
    secret_type = "Fireworks API Key"
    prefix_len = 3
    denylist = (re.compile(r"\bfw_[A-Za-z0-9]{20,40}\b"),)


class TogetherKeyDetector(_LlmKeyDetector):
    secret_type = "Together API Key"
    prefix_len = 7
    denylist = (re.compile(r"\btgp_v1_[A-Za-z0-9_\-]{40,}"),)


class TavilyKeyDetector(_LlmKeyDetector):
    secret_type = "Tavily API Key"
    prefix_len = 5
    denylist = (re.compile(r"\btvly-(?:dev-|prod-)?[A-Za-z0-9]{32}\b"),)
