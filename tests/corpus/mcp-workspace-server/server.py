"""MCP server exposing workspace tools to desktop assistants."""

import base64
import pickle
import shlex
import sqlite3
import subprocess
import urllib.request
from pathlib import Path

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("workspace-tools")
ROOT = Path.home().joinpath("workspace").resolve()
NOTES = sqlite3.connect(str(ROOT / "notes.db"))


@mcp.tool()
def read_file(path: str) -> str:
    """Read a file from the workspace."""
    with open(path, encoding="utf-8") as fh:  # vuln: tool-output-sinks
        return fh.read()


@mcp.tool()
def read_workspace_file(relative_path: str) -> str:
    """Read a file from the workspace (confined to the workspace root)."""
    target = (ROOT / relative_path).resolve()
    if not target.is_relative_to(ROOT):
        raise ValueError("path escapes the workspace")
    return target.read_text(encoding="utf-8")  # safe: tool-output-sinks


@mcp.tool()
def search(pattern: str, directory: str = ".") -> str:
    """grep the workspace for a pattern."""
    return subprocess.check_output(  # vuln: tool-output-sinks
        f"grep -rn '{pattern}' {directory}", shell=True, text=True, cwd=ROOT
    )


@mcp.tool()
def search_safe(pattern: str) -> str:
    """grep the workspace for a fixed string."""
    proc = subprocess.run(  # safe: tool-output-sinks
        ["grep", "-rnF", "--", pattern, str(ROOT)], capture_output=True, text=True
    )
    return proc.stdout


@mcp.tool()
def git_show(ref: str) -> str:
    """Show a commit in the workspace repository."""
    return subprocess.run(  # safe: tool-output-sinks
        f"git show --stat {shlex.quote(ref)}", shell=True, capture_output=True, text=True, cwd=ROOT
    ).stdout


@mcp.tool()
def notes_by_tag(tag: str) -> list[str]:
    """List note titles with a tag."""
    cur = NOTES.execute("SELECT title FROM notes WHERE tag = '%s'" % tag)  # vuln: tool-output-sinks
    return [row[0] for row in cur]


@mcp.tool()
def notes_by_tag_safe(tag: str) -> list[str]:
    """List note titles with a tag (parameterized)."""
    cur = NOTES.execute("SELECT title FROM notes WHERE tag = ?", (tag,))  # safe: tool-output-sinks
    return [row[0] for row in cur]


@mcp.tool()
def download(url: str) -> str:
    """Download a URL into the assistant context."""
    resp = urllib.request.urlopen(url, timeout=10)  # vuln: tool-output-sinks
    with resp:
        return resp.read(50000).decode("utf-8", "replace")


@mcp.tool()
def restore_snapshot(blob: str) -> str:
    """Restore a workspace snapshot produced by save_snapshot."""
    snapshot = pickle.loads(base64.b64decode(blob))  # vuln: tool-output-sinks
    return f"restored {len(snapshot)} entries"


if __name__ == "__main__":
    mcp.run()
