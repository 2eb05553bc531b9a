"""Homework tutor on the OpenAI Responses API (FastAPI, async)."""

import logging

import bleach
import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from markdown import markdown
from openai import AsyncOpenAI
from pydantic import BaseModel, Field

log = logging.getLogger("tutor")
app = FastAPI()

insecure_client = AsyncOpenAI(http_client=httpx.AsyncClient(verify=False))  # vuln: client-config
client = AsyncOpenAI(timeout=httpx.Timeout(30.0))

TUTOR_INSTRUCTIONS = (
    "You are a patient tutor for secondary-school students. Explain step by step, "
    "never just give the final answer, and refuse off-topic requests."
)
SAFE_TAGS = ["p", "ol", "ul", "li", "code", "pre", "em", "strong"]


class Question(BaseModel):
    subject: str = Field(max_length=40)
    question: str = Field(max_length=4000)
    profile: str = ""
    teacher_notes: str = ""


@app.post("/tutor")
async def tutor(req: Question):
    resp = await client.responses.create(  # vuln: prompt-injection
        model="gpt-4.1-mini",
        instructions=f"You tutor {req.subject}. Student profile, follow its preferences: {req.profile}",
        input=req.question,
        max_output_tokens=800,
    )
    return {"answer": resp.output_text}


@app.post("/tutor/safe")
async def tutor_safe(req: Question):
    resp = await client.responses.create(  # safe: prompt-injection
        model="gpt-4.1-mini",
        instructions=TUTOR_INSTRUCTIONS,
        input=[{"role": "user", "content": req.question}],
        max_output_tokens=800,
    )
    log.info(  # safe: client-config
        "tutor answer id=%s output_tokens=%s", resp.id, resp.usage.output_tokens
    )
    return {"answer": resp.output_text}


def build_input(req: Question) -> list[dict]:
    items = [{"role": "user", "content": req.question}]
    if req.teacher_notes:
        items.insert(0, {"role": "developer", "content": "Teacher notes: " + req.teacher_notes})
    return items


@app.post("/tutor/classroom")
async def tutor_classroom(req: Question):
    items = build_input(req)
    resp = await client.responses.create(  # vuln: prompt-injection
        model="gpt-4.1-mini",
        instructions=TUTOR_INSTRUCTIONS,
        input=items,
        max_output_tokens=800,
    )
    return {"answer": resp.output_text}


async def explain(question: str) -> str:
    resp = await client.responses.create(
        model="gpt-4.1-mini",
        instructions=TUTOR_INSTRUCTIONS,
        input=question,
        max_output_tokens=800,
    )
    return resp.output_text


@app.get("/explain", response_class=HTMLResponse)
async def explain_page(q: str):
    return HTMLResponse(markdown(await explain(q)))  # vuln: output-handling


@app.get("/explain/safe", response_class=HTMLResponse)
async def explain_page_safe(q: str):
    cleaned = bleach.clean(markdown(await explain(q)), tags=SAFE_TAGS, strip=True)
    return HTMLResponse(cleaned)  # safe: output-handling
