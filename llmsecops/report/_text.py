"""Helpers for showing untrusted text (paths, code, tool messages)."""

from __future__ import annotations

import re

# C0/C1 control characters (ESC among them) except tab; they could move the
# cursor, recolour or rewrite a terminal, or hide text in a log.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Make ``text`` safe for a terminal: control characters become visible escapes."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)
