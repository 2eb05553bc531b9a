"""Repository maintenance agent built on the Anthropic Messages API tool_use loop."""

import json
import logging
import subprocess
import sys
from pathlib import Path

import anthropic
import requests

log = logging.getLogger("repo-agent")

TOOLS = [
    {
        "name": "run",
        "description": "Run a shell command in the repository",
        "input_schema": {
            "type": "object",
            "properties": {"command": {"type": "string"}},
            "required": ["command"],
        },
    },
    {
        "name": "evaluate",
        "description": "Evaluate a Python expression",
        "input_schema": {
            "type": "object",
            "properties": {"expression": {"type": "string"}},
            "required": ["expression"],
        },
    },
    {
        "name": "git_log",
        "description": "Show recent commits",
        "input_schema": {"type": "object", "properties": {"limit": {"type": "integer"}}},
    },
    {
        "name": "notify",
        "description": "Post a message to a webhook",
        "input_schema": {
            "type": "object",
            "properties": {
                "webhook_url": {"type": "string"},
                "channel": {"type": "string"},
                "text": {"type": "string"},
            },
        },
    },
]
WEBHOOKS = {
    "ci": "https://hooks.example.com/services/T000/B000/ci",
    "release": "https://hooks.example.com/services/T000/B000/release",
}
BASE_SYSTEM = "You maintain this repository. Use the tools; explain each step."


class RepoAgent:
    def __init__(self, repo: Path, model: str = "claude-sonnet-4-5") -> None:
        self.client = anthropic.Anthropic()
        self.repo = repo
        self.model = model

    def run_tool(self, name: str, tool_input: dict) -> str:
        if name == "run":
            return subprocess.check_output(  # vuln: tool-output-sinks
                tool_input["command"], shell=True, cwd=self.repo, text=True
            )
        if name == "evaluate":
            return repr(eval(tool_input["expression"]))  # vuln: tool-output-sinks
        if name == "git_log":
            limit = max(1, min(int(tool_input.get("limit", 10)), 50))
            return subprocess.run(  # safe: tool-output-sinks
                ["git", "-C", str(self.repo), "log", "--oneline", "-n", str(limit)],
                capture_output=True,
                text=True,
            ).stdout
        if name == "notify":
            if "webhook_url" in tool_input:
                resp = requests.post(  # vuln: tool-output-sinks
                    tool_input["webhook_url"], json={"text": tool_input["text"]}, timeout=10
                )
            else:
                resp = requests.post(  # safe: tool-output-sinks
                    WEBHOOKS[tool_input["channel"]], json={"text": tool_input["text"]}, timeout=10
                )
            return str(resp.status_code)
        return f"unknown tool {name}"

    def conventions(self) -> str:
        guide = self.repo / "CONTRIBUTING.md"
        return guide.read_text() if guide.exists() else ""

    def loop(self, task: str, system: str) -> str:
        messages = [{"role": "user", "content": task}]
        for _ in range(10):
            response = self.client.messages.create(
                model=self.model, max_tokens=2048, system=system, tools=TOOLS, messages=messages
            )
            messages.append({"role": "assistant", "content": response.content})
            if response.stop_reason != "tool_use":
                return "".join(b.text for b in response.content if b.type == "text")
            results = []
            for block in response.content:
                if block.type == "tool_use":
                    log.info("tool %s id=%s", block.name, block.id)  # safe: client-config
                    results.append(
                        {
                            "type": "tool_result",
                            "tool_use_id": block.id,
                            "content": self.run_tool(block.name, block.input),
                        }
                    )
            messages.append({"role": "user", "content": results})
        return "step limit reached"

    def triage_issue(self, issue_body: str) -> str:
        reply = self.client.messages.create(  # vuln: prompt-injection
            model=self.model,
            max_tokens=1024,
            system=f"{BASE_SYSTEM}\nProject conventions:\n{self.conventions()}\nIssue under triage:\n{issue_body}",
            messages=[{"role": "user", "content": "Label this issue and suggest an owner."}],
        )
        return reply.content[0].text

    def triage_issue_safe(self, issue_body: str) -> str:
        reply = self.client.messages.create(  # safe: prompt-injection
            model=self.model,
            max_tokens=1024,
            system=BASE_SYSTEM,
            messages=[{"role": "user", "content": issue_body}],
        )
        return reply.content[0].text


if __name__ == "__main__":
    agent = RepoAgent(Path(sys.argv[1]).resolve())
    print(json.dumps({"result": agent.loop(" ".join(sys.argv[2:]), BASE_SYSTEM)}))
