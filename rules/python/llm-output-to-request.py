# Fixtures for llmsecops/llm-output-to-request. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import json
import urllib.request
from urllib.parse import urlparse

import aiohttp
import anthropic
import httpx
import requests
from agents import function_tool
from langchain_core.tools import tool
from mcp.server.fastmcp import FastMCP
from openai import OpenAI

client = OpenAI()
claude = anthropic.Anthropic()
mcp = FastMCP("web")
ALLOWED_HOSTS = {"docs.python.org", "en.wikipedia.org"}
WEATHER_API = "https://api.weather.example.com/v1"


@tool
def fetch_page(url: str) -> str:
    """Fetch a web page and return its text."""
    # ruleid: llmsecops/llm-output-to-request
    return requests.get(url, timeout=10).text


@mcp.tool()
async def http_get(url: str) -> str:
    """GET any URL."""
    async with httpx.AsyncClient() as http:
        # ruleid: llmsecops/llm-output-to-request
        r = await http.get(url)
        return r.text


@function_tool
async def post_webhook(endpoint: str, payload: str) -> int:
    """Send a JSON payload to a webhook."""
    async with aiohttp.ClientSession() as session:
        # ruleid: llmsecops/llm-output-to-request
        async with session.post(endpoint, json={"text": payload}) as resp:
            return resp.status


def openai_browse(messages: list) -> None:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=BROWSE_TOOLS)
    for call in resp.choices[0].message.tool_calls or []:
        args = json.loads(call.function.arguments)
        # ruleid: llmsecops/llm-output-to-request
        body = urllib.request.urlopen(args["url"]).read()
        messages.append({"role": "tool", "tool_call_id": call.id, "content": body.decode()[:4000]})


def claude_api_caller(task: str) -> dict:
    resp = claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[{"role": "user", "content": task}])
    for block in resp.content:
        if block.type == "tool_use" and block.name == "call_api":
            host = block.input["host"]
            # ruleid: llmsecops/llm-output-to-request
            return requests.post(f"http://{host}/api/v1/run", json=block.input.get("body", {})).json()
    return {}


def link_follower(question: str) -> str:
    answer = client.responses.create(model="gpt-4.1", max_output_tokens=512, input=f"Give the best source URL for: {question}")
    link = answer.output_text.strip()
    # ruleid: llmsecops/llm-output-to-request
    return httpx.get(link, follow_redirects=True).text


def session_fetch(doc_url_from_model):
    session = requests.Session()
    out = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": doc_url_from_model}])
    target = out.choices[0].message.content
    # ruleid: llmsecops/llm-output-to-request
    return session.get(url=target).content


# --- Safe variants -----------------------------------------------------------------
@tool
def weather(city: str) -> str:
    """Current weather for a city."""
    # The host is fixed; the model only picks the query value.
    # ok: llmsecops/llm-output-to-request
    return requests.get(f"https://api.weather.example.com/v1/current?city={city}", timeout=5).text


@function_tool
def forecast(city: str) -> str:
    """Forecast for a city."""
    # ok: llmsecops/llm-output-to-request
    return httpx.get(f"{WEATHER_API}/forecast", params={"city": city}).text


@mcp.tool()
def read_docs(url: str) -> str:
    """Read a documentation page from an allowed site."""
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        raise ValueError("host not allowed")
    # ok: llmsecops/llm-output-to-request
    return requests.get(url, timeout=10).text


@tool
def wiki_page(title: str) -> str:
    """Fetch a Wikipedia page."""
    # ok: llmsecops/llm-output-to-request
    return requests.get("https://en.wikipedia.org/wiki/" + title).text


def search_then_summarize(q: str) -> str:
    summary = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": q}]).choices[0].message.content
    # Model text is sent as the body, to a fixed endpoint.
    # ok: llmsecops/llm-output-to-request
    requests.post("https://hooks.example.com/summary", json={"summary": summary}, timeout=5)
    return summary


def health_check(url: str) -> bool:
    # A developer function's own argument: not model output.
    # ok: llmsecops/llm-output-to-request
    return requests.get(url, timeout=2).ok


WEBHOOK_URLS = {"ops": "https://hooks.example.com/ops", "sales": "https://hooks.example.com/sales"}


class NotifierAgent:
    """Anthropic tool_use loop; the tools run in a separate method."""

    def __init__(self):
        self.client = anthropic.Anthropic()

    def call_tool(self, name: str, tool_args: dict) -> str:
        if name == "post":
            # ruleid: llmsecops/llm-output-to-request
            r = requests.post(tool_args["url"], json={"text": tool_args["text"]}, timeout=10)
            return str(r.status_code)
        if name == "notify":
            # The model only picks a key of a fixed table.
            # ok: llmsecops/llm-output-to-request
            r = requests.post(WEBHOOK_URLS[tool_args["team"]], json={"text": tool_args["text"]}, timeout=10)
            return str(r.status_code)
        return "unknown"

    def run(self, task: str) -> list:
        out = self.client.messages.create(model="claude-sonnet-4-5", max_tokens=512, messages=[{"role": "user", "content": task}])
        return [self.call_tool(b.name, b.input) for b in out.content if b.type == "tool_use"]


@tool
def page_excerpt(url: str) -> str:
    """First 1000 characters of a web page."""
    # Known miss: semgrep's taint engine drops expressions that contain a slice
    # (semgrep/semgrep#6203), so the request inside `...text[:1000]` is not seen.
    # todoruleid: llmsecops/llm-output-to-request
    return requests.get(url, timeout=10).text[:1000]


@tool
def page_excerpt_split(url: str) -> str:
    """Same, with the request on its own line (found)."""
    # ruleid: llmsecops/llm-output-to-request
    resp = requests.get(url, timeout=10)
    return resp.text[:1000]


def fetch_suggested_page(topic: str) -> str:
    # The helper that asks the model is defined further down.
    url = suggest_source_url(topic)
    # ruleid: llmsecops/llm-output-to-request
    return requests.get(url, timeout=10).text


def fetch_docs_page(topic: str) -> str:
    # Also defined further down, and it asks no model.
    url = docs_url_for(topic)
    # ok: llmsecops/llm-output-to-request
    return requests.get(url, timeout=10).text


def suggest_source_url(topic: str) -> str:
    reply = client.chat.completions.create(
        model="gpt-4o-mini", max_tokens=100, messages=[{"role": "user", "content": f"One URL about {topic}"}]
    )
    return reply.choices[0].message.content


def docs_url_for(topic: str) -> str:
    return "https://docs.example.com/search?q=" + topic
