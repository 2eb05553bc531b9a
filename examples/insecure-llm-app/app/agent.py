"""Tools DocBot's agent mode may call, and the loop that dispatches them.

The model picks a tool and writes its arguments, so every argument here is
untrusted model output. Planted problems carry a trailing VULNERABLE
comment, their safe twins a trailing SAFE comment.
"""
import ast
import inspect
import json
import subprocess  # VULNERABLE: subprocess imported to back model-driven tools (bandit B404)
import sys
from pathlib import Path

from openai import OpenAI

from app.llm import AGENT_SYSTEM_PROMPT, MODEL

client = OpenAI()
LOG_DIR = Path("/var/log/docbot")
TOOLS = {}  # tools exposed to the model in the insecure agent
SAFE_TOOLS = {}  # the same tools, written safely


def tool(registry: dict):
    """Register a function so the model can call it by name."""
    def register(fn):
        registry[fn.__name__.removesuffix("_safe")] = fn
        return fn
    return register


@tool(TOOLS)
def search_logs(pattern: str) -> str:
    """Search the service logs for a text pattern."""
    result = subprocess.run(f"grep -rn '{pattern}' {LOG_DIR}", shell=True, capture_output=True, text=True)  # VULNERABLE: model-chosen pattern interpolated into a shell command
    return result.stdout[-4000:]


@tool(SAFE_TOOLS)
def search_logs_safe(pattern: str) -> str:
    """Search the service logs for a text pattern."""
    hits = []
    for path in sorted(LOG_DIR.rglob("*.log")):
        for lineno, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if pattern in line:  # SAFE: pattern is matched as plain text in Python, no shell involved
                hits.append(f"{path}:{lineno}:{line}")
    return "\n".join(hits)[-4000:]


@tool(TOOLS)
def run_python(code: str) -> str:
    """Run a Python snippet for calculations and return its output."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=10)  # VULNERABLE: model-written code executed on the host
    return result.stdout[-4000:]


@tool(SAFE_TOOLS)
def run_python_safe(code: str) -> str:
    """Evaluate a Python literal (number, list, dict) and return it normalised."""
    return repr(ast.literal_eval(code))  # SAFE: literal_eval accepts data literals only, never code


def parse_arguments(raw: str) -> dict:
    return eval(raw)  # VULNERABLE: eval of model-written tool arguments


def parse_arguments_safe(raw: str) -> dict:
    return json.loads(raw)  # SAFE: tool arguments parsed as JSON data


def tool_specs(registry: dict) -> list[dict]:
    """OpenAI function-calling specs: every tool takes string parameters."""
    specs = []
    for name, fn in registry.items():
        params = {p: {"type": "string"} for p in inspect.signature(fn).parameters}
        schema = {"type": "object", "properties": params, "required": list(params)}
        specs.append({"type": "function", "function": {"name": name, "description": fn.__doc__, "parameters": schema}})
    return specs


def run_agent(task: str, safe: bool = False) -> list[str]:
    """One planning step: ask the model which tools to call, then call them."""
    registry = SAFE_TOOLS if safe else TOOLS
    reply = client.chat.completions.create(model=MODEL, max_tokens=512, messages=[{"role": "system", "content": AGENT_SYSTEM_PROMPT}, {"role": "user", "content": task}], tools=tool_specs(registry))  # SAFE: constant system prompt, task sent alone as user content
    outputs = []
    for call in reply.choices[0].message.tool_calls or []:
        args = parse_arguments_safe(call.function.arguments) if safe else parse_arguments(call.function.arguments)
        outputs.append(registry[call.function.name](**args))
    return outputs
