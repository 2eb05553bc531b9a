"""Secrets committed where deploy-time injection belongs.

A credential in a CI workflow's literal ``env``, a Dockerfile ``ENV``/``ARG``
(baked into every image layer), a docker-compose file or a Kubernetes
manifest means the pipeline's secret store was bypassed: the value ships with
every copy of the repository and every image built from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePosixPath

from llmsecops import rulepack
from llmsecops.model import Confidence, Finding, RuleId, RuleMeta, ScannerName, Severity

RULE = RuleMeta(
    id=RuleId("llmsecops/secret-in-deploy-config"),
    scanner=ScannerName("secrets"),
    name="Secret in deployment configuration",
    short_description="A secret is written into CI, container or cluster configuration",
    full_description=(
        "A credential is committed in a CI workflow, a Dockerfile ENV/ARG, a docker-compose "
        "file or a Kubernetes manifest instead of being injected at deploy time from a secret "
        "store."
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=("CWE-798", "CWE-522"),
    owasp_llm=("LLM02:2025",),
    fix="Move the value to the platform's secret store (CI secrets, build secrets, "
    "Kubernetes Secrets from a vault) and reference it; rotate the committed value.",
)
_DOCKER_ENV = re.compile(r"^\s*(ENV|ARG)\s", re.IGNORECASE)
_COMPOSE = re.compile(r"^(docker-)?compose([.\-][\w.\-]+)?\.ya?ml$")
_CI_FILES = {".gitlab-ci.yml", "Jenkinsfile", "azure-pipelines.yml", "bitbucket-pipelines.yml"}


def context(path: str, lines: Sequence[str], line: int) -> str | None:
    """Where a secret at ``path:line`` leaks further, or None."""
    p = PurePosixPath(path)
    name = p.name
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    yaml_file = name.endswith((".yml", ".yaml"))
    if yaml_file and (path.startswith(".github/workflows/") or path.startswith(".circleci/")):
        return "a CI workflow"
    if name in _CI_FILES:
        return "a CI pipeline definition"
    if name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(".Dockerfile"):
        return (
            "a Dockerfile ENV/ARG (baked into every image layer)"
            if _DOCKER_ENV.match(text)
            else None
        )
    if _COMPOSE.match(name):
        return "a docker-compose file"
    if yaml_file:
        head = "\n".join(lines[:200])
        if re.search(r"^apiVersion:", head, re.MULTILINE) and re.search(
            r"^kind:", head, re.MULTILINE
        ):
            return "a Kubernetes manifest"
    return None


def finding(secret: Finding, where: str) -> Finding:
    preview = secret.secret.preview if secret.secret else "a secret"
    return Finding.create(
        rule_id=RULE.id,
        scanner=RULE.scanner,
        severity=RULE.severity,
        confidence=RULE.confidence,
        message=(
            f"Secret {preview} is committed in {where}: deploy-time injection was skipped. "
            "Reference it from the platform's secret store instead, and rotate it."
        ),
        location=secret.location,
        cwe=RULE.cwe,
        owasp_llm=RULE.owasp_llm,
        secret=secret.secret,
    )


def rule() -> RuleMeta:
    return replace(
        RULE, help_uri=rulepack.help_uri(RULE.id), help_markdown=rulepack.doc_text(RULE.id)
    )
