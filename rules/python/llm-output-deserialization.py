# Fixtures for llmsecops/llm-output-deserialization. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import base64
import json
import marshal
import pickle

import anthropic
import dill
import jsonpickle
import yaml
from agents import function_tool
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from mcp.server.fastmcp import FastMCP
from openai import OpenAI
from pydantic import BaseModel

client = OpenAI()
claude = anthropic.Anthropic()
llm = ChatOpenAI(model="gpt-4o")
mcp = FastMCP("state")


class Plan(BaseModel):
    steps: list[str]


def plan_from_yaml(goal: str) -> dict:
    raw = llm.invoke(f"Return a YAML plan to {goal}.").content
    # ruleid: llmsecops/llm-output-deserialization
    return yaml.load(raw, Loader=yaml.Loader)


def unsafe_yaml_openai(goal: str) -> dict:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": goal}])
    # ruleid: llmsecops/llm-output-deserialization
    return yaml.unsafe_load(resp.choices[0].message.content)


@mcp.tool()
def restore_session(state_b64: str) -> str:
    """Restore a saved agent session."""
    # ruleid: llmsecops/llm-output-deserialization
    state = pickle.loads(base64.b64decode(state_b64))
    return f"restored {len(state)} items"


@tool
def load_object(blob: str) -> str:
    """Load a serialized Python object."""
    # ruleid: llmsecops/llm-output-deserialization
    return repr(jsonpickle.decode(blob))


def openai_tool_loop(messages: list) -> None:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=TOOLS)
    for call in resp.choices[0].message.tool_calls or []:
        args = json.loads(call.function.arguments)
        if call.function.name == "run_cached":
            # ruleid: llmsecops/llm-output-deserialization
            fn = marshal.loads(bytes.fromhex(args["code"]))
            messages.append({"role": "tool", "tool_call_id": call.id, "content": str(fn)})


def claude_loader(task: str):
    resp = claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[{"role": "user", "content": task}])
    for block in resp.content:
        if block.type == "tool_use":
            # ruleid: llmsecops/llm-output-deserialization
            return dill.loads(base64.b64decode(block.input["payload"]))


# --- Safe variants -----------------------------------------------------------------
def plan_safe_yaml(goal: str) -> dict:
    raw = llm.invoke(f"Return a YAML plan to {goal}.").content
    # ok: llmsecops/llm-output-deserialization
    return yaml.safe_load(raw)


def plan_safe_loader(goal: str) -> dict:
    raw = llm.invoke(f"Return a YAML plan to {goal}.").content
    # ok: llmsecops/llm-output-deserialization
    return yaml.load(raw, Loader=yaml.SafeLoader)


def plan_json(goal: str) -> Plan:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": goal}])
    # ok: llmsecops/llm-output-deserialization
    return Plan.model_validate(json.loads(resp.choices[0].message.content))


@function_tool
def load_cache(key: str) -> str:
    """Load a cached result by key."""
    # The YAML comes from the app's own file; the model only picks a known key.
    # ok: llmsecops/llm-output-deserialization
    with open("cache.yaml") as fh:
        cache = yaml.load(fh, Loader=yaml.Loader)
    return str(cache.get(key))


def load_local_state(path: str):
    # A developer function's own argument: not model output.
    with open(path, "rb") as fh:
        # ok: llmsecops/llm-output-deserialization
        return marshal.loads(fh.read())


def restore(kind, payload):
    if kind == "session":
        # ruleid: llmsecops/llm-output-deserialization
        return pickle.loads(base64.b64decode(payload["blob"]))
    # ok: llmsecops/llm-output-deserialization
    return yaml.safe_load(payload["yaml"])


def on_message(resp) -> list:
    results = []
    for block in resp.content:
        if block.type == "tool_use":
            results.append(restore(block.name, block.input))
    return results
