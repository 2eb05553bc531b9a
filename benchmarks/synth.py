"""Generate a synthetic repository of LLM-application code for benchmarks.

Deterministic for a given seed: mixed Python (web handlers, LLM clients, agent
tools, utilities), TypeScript (route handlers, React components), and
non-code files (Markdown, JSON, YAML), with a few planted findings so the
scanners have real work. ``python -m benchmarks.synth OUT --files 2000``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

PY_HANDLER = """\
from fastapi import APIRouter, Request
from openai import OpenAI

router = APIRouter()
client = OpenAI()
SYSTEM = "You are assistant {n}. Answer briefly and cite sources."


@router.post("/ask{n}")
async def ask_{n}(request: Request):
    data = await request.json()
    question = data.get("question", "")
    {planted}
    reply = client.chat.completions.create(
        model="gpt-4o-mini",
        max_tokens=400,
        messages=[{{"role": "system", "content": SYSTEM}}, {{"role": "user", "content": question}}],
    )
    return {{"answer": reply.choices[0].message.content}}
"""

PY_UTIL = '''\
"""Utility module {n}."""
import json
import os
from dataclasses import dataclass


@dataclass
class Record{n}:
    name: str
    size: int

    def describe(self) -> str:
        return f"{{self.name}} ({{self.size}} bytes)"


def load_{n}(path: str) -> list[Record{n}]:
    with open(path, encoding="utf-8") as fh:
        rows = json.load(fh)
    return [Record{n}(r["name"], int(r["size"])) for r in rows]


def total_{n}(records: list[Record{n}]) -> int:
    total = 0
    for rec in records:
        if rec.size > 0:
            total += rec.size
    return total


def env_flag_{n}(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")
'''

PY_TOOL = '''\
import subprocess
from langchain_core.tools import tool


@tool
def list_files_{n}(directory: str) -> str:
    """List files in a directory."""
    result = subprocess.run(
        ["ls", "-la", "--", directory], capture_output=True, text=True, check=False
    )
    return result.stdout[:2000]


@tool
def word_count_{n}(text: str) -> int:
    """Count the words in a text."""
    return len(text.split())
'''

TS_ROUTE = """\
import OpenAI from "openai";

const openai = new OpenAI();
const SYSTEM = "You are helper {n}. Be concise.";

export async function POST(req: Request) {{
  const body = await req.json();
  const question: string = body.question ?? "";
  const completion = await openai.chat.completions.create({{
    model: "gpt-4o-mini",
    max_tokens: 300,
    messages: [
      {{ role: "system", content: SYSTEM }},
      {{ role: "user", content: question }},
    ],
  }});
  return Response.json({{ answer: completion.choices[0].message.content }});
}}
"""

TS_COMPONENT = """\
import React from "react";

type Props = {{ title: string; items: string[] }};

export function List{n}({{ title, items }}: Props) {{
  return (
    <section>
      <h2>{{title}}</h2>
      <ul>
        {{items.map((item) => (
          <li key={{item}}>{{item}}</li>
        ))}}
      </ul>
    </section>
  );
}}
"""

MARKDOWN = (
    "# Notes {n}\n\nThis document describes component {n}.\n\n"
    + "Lorem ipsum dolor sit amet. " * 20
    + "\n"
)
PLANTS = [
    "pass",
    'question = f"Answer as a pirate: {question}"',
    "eval(question)",
    "subprocess_note = 'none'",
]


def generate(out: Path, files: int = 2000, seed: int = 7) -> dict[str, int]:
    """Write ``files`` files under ``out``; return counts by kind."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    out.mkdir(parents=True, exist_ok=True)
    counts = {"python": 0, "typescript": 0, "other": 0}
    kinds = (
        ["py_handler"] * 3 + ["py_util"] * 6 + ["py_tool"] * 2 + ["ts_route"] * 2 + ["ts_comp"] * 2
    )
    kinds += ["md", "json", "yaml"]
    for n in range(files):
        kind = rng.choice(kinds)
        pkg = out / f"pkg{n % 40:02d}"
        pkg.mkdir(exist_ok=True)
        match kind:
            case "py_handler":
                text = PY_HANDLER.format(n=n, planted=rng.choice(PLANTS))
                path, counts["python"] = pkg / f"handler_{n}.py", counts["python"] + 1
            case "py_util":
                text = PY_UTIL.format(n=n)
                path, counts["python"] = pkg / f"util_{n}.py", counts["python"] + 1
            case "py_tool":
                text = PY_TOOL.format(n=n)
                path, counts["python"] = pkg / f"tools_{n}.py", counts["python"] + 1
            case "ts_route":
                text = TS_ROUTE.format(n=n)
                path, counts["typescript"] = pkg / f"route_{n}.ts", counts["typescript"] + 1
            case "ts_comp":
                text = TS_COMPONENT.format(n=n)
                path, counts["typescript"] = pkg / f"list_{n}.tsx", counts["typescript"] + 1
            case "md":
                text = MARKDOWN.format(n=n)
                path, counts["other"] = pkg / f"notes_{n}.md", counts["other"] + 1
            case "json":
                text = json.dumps(
                    {"id": n, "tags": [f"t{rng.randint(0, 99)}" for _ in range(20)]}, indent=2
                )
                path, counts["other"] = pkg / f"data_{n}.json", counts["other"] + 1
            case _:
                text = f"name: service-{n}\nreplicas: {rng.randint(1, 5)}\nimage: example/app:{n}\n"
                path, counts["other"] = pkg / f"deploy_{n}.yaml", counts["other"] + 1
        path.write_text(text, encoding="utf-8")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    counts = generate(args.out, args.files, args.seed)
    print(json.dumps(counts))  # noqa: T201 - a command-line tool


if __name__ == "__main__":
    main()
