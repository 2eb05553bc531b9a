"""Exit codes and the errors that map onto them.

Every error carries its exit code; only ``cli`` turns one into a process exit.
Messages are one line a user can act on: what went wrong and where.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0  # scan complete; nothing unsuppressed at or above --fail-on
    FINDINGS = 1  # findings at or above --fail-on
    USAGE = 2  # usage or configuration error
    INCOMPLETE = 3  # a scanner failed, timed out, or could not reach its data; outranks 1
    NOTHING_TO_SCAN = 4  # the file set is empty


class LlmsecopsError(Exception):
    exit_code: ExitCode = ExitCode.INCOMPLETE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(LlmsecopsError):
    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """A configuration file or value is invalid; the message names the key path."""


class NothingToScanError(LlmsecopsError):
    exit_code = ExitCode.NOTHING_TO_SCAN


class ScannerError(LlmsecopsError):
    """A scanner could not run or produced output we cannot trust."""

    exit_code = ExitCode.INCOMPLETE
