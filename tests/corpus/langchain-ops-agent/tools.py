"""Tools exposed to the ops agent."""

import ast
import operator
import os
import re
import subprocess
from pathlib import Path

import requests
from langchain_core.tools import tool

RUNBOOK_DIR = Path(os.environ.get("RUNBOOK_DIR", "/srv/runbooks")).resolve()
HOST_RE = re.compile(r"[a-z0-9][a-z0-9.-]{0,252}")
STATUS_HOSTS = {"status.example.com", "status.internal.example.com"}
_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


@tool
def run_diagnostic(command: str) -> str:
    """Run a diagnostic shell command on the ops host and return its output."""
    proc = subprocess.run(  # vuln: tool-output-sinks
        command, shell=True, capture_output=True, text=True, timeout=30
    )
    return proc.stdout + proc.stderr


@tool
def ping_host(host: str) -> str:
    """Ping a host once and report the round trip."""
    if not HOST_RE.fullmatch(host):
        return "invalid host name"
    proc = subprocess.run(  # safe: tool-output-sinks
        ["ping", "-c", "1", host], capture_output=True, text=True, timeout=10
    )
    return proc.stdout


@tool
def read_runbook(name: str) -> str:
    """Return the text of a runbook by file name."""
    with open(os.path.join(RUNBOOK_DIR, name), encoding="utf-8") as fh:  # vuln: tool-output-sinks
        return fh.read()


@tool
def read_runbook_checked(name: str) -> str:
    """Return the text of a runbook by file name (confined to the runbook folder)."""
    path = (RUNBOOK_DIR / name).resolve()
    if not path.is_relative_to(RUNBOOK_DIR):
        return "runbook not found"
    return path.read_text(encoding="utf-8")  # safe: tool-output-sinks


@tool
def calculate(expression: str) -> str:
    """Evaluate an arithmetic expression."""
    return str(eval(expression))  # vuln: tool-output-sinks


def _arith(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        return _OPS[type(node.op)](_arith(node.left), _arith(node.right))
    raise ValueError("unsupported expression")


@tool
def calculate_safe(expression: str) -> str:
    """Evaluate an arithmetic expression (numbers and + - * / only)."""
    return str(_arith(ast.parse(expression, mode="eval").body))  # safe: tool-output-sinks


@tool
def fetch_status(url: str) -> str:
    """Fetch a status page and return the first 2000 characters."""
    return requests.get(url, timeout=10).text[:2000]  # vuln: tool-output-sinks


@tool
def fetch_status_checked(host: str) -> str:
    """Fetch the status page of one of the known status hosts."""
    if host not in STATUS_HOSTS:
        return f"unknown status host; choose one of {sorted(STATUS_HOSTS)}"
    return requests.get(  # safe: tool-output-sinks
        f"https://{host}/api/v2/status.json", timeout=10
    ).text[:2000]
