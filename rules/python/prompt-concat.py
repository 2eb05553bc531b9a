# Fixtures for llmsecops/prompt-concat. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import os
import string

import anthropic
import cohere
import google.generativeai as genai
import gradio as gr
import httpx
import jinja2
import litellm
import requests
import streamlit as st
from agents import Agent, Runner
from django.http import JsonResponse
from fastapi import APIRouter, FastAPI, File, Request, UploadFile
from flask import Flask, request
from google import genai as google_genai
from langchain_community.document_loaders import WebBaseLoader
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex
from llama_index.llms.openai import OpenAI as LlamaOpenAI
from mistralai import Mistral
from openai import AsyncOpenAI, AzureOpenAI, OpenAI
from pydantic import BaseModel
from typing import Literal

app = FastAPI()
router = APIRouter()
flask_app = Flask(__name__)
client = OpenAI()
claude = anthropic.Anthropic()
aclaude = anthropic.AsyncAnthropic()
co = cohere.Client()
mistral = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
gclient = google_genai.Client()
chat_model = ChatOpenAI(model="gpt-4o-mini")
llama_llm = LlamaOpenAI(model="gpt-4o-mini")

SYSTEM = "You are a support assistant for ACME. Answer briefly."
ALLOWED_LANGUAGES = {"French", "German", "Spanish"}
SUMMARY_TEMPLATE = jinja2.Template("Summarize the article below in three bullet points.\n\n{{ article }}")
FEEDBACK_TEMPLATE = string.Template("Classify the sentiment of this customer feedback as positive or negative: $text")


class Ask(BaseModel):
    question: str


class StyledAsk(BaseModel):
    style: Literal["formal", "casual"]
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
    # Instructions in Anthropic's system= are reported by prompt-injection-system only.
    # ok: llmsecops/prompt-concat
    # ruleid: llmsecops/prompt-injection-system
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, system=instructions, messages=[])


@flask_app.route("/legacy")
def legacy():
    q = request.args.get("q", "")
    # ruleid: llmsecops/prompt-concat
    return client.completions.create(model="gpt-3.5-turbo-instruct", prompt="Answer as a pirate: %s" % q)


class SupportBot:
    def __init__(self) -> None:
        self.client = AzureOpenAI(api_version="2024-06-01")

    def reply(self):
        ticket = request.form["ticket"]
        prompt = "You are a triage bot. Classify the ticket and draft a reply.\nTicket: {}".format(ticket)
        # ruleid: llmsecops/prompt-concat
        return self.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])


@flask_app.post("/triage")
async def triage():
    payload = request.get_json()
    lines = ["You are a triage bot. Classify the ticket and draft a reply.", "Ticket:", payload["ticket"]]
    aclient = AsyncOpenAI()
    # ruleid: llmsecops/prompt-concat
    return await aclient.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "\n".join(lines)}])


def streamlit_page():
    if question := st.chat_input("Ask about your order"):
        # ruleid: llmsecops/prompt-concat
        answer = chat_model.invoke(f"You are ACME's order assistant. Never offer refunds.\n\nCustomer: {question}")
        st.write(answer.content)


@router.post("/summarize-url")
def summarize_url(url: str):
    page = requests.get(url, timeout=10).text
    prompt = "Summarize this web page in two sentences:\n" + page[:4000]
    # ruleid: llmsecops/prompt-concat
    return litellm.completion(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])


def summarize_article(url: str):
    # Indirect injection: the loaded page is mixed into the instructions.
    docs = WebBaseLoader(url).load()
    rendered = SUMMARY_TEMPLATE.render(article=docs[0].page_content)
    # ruleid: llmsecops/prompt-concat
    return gclient.models.generate_content(model="gemini-2.0-flash", contents=rendered)


def django_feedback(request):
    text = request.POST.get("feedback", "")
    prompt = FEEDBACK_TEMPLATE.substitute(text=text)
    # ruleid: llmsecops/prompt-concat
    reply = co.chat(model="command-r", message=prompt)
    return JsonResponse({"label": reply.text})


def respond(message, history):
    transcript = "You are a helpful cooking assistant. Only talk about food.\n"
    for user_turn, bot_turn in history:
        transcript += f"User: {user_turn}\nAssistant: {bot_turn}\n"
    transcript += "User: " + message
    # ruleid: llmsecops/prompt-concat
    out = mistral.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": transcript}])
    return out.choices[0].message.content


demo = gr.ChatInterface(fn=respond)


@app.post("/cv")
async def review_cv(file: UploadFile = File(...)):
    cv_text = (await file.read()).decode("utf-8", errors="ignore")
    # ruleid: llmsecops/prompt-concat
    review = await llama_llm.acomplete(f"Rate this CV from 1 to 10 and justify briefly.\n\nCV:\n{cv_text}")
    return {"review": str(review)}


@app.post("/agent")
async def run_agent(body: Ask):
    agent = Agent(name="Helper", instructions="You help users plan trips.")
    # ruleid: llmsecops/prompt-concat
    result = await Runner.run(agent, "Plan a trip. Request from the customer: " + body.question)
    return {"plan": result.final_output}


