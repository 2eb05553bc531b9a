"""Command-line DevOps assistant using OpenAI chat completions with function calling."""

import json
import os
import pickle
import re
import subprocess
import sys
from base64 import b64decode
from pathlib import Path

from openai import OpenAI

import tools

client = OpenAI()
MODEL = os.environ.get("ASSISTANT_MODEL", "gpt-4o")
WORKDIR = Path.cwd().resolve()
SYSTEM = "You are a DevOps assistant. Use the functions to inspect the local repository."

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "archive_logs",
            "parameters": {
                "type": "object",
                "properties": {"name": {"type": "string"}},
                "required": ["name"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "show_file",
            "parameters": {
                "type": "object",
                "properties": {"path": {"type": "string"}},
                "required": ["path"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "recent_commits",
            "parameters": {"type": "object", "properties": {"count": {"type": "integer"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "restore_session",
            "parameters": {"type": "object", "properties": {"blob": {"type": "string"}}},
        },
    },
    {
        "type": "function",
        "function": {
            "name": "lookup_order",
            "parameters": {"type": "object", "properties": {"customer": {"type": "string"}}},
        },
    },
]


def handle_call(call) -> str:
    args = json.loads(call.function.arguments)
    name = call.function.name
    if name == "archive_logs":
        os.system(f"tar czf /tmp/{args['name']}.tgz /var/log/app")  # vuln: tool-output-sinks
        return "archived"
    if name == "archive_logs_checked":
        label = args["name"]
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", label):
            return "invalid name"
        subprocess.run(  # safe: tool-output-sinks
            ["tar", "czf", f"/tmp/{label}.tgz", "/var/log/app"], check=True
        )
        return "archived"
    if name == "show_file":
        return open(args["path"]).read()  # vuln: tool-output-sinks
    if name == "show_file_checked":
        target = (WORKDIR / args["path"]).resolve()
        if WORKDIR not in target.parents:
            return "outside the repository"
        return target.read_text()  # safe: tool-output-sinks
    if name == "recent_commits":
        count = int(args.get("count", 5))
        out = subprocess.run(  # safe: tool-output-sinks
            ["git", "log", "--oneline", "-n", str(count)], capture_output=True, text=True
        )
        return out.stdout
    if name == "restore_session":
        state = pickle.loads(b64decode(args["blob"]))  # vuln: tool-output-sinks
        return f"restored {len(state)} items"
    if name == "lookup_order":
        return tools.lookup_order(args["customer"])
    if name == "lookup_order_checked":
        return tools.lookup_order_safe(args["customer"])
    return f"unknown function {name}"


def run(task: str) -> str:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": task}]
    while True:
        response = client.chat.completions.create(  # vuln: client-config
            model=MODEL, messages=messages, tools=TOOLS
        )
        msg = response.choices[0].message
        messages.append(msg)
        if not msg.tool_calls:
            return msg.content
        for call in msg.tool_calls:
            messages.append({"role": "tool", "tool_call_id": call.id, "content": handle_call(call)})


def run_bounded(task: str, max_turns: int = 6) -> str:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": task}]
    for _ in range(max_turns):
        response = client.chat.completions.create(  # safe: client-config
            model=MODEL,
            messages=messages,
            tools=TOOLS,
            max_tokens=1000,
        )
        msg = response.choices[0].message
        messages.append(msg)
        if not msg.tool_calls:
            return msg.content
        for call in msg.tool_calls:
            messages.append({"role": "tool", "tool_call_id": call.id, "content": handle_call(call)})
    return "gave up"


if __name__ == "__main__":
    print(run_bounded(" ".join(sys.argv[1:])))
