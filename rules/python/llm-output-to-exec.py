# Fixtures for llmsecops/llm-output-to-exec. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import ast
import asyncio
import importlib
import json
import os
import shlex
import subprocess
import sys

import anthropic
import pexpect
from agents import Agent, Runner, function_tool
from langchain_core.tools import tool
from langchain_experimental.utilities import PythonREPL
from langchain_openai import ChatOpenAI
from mcp.server.fastmcp import FastMCP
from openai import AsyncOpenAI, OpenAI
from pydantic import BaseModel

client = OpenAI()
aclient = AsyncOpenAI()
claude = anthropic.Anthropic()
mcp = FastMCP("devbox")
llm = ChatOpenAI(model="gpt-4o-mini")

ALLOWED_COMMANDS = {"ls", "pwd", "whoami", "uptime"}
PLUGINS = {"weather", "calendar"}


# --- OpenAI function-calling loop -------------------------------------------------
def openai_agent_loop(question: str) -> str:
    messages = [{"role": "user", "content": question}]
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=TOOLS_SCHEMA)
    for call in resp.choices[0].message.tool_calls or []:
        args = json.loads(call.function.arguments)
        if call.function.name == "run_shell":
            # ruleid: llmsecops/llm-output-to-exec
            out = subprocess.run(args["command"], shell=True, capture_output=True, text=True)
            messages.append({"role": "tool", "tool_call_id": call.id, "content": out.stdout})
        elif call.function.name == "calculator":
            # ruleid: llmsecops/llm-output-to-exec
            value = eval(args["expression"])
            messages.append({"role": "tool", "tool_call_id": call.id, "content": str(value)})
    return messages[-1]["content"]


def handle_tool_call(tool_call) -> str:
    # A separate dispatcher: the arguments string itself is model output.
    params = json.loads(tool_call.function.arguments)
    argv = shlex.split(params["cmd"])
    # ruleid: llmsecops/llm-output-to-exec
    return subprocess.check_output(argv, text=True)


def parse_tool_args(raw: str) -> dict:
    # Called below with the raw tool-call arguments.
    # ruleid: llmsecops/llm-output-to-exec
    return eval(raw)


def dispatch(resp) -> list:
    outputs = []
    for call in resp.choices[0].message.tool_calls or []:
        outputs.append(parse_tool_args(call.function.arguments))
    return outputs


@tool
def python_exec(code: str) -> str:
    """Run Python code and return stdout."""
    # ruleid: llmsecops/llm-output-to-exec
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=10).stdout


# --- Anthropic tool_use loop -------------------------------------------------------
def claude_loop(task: str) -> None:
    resp = claude.messages.create(
        model="claude-sonnet-4-5", max_tokens=1024, tools=[BASH_TOOL], messages=[{"role": "user", "content": task}]
    )
    for block in resp.content:
        if block.type == "tool_use" and block.name == "bash":
            # ruleid: llmsecops/llm-output-to-exec
            os.system(block.input["command"])


def run_tool_block(block) -> str:
    if block.type == "tool_use":
        code = block.input.get("code", "")
        scope: dict = {}
        # ruleid: llmsecops/llm-output-to-exec
        exec(code, scope)
        return str(scope.get("result"))
    return ""


# --- Model text executed directly --------------------------------------------------
def ask_for_command(goal: str) -> str:
    completion = client.chat.completions.create(
        model="gpt-4o", max_tokens=512, messages=[{"role": "system", "content": "Reply with one shell command."}, {"role": "user", "content": goal}]
    )
    return completion.choices[0].message.content.strip()


def do_goal(goal: str) -> None:
    command = ask_for_command(goal)
    # ruleid: llmsecops/llm-output-to-exec
    with os.popen(command) as pipe:
        print(pipe.read())


async def async_runner(goal: str) -> bytes:
    r = await aclient.responses.create(model="gpt-4.1", max_output_tokens=512, input=f"Write a bash one-liner to {goal}")
    # ruleid: llmsecops/llm-output-to-exec
    proc = await asyncio.create_subprocess_shell(r.output_text, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return out


def langchain_codegen(task: str) -> None:
    code = llm.invoke(f"Write Python that {task}. Only code.").content
    # ruleid: llmsecops/dangerous-agent-tool
    repl = PythonREPL()
    # ruleid: llmsecops/llm-output-to-exec
    repl.run(code)


def load_plugin_from_model(task: str):
    name = llm.invoke(task).content
    # ruleid: llmsecops/llm-output-to-exec
    return importlib.import_module(f"plugins.{name}")


# --- Functions exposed to the model as tools ----------------------------------------
@tool
def terminal(command: str) -> str:
    """Run a terminal command on the host."""
    # ruleid: llmsecops/llm-output-to-exec
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True).stdout


