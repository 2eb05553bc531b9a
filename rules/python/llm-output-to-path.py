# Fixtures for llmsecops/llm-output-to-path. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import json
import os
import shutil
from pathlib import Path

import aiofiles
import anthropic
from agents import function_tool
from langchain_core.tools import BaseTool, tool
from mcp.server.fastmcp import FastMCP
from openai import OpenAI
from werkzeug.utils import secure_filename

client = OpenAI()
claude = anthropic.Anthropic()
mcp = FastMCP("files")
WORKSPACE = Path("/srv/agent-workspace").resolve()
NOTES_DIR = "/srv/notes"


@mcp.tool()
def read_file(path: str) -> str:
    """Read a file from the workspace."""
    # ruleid: llmsecops/llm-output-to-path
    with open(os.path.join(NOTES_DIR, path)) as fh:
        return fh.read()


@mcp.tool()
async def write_file(path: str, content: str) -> str:
    """Write a file in the workspace."""
    # ruleid: llmsecops/llm-output-to-path
    async with aiofiles.open(path, "w") as fh:
        await fh.write(content)
    return "ok"


@tool
def save_report(filename: str, body: str) -> str:
    """Save a markdown report."""
    target = WORKSPACE / filename
    # ruleid: llmsecops/llm-output-to-path
    target.write_text(body)
    return str(target)


@function_tool
def cleanup(directory: str) -> str:
    """Delete a scratch directory."""
    # ruleid: llmsecops/llm-output-to-path
    shutil.rmtree(directory)
    return "deleted"


class DeleteFileTool(BaseTool):
    name: str = "delete_file"
    description: str = "Delete a file"

    def _run(self, file_path: str) -> str:
        # ruleid: llmsecops/llm-output-to-path
        os.remove(file_path)
        return "done"


def openai_file_agent(messages: list) -> None:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=FILE_TOOLS)
    for call in resp.choices[0].message.tool_calls or []:
        args = json.loads(call.function.arguments)
        if call.function.name == "move_file":
            # ruleid: llmsecops/llm-output-to-path
            shutil.move(WORKSPACE / args["src"], args["dst"])


def claude_reader(task: str) -> str:
    resp = claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[{"role": "user", "content": task}])
    for block in resp.content:
        if block.type == "tool_use":
            # ruleid: llmsecops/llm-output-to-path
            return Path(block.input["path"]).read_text()
    return ""


def generated_filename(topic: str) -> None:
    name = client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=512, messages=[{"role": "user", "content": f"A file name for notes about {topic}"}]
    ).choices[0].message.content
    # ruleid: llmsecops/llm-output-to-path
    with open(f"/srv/notes/{name}.md", "w") as fh:
        fh.write(topic)


# --- Safe variants -----------------------------------------------------------------
@mcp.tool()
def read_note(name: str) -> str:
    """Read one note by file name."""
    # ok: llmsecops/llm-output-to-path
    with open(os.path.join(NOTES_DIR, os.path.basename(name))) as fh:
        return fh.read()


@tool
def read_workspace_file(path: str) -> str:
    """Read a file inside the workspace."""
    resolved = (WORKSPACE / path).resolve()
    if not resolved.is_relative_to(WORKSPACE):
        raise PermissionError("path escapes the workspace")
    # ok: llmsecops/llm-output-to-path
    return resolved.read_text()


@function_tool
def upload(filename: str, data: str) -> str:
    """Store an uploaded file."""
    # ok: llmsecops/llm-output-to-path
    Path(NOTES_DIR, secure_filename(filename)).write_text(data)
    return "stored"


@mcp.tool()
def remove_note(path: str) -> str:
    """Delete a note."""
    full = os.path.realpath(os.path.join(NOTES_DIR, path))
    if not full.startswith(NOTES_DIR + os.sep):
        return "refused"
    # ok: llmsecops/llm-output-to-path
    os.remove(full)
    return "deleted"


@tool
def summarize_log(lines: str) -> str:
    """Summarize the application log."""
    # A fixed path; the model only picks how many lines.
    # ok: llmsecops/llm-output-to-path
    with open("/var/log/app.log") as fh:
        return "".join(fh.readlines()[-int(lines):])


def save_answer(question: str) -> None:
    answer = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": question}]).choices[0].message.content
    # Model text is written as file content, not used as the path.
    # ok: llmsecops/llm-output-to-path
    with open("answers.txt", "a") as fh:
        fh.write(answer)


@function_tool
def show_note(relpath: str) -> str:
    """Show a note from the workspace."""
    candidate = (WORKSPACE / relpath).resolve()
    if WORKSPACE not in candidate.parents:
        return "not in the workspace"
    # ok: llmsecops/llm-output-to-path
    return candidate.read_text()


@tool
def delete_scratch(name: str) -> str:
    """Delete a scratch file."""
    target = os.path.realpath(os.path.join(NOTES_DIR, name))
    if os.path.commonpath([NOTES_DIR, target]) != NOTES_DIR:
        raise PermissionError(name)
    # ok: llmsecops/llm-output-to-path
    os.remove(target)
    return "deleted"


@mcp.tool()
def append_log(filename: str, line: str) -> str:
    """Append a line to a log file in the notes folder."""
    target = os.path.join(NOTES_DIR, filename)
    if not os.path.realpath(target).startswith(NOTES_DIR + os.sep):
        return "refused"
    # ok: llmsecops/llm-output-to-path
    with open(target, "a") as fh:
        fh.write(line + "\n")
    return "ok"


@mcp.tool()
def copy_note(src: str) -> str:
    """Copy a note (the check only logs, it does not stop the copy)."""
    dest = (WORKSPACE / src).resolve()
    if WORKSPACE not in dest.parents:
        print("warning: outside the workspace")
    # ruleid: llmsecops/llm-output-to-path
    shutil.copy(dest, "/tmp/out")
    return "copied"


class FileAgent:
    def __init__(self):
        self.client = OpenAI()

    def open_file(self, args: dict) -> str:
        # ruleid: llmsecops/llm-output-to-path
        return Path(args["path"]).read_text()

    def step(self, messages: list) -> None:
        resp = self.client.chat.completions.create(model="gpt-4o", max_tokens=300, messages=messages)
        for call in resp.choices[0].message.tool_calls or []:
            messages.append({"role": "tool", "tool_call_id": call.id, "content": self.open_file(json.loads(call.function.arguments))})


@mcp.tool()
def save_note(filename: str, content: str) -> str:
    """Write a note inside the notes directory."""
    target = (WORKSPACE / filename).resolve()
    if not target.is_relative_to(WORKSPACE) or target == WORKSPACE:
        return "Error: the filename must stay inside the workspace."
    # ok: llmsecops/llm-output-to-path
    with open(target, "w") as fh:
        fh.write(content)
    return "saved"


@mcp.tool()
def save_note_unchecked(filename: str, content: str) -> str:
    """The same without the check."""
    target = (WORKSPACE / filename).resolve()
    if target == WORKSPACE or not content:
        return "Error: empty."
    # ruleid: llmsecops/llm-output-to-path
    with open(target, "w") as fh:
        fh.write(content)
    return "saved"
