"""Native checks that semgrep cannot express (token age from git history,
secrets in deployment configuration)."""

from __future__ import annotations

from llmsecops.model import RuleMeta


def native_rules() -> tuple[RuleMeta, ...]:
    from llmsecops.checks import deploy_secrets, token_age

    return (*token_age.rules(), deploy_secrets.rule())