@mcp.tool()
async def run_script(interpreter: str, path: str) -> str:
    """Run a script with the given interpreter."""
    # ruleid: llmsecops/llm-output-to-exec
    proc = await asyncio.create_subprocess_exec(interpreter, path, stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return out.decode()


@function_tool
def ssh_shell(host: str, command: str) -> str:
    """Open an interactive session."""
    # ruleid: llmsecops/llm-output-to-exec
    child = pexpect.spawn(f"ssh {host} {command}")
    return child.read().decode()


def git_tool(subcommand: str) -> str:
    # Plain function registered in tools=[...] below.
    # ruleid: llmsecops/llm-output-to-exec
    return subprocess.run([subcommand, "--no-pager"], capture_output=True, text=True).stdout


assistant = Agent(name="devops", instructions="Help with the repo.", tools=[git_tool])


# --- Safe variants -----------------------------------------------------------------
class ShellArgs(BaseModel):
    command: str


@tool
def safe_terminal(command: str) -> str:
    """Run one of a few read-only commands."""
    if command not in ALLOWED_COMMANDS:
        raise ValueError(f"command not allowed: {command}")
    # ok: llmsecops/llm-output-to-exec
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


@mcp.tool()
def grep_repo(pattern: str) -> str:
    """Search the repository."""
    # ok: llmsecops/llm-output-to-exec
    return subprocess.run(f"grep -rn {shlex.quote(pattern)} src/", shell=True, capture_output=True, text=True).stdout


@function_tool
def list_dir(path: str) -> str:
    """List a directory."""
    # Argument list with a fixed program and no shell.
    # ok: llmsecops/llm-output-to-exec
    return subprocess.run(["ls", "-la", "--", path], capture_output=True, text=True).stdout


def claude_plugins(resp) -> None:
    for block in resp.content:
        if block.type == "tool_use":
            name = block.input["plugin"]
            if name in PLUGINS:
                # ok: llmsecops/llm-output-to-exec
                importlib.import_module(f"plugins.{name}")


def validated_tool_call(tool_call) -> None:
    args = ShellArgs.model_validate_json(tool_call.function.arguments)
    # ok: llmsecops/llm-output-to-exec
    os.system(args.command)


MAINTENANCE_TASKS = {"disk": "df -h", "memory": "free -m"}


@tool
def run_maintenance(task: str) -> str:
    """Run a predefined maintenance task."""
    command = MAINTENANCE_TASKS[task]
    # ok: llmsecops/llm-output-to-exec
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


def timeout_tool(seconds: str) -> None:
    # ok: llmsecops/llm-output-to-exec
    os.system("sleep %d" % int(seconds))


def not_a_tool(command: str) -> None:
    # A developer script's own argument, not model output.
    # ok: llmsecops/llm-output-to-exec
    subprocess.run(command, shell=True)


def constant_command(history: list) -> str:
    answer = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": "hi"}])
    history.append(answer.choices[0].message.content)
    # ok: llmsecops/llm-output-to-exec
    return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True)


async def agent_answer(q: str) -> None:
    result = await Runner.run(assistant, q)
    # Parsed as a literal, not evaluated.
    # ok: llmsecops/llm-output-to-exec
    return ast.literal_eval(result.final_output)


# --- Dispatchers: the tool-call arguments are handed to another function -------------
class RepoBot:
    """A Messages API tool_use loop whose tools run in a separate method."""

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.client = anthropic.Anthropic()

    def execute(self, tool_name: str, params: dict) -> str:
        if tool_name == "sh":
            # ruleid: llmsecops/llm-output-to-exec
            return subprocess.run(params["cmd"], shell=True, cwd=self.workdir, capture_output=True, text=True).stdout
        if tool_name == "calc":
            # ruleid: llmsecops/llm-output-to-exec
            return str(eval(params["expr"]))
        return "unknown tool"

    def describe(self, label: str) -> str:
        # Called only with constant text.
        # ok: llmsecops/llm-output-to-exec
        return subprocess.check_output("echo " + label, shell=True, text=True)

    def turn(self, history: list) -> list:
        reply = self.client.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=history)
        outputs = []
        for part in reply.content:
            if part.type == "tool_use":
                outputs.append({"type": "tool_result", "tool_use_id": part.id, "content": self.execute(part.name, part.input)})
        outputs.append(self.describe("turn finished"))
        return outputs


def handle_function(name, arguments):
    if name == "run_script":
        # ruleid: llmsecops/llm-output-to-exec
        os.system("bash -c '%s'" % arguments["script"])


def chat_with_functions(messages: list) -> None:
    completion = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=[])
    for tc in completion.choices[0].message.tool_calls or []:
        parsed = json.loads(tc.function.arguments)
        handle_function(tc.function.name, parsed)


def restart_service(service=None):
    # ruleid: llmsecops/llm-output-to-exec
    subprocess.run("systemctl restart " + service, shell=True, check=False)


def tail_log(path):
    # ruleid: llmsecops/llm-output-to-exec
    os.system(f"tail -n 50 {path}")


def report_done(summary):
    # Only ever called with constant text below.
    # ok: llmsecops/llm-output-to-exec
    os.system(f"logger {summary}")


def ops_turn(messages: list) -> None:
    completion = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=[])
    for tc in completion.choices[0].message.tool_calls or []:
        raw = tc.function.arguments
        if tc.function.name == "restart":
            restart_service(service=json.loads(raw)["service"])
        elif tc.function.name == "tail":
            tail_log(json.loads(raw)["path"])
        report_done("turn finished")
