from __future__ import annotations

import pytest

from llmsecops.checks.deploy_secrets import context

K8S = ["apiVersion: v1", "kind: ConfigMap", "data:", "  OPENAI_API_KEY: sk-..."]


@pytest.mark.parametrize(
    ("path", "lines", "line", "expected"),
    [
        (".github/workflows/ci.yml", ["env:", "  KEY: v"], 2, "a CI workflow"),
        (".gitlab-ci.yml", ["variables:", "  KEY: v"], 2, "a CI pipeline definition"),
        (
            "Dockerfile",
            ["FROM x", "ENV KEY=v"],
            2,
            "a Dockerfile ENV/ARG (baked into every image layer)",
        ),
        (
            "deploy/api.Dockerfile",
            ["ARG TOKEN=v"],
            1,
            "a Dockerfile ENV/ARG (baked into every image layer)",
        ),
        ("Dockerfile", ["FROM x", "RUN echo v"], 2, None),
        ("docker-compose.prod.yml", ["services:", "  KEY: v"], 2, "a docker-compose file"),
        ("compose.yaml", ["services:"], 1, "a docker-compose file"),
        ("k8s/config.yaml", K8S, 4, "a Kubernetes manifest"),
        ("config/settings.yaml", ["llm:", "  key: v"], 2, None),
        ("app/settings.py", ["KEY = 'v'"], 1, None),
    ],
)
def test_context(path: str, lines: list[str], line: int, expected: str | None) -> None:
    assert context(path, lines, line) == expected
