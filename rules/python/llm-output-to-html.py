# Fixtures for llmsecops/llm-output-to-html. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import html

import anthropic
import bleach
import gradio as gr
import markdown
import markdown2
import nh3
import streamlit as st
from django.http import HttpResponse, JsonResponse
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, render_template, render_template_string, request
from langchain_openai import ChatOpenAI
from markupsafe import Markup, escape
from openai import OpenAI

app = FastAPI()
web = Flask(__name__)
client = OpenAI()
claude = anthropic.Anthropic()
llm = ChatOpenAI(model="gpt-4o-mini")


def ask(question: str) -> str:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": question}])
    return resp.choices[0].message.content


@app.get("/answer", response_class=HTMLResponse)
def answer_page(q: str):
    answer = ask(q)
    # ruleid: llmsecops/llm-output-to-html
    return HTMLResponse(content=f"<html><body><h1>Answer</h1><div>{answer}</div></body></html>")


@web.route("/chat", methods=["POST"])
def flask_chat():
    reply = llm.invoke(request.form["message"]).content
    # ruleid: llmsecops/llm-output-to-html
    return render_template("chat.html", reply=Markup(markdown.markdown(reply)))


@web.route("/card")
def flask_card():
    resp = claude.messages.create(model="claude-sonnet-4-5", max_tokens=300, messages=[{"role": "user", "content": "A tip"}])
    tip = resp.content[0].text
    # ruleid: llmsecops/llm-output-to-html
    return render_template_string("<div class='tip'>" + tip + "</div>")


@web.route("/summary")
def flask_summary():
    summary = ask(request.args.get("topic", ""))
    # ruleid: llmsecops/llm-output-to-html
    return f"<article>{summary}</article>"


def django_view(request):
    text = ask(request.GET["q"])
    # ruleid: llmsecops/llm-output-to-html
    return HttpResponse(f"<p>{text}</p>")


def django_safe_string(request):
    text = ask(request.GET["q"])
    # ruleid: llmsecops/llm-output-to-html
    return {"answer": mark_safe(text)}


def streamlit_chat() -> None:
    prompt = st.chat_input("Ask me")
    if prompt:
        stream = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": prompt}])
        content = stream.choices[0].message.content
        # ruleid: llmsecops/llm-output-to-html
        st.markdown(f"<div class='bubble'>{content}</div>", unsafe_allow_html=True)


def gradio_respond(message: str):
    out = llm.invoke(message).content
    # ruleid: llmsecops/llm-output-to-html
    return gr.HTML(out)


# --- Safe variants -----------------------------------------------------------------
@app.get("/answer-safe", response_class=HTMLResponse)
def answer_page_safe(q: str):
    answer = ask(q)
    # ok: llmsecops/llm-output-to-html
    return HTMLResponse(content=f"<html><body><div>{html.escape(answer)}</div></body></html>")


@web.route("/chat-safe", methods=["POST"])
def flask_chat_safe():
    reply = llm.invoke(request.form["message"]).content
    cleaned = nh3.clean(markdown.markdown(reply))
    # ok: llmsecops/llm-output-to-html
    return render_template("chat.html", reply=Markup(cleaned))


@web.route("/tip-safe")
def flask_tip_safe():
    tip = ask("A tip")
    # ok: llmsecops/llm-output-to-html
    return render_template_string("<div class='tip'>{{ tip }}</div>", tip=tip)


def streamlit_safe() -> None:
    content = ask("hello")
    # Streamlit escapes HTML unless unsafe_allow_html=True.
    # ok: llmsecops/llm-output-to-html
    st.markdown(content)


def django_json(request):
    text = ask(request.GET["q"])
    # ok: llmsecops/llm-output-to-html
    return JsonResponse({"answer": text})


def bleached_fragment(message: str):
    out = llm.invoke(message).content
    # ok: llmsecops/llm-output-to-html
    return gr.HTML(bleach.clean(out, tags={"b", "i", "p", "ul", "li"}))


def escaped_markup(message: str):
    out = llm.invoke(message).content
    # ok: llmsecops/llm-output-to-html
    return Markup("<span class='ai'>{}</span>").format(escape(out))


# --- Markdown rendered to HTML and handed to an HTML output -------------------------
class Helper:
    def __init__(self):
        self.client = OpenAI()

    def explain(self, topic: str) -> str:
        r = self.client.chat.completions.create(model="gpt-4o", max_tokens=400, messages=[{"role": "user", "content": topic}])
        return r.choices[0].message.content


helper = Helper()


def explain_as_html(topic):
    text = helper.explain(topic)
    # Python-Markdown passes raw HTML in the model's text through unchanged.
    # ruleid: llmsecops/llm-output-to-html
    return markdown.markdown(text, extensions=["tables"])


def explain_as_markdown(topic):
    # ok: llmsecops/llm-output-to-html
    return helper.explain(topic)


def explain_escaped(topic):
    # ok: llmsecops/llm-output-to-html
    return "<pre>" + html.escape(helper.explain(topic)) + "</pre>"


with gr.Blocks() as ui:
    topic_box = gr.Textbox()
    rendered = gr.HTML()
    as_markdown = gr.Markdown()
    escaped_box = gr.HTML()
    topic_box.submit(explain_as_html, inputs=topic_box, outputs=rendered)
    topic_box.submit(explain_as_markdown, inputs=topic_box, outputs=as_markdown)
    topic_box.submit(explain_escaped, inputs=topic_box, outputs=[escaped_box])


@web.route("/explain")
def flask_explain():
    # ruleid: llmsecops/llm-output-to-html
    return markdown2.markdown(helper.explain(request.args["topic"]))


@web.route("/explain-safe")
def flask_explain_safe():
    # ok: llmsecops/llm-output-to-html
    return nh3.clean(markdown2.markdown(helper.explain(request.args["topic"])))
