"""Scanner adapters. The registry is an explicit list: no import-time discovery.

Imports happen inside ``default_scanners`` so that importing
``llmsecops.scanners._process`` (which the workspace needs for git) does not
pull in every adapter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmsecops.scanners.base import Scanner


def default_scanners() -> list[Scanner]:
    from llmsecops.scanners.bandit import BanditScanner
    from llmsecops.scanners.dependencies import DependenciesScanner
    from llmsecops.scanners.secrets import SecretsScanner
    from llmsecops.scanners.semgrep import SemgrepScanner

    return [BanditScanner(), SemgrepScanner(), SecretsScanner(), DependenciesScanner()]
