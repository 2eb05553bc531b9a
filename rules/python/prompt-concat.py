# Fixtures for llmsecops/prompt-concat. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import anthropic
from fastapi import FastAPI, Request
from flask import Flask, request
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI()
flask_app = Flask(__name__)
client = OpenAI()
claude = anthropic.Anthropic()

SYSTEM = "You are a support assistant for ACME. Answer briefly."


class Ask(BaseModel):
    question: str


@app.get("/ask")
def ask(question: str):
    prompt = f"You are a support assistant. Answer this question: {question}"
    return client.chat.completions.create(
        model="gpt-4o",
        # ruleid: llmsecops/prompt-concat
        messages=[{"role": "user", "content": prompt}],
    )


@app.post("/ask2")
async def ask2(body: Ask):
    template = "Summarize the following text for a child:\n{text}"
    return client.chat.completions.create(
        model="gpt-4o",
        # ruleid: llmsecops/prompt-concat
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": template.format(text=body.question)}],
    )


@app.post("/ask3")
async def ask3(req: Request):
    data = await req.json()
    instructions = "Translate to French: " + data["text"]
    # ruleid: llmsecops/prompt-concat
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, system=instructions, messages=[])


@flask_app.route("/legacy")
def legacy():
    q = request.args.get("q", "")
    # ruleid: llmsecops/prompt-concat
    return client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Answer as a pirate: %s" % q)


@app.get("/safe")
def safe(question: str):
    return client.chat.completions.create(
        model="gpt-4o",
        # ok: llmsecops/prompt-concat
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
    )


@app.get("/safe-anthropic")
def safe_anthropic(question: str):
    # ok: llmsecops/prompt-concat
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, system=SYSTEM, messages=[{"role": "user", "content": question}])


def offline_job(text: str):
    # Not request data: a batch job's own argument.
    prompt = f"Summarize: {text}"
    # ok: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
