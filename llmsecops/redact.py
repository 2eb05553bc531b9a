"""How a secret may appear in output: its first four characters and its length."""

from __future__ import annotations

import hashlib

MASK = "****"


def preview(secret: str) -> str:
    if len(secret) <= 8:
        # Too short to show any of it without giving most of it away.
        return f"{MASK} ({len(secret)} chars)"
    return f"{secret[:4]}… ({len(secret)} chars)"


def sha1(secret: str) -> str:
    # detect-secrets' own baseline hash, so results line up with its baselines.
    return hashlib.sha1(secret.encode("utf-8")).hexdigest()  # noqa: S324 - identifier, not security


def mask_all(text: str, secrets: list[str]) -> str:
    """Replace every occurrence of every secret in ``text``."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret and secret in text:
            text = text.replace(secret, preview(secret))
    return text
