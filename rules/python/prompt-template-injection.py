# Fixtures for llmsecops/prompt-template-injection. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import string

import gradio as gr
import jinja2
import requests
import streamlit as st
from fastapi import FastAPI
from flask import Flask, request
from jinja2 import Template
from jinja2.sandbox import SandboxedEnvironment
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate, PromptTemplate
from langchain_openai import ChatOpenAI
from llama_index.core import PromptTemplate as LlamaPromptTemplate
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI()
flask_app = Flask(__name__)
client = OpenAI()
llm = ChatOpenAI(model="gpt-4o-mini")

QA_TEMPLATE = "Answer the question using only the context.\n\nContext:\n{context}\n\nQuestion: {question}"
TEMPLATES = {
    "qa": QA_TEMPLATE,
    "summary": "Summarize the text below in three sentences:\n\n{text}",
}
jinja_env = jinja2.Environment(autoescape=False)


class TemplateRequest(BaseModel):
    template: str
    question: str
    kind: str = "qa"


@app.post("/custom-prompt")
def custom_prompt(body: TemplateRequest):
    # ruleid: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template(body.template)
    chain = prompt | llm
    return chain.invoke({"question": body.question}).content


@app.post("/custom-prompt2")
def custom_prompt_kw(body: TemplateRequest):
    prompt = PromptTemplate(
        input_variables=["question"],
        # ruleid: llmsecops/prompt-template-injection
        template=body.template,
        template_format="jinja2",
    )
    # ruleid: llmsecops/prompt-concat
    return llm.invoke(prompt.format(question=body.question)).content


def streamlit_playground():
    user_template = st.text_area("Prompt template", "Tell me a joke about {topic}")
    topic = st.text_input("Topic")
    if st.button("Run"):
        # ruleid: llmsecops/prompt-template-injection
        chat_prompt = ChatPromptTemplate.from_template(user_template)
        st.write((chat_prompt | llm).invoke({"topic": topic}).content)


@flask_app.post("/render")
def render_flask():
    source = request.json["template"]
    # ruleid: llmsecops/prompt-template-injection
    prompt = jinja_env.from_string(source).render(user=request.json.get("user", ""))
    # ruleid: llmsecops/prompt-concat
    return {"answer": llm.invoke(prompt).content}


@flask_app.post("/render2")
def render_flask_template():
    # ruleid: llmsecops/prompt-template-injection
    tmpl = Template(request.form["prompt_template"])
    # ruleid: llmsecops/prompt-concat
    return {"answer": llm.invoke(tmpl.render(question=request.form["q"])).content}


@flask_app.get("/greeting")
def greeting():
    fmt = request.args.get("format", "Say hello to {name}.")
    # ruleid: llmsecops/prompt-template-injection
    prompt = fmt.format(name="the user", secret_context=QA_TEMPLATE)
    # ruleid: llmsecops/prompt-concat
    return {"answer": llm.invoke(prompt).content}


@app.get("/string-template")
def string_template(tpl: str, name: str):
    # ruleid: llmsecops/prompt-template-injection
    text = string.Template(tpl).safe_substitute(name=name)
    # ruleid: llmsecops/prompt-concat
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}])


@app.post("/human-template")
def human_template(body: TemplateRequest):
    # Tuples in from_messages are templates: braces in the user's text are evaluated.
    prompt = ChatPromptTemplate.from_messages(
        [
            ("system", "You are a helpful assistant."),
            # ruleid: llmsecops/prompt-template-injection
            ("human", body.question),
        ]
    )
    return (prompt | llm).invoke({}).content


@app.post("/llamaindex-template")
def llamaindex_template(body: TemplateRequest):
    # ruleid: llmsecops/prompt-template-injection
    qa = LlamaPromptTemplate(body.template)
    return qa.format(context_str="...", query_str=body.question)


def remote_template(url: str):
    # Indirect: a template downloaded at run time.
    remote = requests.get(url, timeout=5).text
    sandbox = SandboxedEnvironment()
    # ruleid: llmsecops/prompt-template-injection
    return sandbox.from_string(remote).render(question="What is ACME?")


def playground(template_text, topic):
    # ruleid: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template(template_text)
    return (prompt | llm).invoke({"topic": topic}).content


with gr.Blocks() as demo:
    template_box = gr.Textbox(label="Template")
    topic_box = gr.Textbox(label="Topic")
    output = gr.Markdown()
    gr.Button("Run").click(playground, inputs=[template_box, topic_box], outputs=output)


# --- not flagged -------------------------------------------------------------


@app.post("/safe/custom-prompt")
def custom_prompt_safe(body: TemplateRequest):
    # ok: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template(QA_TEMPLATE)
    return (prompt | llm).invoke({"context": "...", "question": body.question}).content


@app.post("/safe/kind")
def template_by_kind(body: TemplateRequest):
    # Template chosen from a fixed table by the request.
    # ok: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template(TEMPLATES.get(body.kind, QA_TEMPLATE))
    return (prompt | llm).invoke({"context": "...", "question": body.question, "text": body.question}).content


@flask_app.post("/safe/render")
def render_safe():
    # ok: llmsecops/prompt-template-injection
    tmpl = Template("Answer the question: {{ question }}")
    # ruleid: llmsecops/prompt-concat
    return {"answer": llm.invoke(tmpl.render(question=request.form["q"])).content}


@flask_app.get("/safe/format")
def format_safe():
    name = request.args.get("name", "")
    # ok: llmsecops/prompt-template-injection
    text = "Say hello to {name}.".format(name=name)
    # ruleid: llmsecops/prompt-concat
    return {"answer": client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": text}]).choices[0].message.content}


@app.post("/safe/messages")
def messages_safe(body: TemplateRequest):
    # HumanMessage objects are not templates; "{question}" is a constant template.
    prompt = ChatPromptTemplate.from_messages(
        [
            SystemMessage(content="You are a helpful assistant."),
            # ok: llmsecops/prompt-template-injection
            HumanMessage(content=body.question),
            ("human", "{question}"),
        ]
    )
    return (prompt | llm).invoke({"question": body.question}).content


def admin_template(path: str):
    # Template from the application's own files, not from a user.
    with open(path, encoding="utf-8") as fh:
        own = fh.read()
    # ok: llmsecops/prompt-template-injection
    return PromptTemplate.from_template(own)


@app.get("/safe/allowlisted")
def allowlisted(kind: str, text: str):
    if kind in TEMPLATES:
        # ok: llmsecops/prompt-template-injection
        return TEMPLATES[kind].format(text=text, context="", question=text)
    return ""


# --- Sources shared with the other prompt-injection rules.
from celery import shared_task


@shared_task
def render_report(layout, figures: dict):
    # A queued job's argument comes from whoever enqueued it.
    # ruleid: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template(layout)
    # ruleid: llmsecops/prompt-concat
    return llm.invoke(prompt.format(**figures)).content


def download_template(url: str) -> str:
    return requests.get(url, timeout=5).text


def template_status(url: str) -> str:
    resp = requests.get(url, timeout=5)
    return str(resp.status_code)


def remote_template(url: str, question: str):
    # ruleid: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template(download_template(url))
    # ruleid: llmsecops/prompt-concat
    return llm.invoke(prompt.format(question=question)).content


def status_template(url: str, question: str):
    code = template_status(url)
    # ok: llmsecops/prompt-template-injection
    prompt = PromptTemplate.from_template("Status page returned " + code + ". Question: {question}")
    return llm.invoke(prompt.format(question=question)).content