@app.post("/history")
def with_history(body: Ask):
    messages = [{"role": "system", "content": SYSTEM}]
    for line in body.question.splitlines():
        messages.append({"role": "user", "content": f"Answer the next line and nothing else: {line}"})
    # ruleid: llmsecops/prompt-concat
    return client.responses.create(model="gpt-4o", input=messages)


@app.get("/docs-search")
def docs_search(q: str):
    index = VectorStoreIndex.from_documents(SimpleDirectoryReader("docs").load_data())
    query_engine = index.as_query_engine()
    # ruleid: llmsecops/prompt-concat
    return str(query_engine.query(f"Answer strictly from the docs, in French. Question: {q}"))


@app.get("/gemini")
async def gemini(topic: str):
    model = genai.GenerativeModel("gemini-1.5-flash")
    # ruleid: llmsecops/prompt-concat
    response = await model.generate_content_async("Write a haiku about the following topic: " + topic)
    return {"haiku": response.text}


@app.post("/claude")
async def claude_chat(body: Ask):
    content = "<instructions>Answer politely.</instructions>\n" + body.question
    # ruleid: llmsecops/prompt-concat
    msg = await aclaude.messages.create(model="claude-sonnet-4-5", max_tokens=256, messages=[{"role": "user", "content": content}])
    return msg.content[0].text


# --- not flagged -------------------------------------------------------------


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


@flask_app.get("/facts")
def facts():
    count = int(request.args.get("count", "3"))
    # ok: llmsecops/prompt-concat
    return client.responses.create(model="gpt-4o", input=f"List {count} facts about the ACME company.")


@app.get("/translate")
def translate(text: str, language: str):
    if language in ALLOWED_LANGUAGES:
        greeting = "Write a one-line greeting in " + language + "."
        # ok: llmsecops/prompt-concat
        return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": greeting}, {"role": "user", "content": text}])
    return {"error": "unsupported language"}


@app.post("/styled")
def styled(body: StyledAsk):
    instruction = f"Answer in a {body.style} tone."
    # ok: llmsecops/prompt-concat
    return chat_model.invoke([SystemMessage(content=SYSTEM), HumanMessage(content=instruction), HumanMessage(content=body.question)])


@app.post("/langchain-safe")
def langchain_safe(body: Ask):
    # ok: llmsecops/prompt-concat
    return chat_model.invoke([SystemMessage(content=SYSTEM), HumanMessage(content=body.question)])


@app.post("/persona")
def persona(body: Ask):
    # The system role is reported by prompt-injection-system, not twice.
    messages = [
        # ruleid: llmsecops/prompt-injection-system
        {"role": "system", "content": f"You are a support bot. The customer's name is {body.question}."},
        {"role": "user", "content": body.question},
    ]
    # ok: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=messages)


@app.get("/search")
def search(q: str, retriever=None):
    # A retriever is not an LLM: the query string is not a prompt.
    # ok: llmsecops/prompt-concat
    docs = retriever.invoke(f"product manual {q}")
    return [d.page_content for d in docs]


@app.get("/browse")
def browse(url: str):
    page = httpx.get(url).text
    # Fetched text passed alone as user content, instructions kept in the system message.
    # ok: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "system", "content": "Summarize the user's document."}, {"role": "user", "content": page}])


def build_prompt(question: str) -> str:
    return "Answer like a pirate, in one sentence: " + question


@app.get("/pirate")
def pirate(question: str):
    # ruleid: llmsecops/prompt-concat
    return chat_model.invoke(build_prompt(question)).content


@app.post("/chat-history")
def chat_history(body: Ask, history: list[dict] = []):
    # Joining lists of messages is not building prompt text.
    messages = [{"role": "system", "content": SYSTEM}] + history + [{"role": "user", "content": body.question}]
    # ok: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=messages)


# --- Local models: Hugging Face tokenizers and pipelines are LLM prompt sinks too.
from transformers import AutoTokenizer, pipeline

tokenizer = AutoTokenizer.from_pretrained("acme/support-7b", revision="3f2c1e0")
generator = pipeline("text-generation", model="acme/support-7b", revision="3f2c1e0")


@flask_app.post("/local/complete")
def local_complete():
    body = request.get_json(force=True)
    prompt = f"### Instruction:\nReply to the customer politely.\n### Message:\n{body['message']}\n### Reply:\n"
    # ruleid: llmsecops/prompt-concat
    inputs = tokenizer(prompt, return_tensors="pt")
    return inputs


@app.get("/local/pipeline")
def local_pipeline(question: str):
    # ruleid: llmsecops/prompt-concat
    return generator("Answer in French: " + question, max_new_tokens=100)[0]["generated_text"]


@app.get("/local/plain")
def local_plain(question: str):
    # The user's text alone, no instruction text mixed in.
    # ok: llmsecops/prompt-concat
    return tokenizer(question, return_tensors="pt")


# --- Helpers: only the argument bound to the formatted parameter counts.
def tone_messages(tone: str, text: str) -> list[dict]:
    return [{"role": "user", "content": f"Rewrite the next message in a {tone} tone."}, {"role": "user", "content": text}]


@app.get("/rewrite")
def rewrite(text: str):
    # ok: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=tone_messages("formal", text))


@app.get("/rewrite/custom")
def rewrite_custom(text: str, tone: str):
    # ruleid: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=tone_messages(tone, text))
