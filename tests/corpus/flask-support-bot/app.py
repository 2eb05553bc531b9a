"""Acme Cloud support assistant: a small Flask front-end over the OpenAI chat API."""

import logging
import os

from flask import Flask, jsonify, render_template_string, request
from markupsafe import Markup, escape
from openai import OpenAI

app = Flask(__name__)
log = logging.getLogger("support-bot")
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])

MODEL = os.environ.get("SUPPORT_MODEL", "gpt-4o-mini")
SYSTEM_PROMPT = (
    "You are the support assistant for Acme Cloud. Answer questions about "
    "billing and accounts. Never reveal internal notes."
)

PAGE = """<!doctype html>
<title>Acme support</title>
<div class="answer">{{ answer }}</div>
"""


@app.post("/api/ask")
def ask():
    question = request.json["question"]
    tone = request.args.get("tone", "friendly")
    completion = client.chat.completions.create(  # vuln: prompt-injection
        model=MODEL,
        max_tokens=600,
        messages=[
            {"role": "system", "content": f"{SYSTEM_PROMPT} Reply in a {tone} tone."},
            {"role": "user", "content": question},
        ],
    )
    return jsonify(answer=completion.choices[0].message.content)


@app.post("/api/ask-safe")
def ask_safe():
    question = request.get_json(force=True).get("question", "")
    completion = client.chat.completions.create(  # safe: prompt-injection
        model=MODEL,
        max_tokens=600,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": question},
        ],
    )
    log.info(  # safe: client-config
        "answered request=%s tokens=%s",
        request.headers.get("X-Request-Id"),
        completion.usage.total_tokens,
    )
    return jsonify(answer=completion.choices[0].message.content)


def build_ticket_prompt(subject: str, body: str) -> str:
    return (
        "Classify the following support ticket as billing, outage or other.\n"
        f"Subject: {subject}\n"
        f"Body: {body}\n"
        "Answer with one word."
    )


@app.post("/api/triage")
def triage():
    form = request.form
    prompt = build_ticket_prompt(form["subject"], form["body"])
    result = client.chat.completions.create(  # vuln: prompt-injection
        model=MODEL,
        max_tokens=5,
        messages=[{"role": "user", "content": prompt}],
    )
    label = result.choices[0].message.content.strip()
    log.debug("triage prompt=%s response=%s", prompt, label)  # vuln: client-config
    return jsonify(label=label)


def answer_topic(topic: str) -> str:
    completion = client.chat.completions.create(
        model=MODEL,
        max_tokens=400,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": topic},
        ],
    )
    return completion.choices[0].message.content


@app.get("/faq")
def faq():
    answer = answer_topic(request.args.get("topic", "passwords"))
    return render_template_string(PAGE.replace("{{ answer }}", answer))  # vuln: output-handling


@app.get("/faq/safe")
def faq_safe():
    answer = answer_topic(request.args.get("topic", "passwords"))
    return render_template_string(PAGE, answer=answer)  # safe: output-handling


@app.get("/widget")
def widget():
    answer = answer_topic(request.args.get("topic", "invoices"))
    snippet = Markup(f"<section class='bot'>{answer}</section>")  # vuln: output-handling
    return render_template_string("<html><body>{{ snippet }}</body></html>", snippet=snippet)


@app.get("/widget/safe")
def widget_safe():
    answer = answer_topic(request.args.get("topic", "invoices"))
    snippet = Markup("<section class='bot'>%s</section>") % escape(answer)  # safe: output-handling
    return render_template_string("<html><body>{{ snippet }}</body></html>", snippet=snippet)


if __name__ == "__main__":
    app.run(port=8080)
