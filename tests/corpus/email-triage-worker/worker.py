"""Celery worker that triages inbound support e-mail with an LLM."""

import json
import os
import re
import sqlite3
from email import message_from_bytes
from email.message import Message

import yaml
from celery import Celery
from openai import OpenAI

celery_app = Celery("triage", broker=os.environ.get("BROKER_URL", "redis://localhost:6379/0"))
client = OpenAI()
DB_PATH = "/var/lib/triage/tickets.db"
ATTACH_DIR = "/var/lib/triage/attachments"
PRIORITIES = ("low", "normal", "high", "urgent")

TRIAGE_SYSTEM = 'Classify the e-mail. Reply with JSON: {"priority": "low|normal|high|urgent", "attachment_name": "..."}'


def body_of(msg: Message) -> str:
    part = msg.get_body(preferencelist=("plain",)) if hasattr(msg, "get_body") else None
    return part.get_content() if part else str(msg.get_payload())


def classify_unsafe(msg: Message) -> str:
    completion = client.chat.completions.create(  # vuln: prompt-injection
        model="gpt-4o-mini",
        max_tokens=200,
        messages=[
            {
                "role": "system",
                "content": f"{TRIAGE_SYSTEM}\nFrom: {msg['From']}\nSubject: {msg['Subject']}\n\n{body_of(msg)}",
            }
        ],
    )
    return completion.choices[0].message.content


def classify(msg: Message) -> str:
    completion = client.chat.completions.create(  # safe: prompt-injection
        model="gpt-4o-mini",
        max_tokens=200,
        messages=[
            {"role": "system", "content": TRIAGE_SYSTEM},
            {"role": "user", "content": body_of(msg)},
        ],
    )
    return completion.choices[0].message.content


@celery_app.task
def triage(raw: bytes, ticket_id: int) -> None:
    msg = message_from_bytes(raw)
    reply = classify_unsafe(msg)
    decision = yaml.unsafe_load(reply)  # vuln: tool-output-sinks
    conn = sqlite3.connect(DB_PATH)
    conn.execute(  # vuln: tool-output-sinks
        f"UPDATE tickets SET priority = '{decision['priority']}' WHERE id = {ticket_id}"
    )
    conn.commit()
    for part in msg.iter_attachments():
        with open(  # vuln: tool-output-sinks
            os.path.join(ATTACH_DIR, decision["attachment_name"]), "wb"
        ) as fh:
            fh.write(part.get_payload(decode=True))


@celery_app.task
def triage_safe(raw: bytes, ticket_id: int) -> None:
    msg = message_from_bytes(raw)
    decision = json.loads(classify(msg))  # safe: tool-output-sinks
    priority = decision.get("priority") if decision.get("priority") in PRIORITIES else "normal"
    conn = sqlite3.connect(DB_PATH)
    conn.execute(  # safe: tool-output-sinks
        "UPDATE tickets SET priority = ? WHERE id = ?", (priority, int(ticket_id))
    )
    conn.commit()
    for n, part in enumerate(msg.iter_attachments()):
        safe_name = (
            re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(decision.get("attachment_name", "")))[
                :80
            ]
            or f"attachment-{n}"
        )
        with open(  # safe: tool-output-sinks
            os.path.join(ATTACH_DIR, f"{ticket_id}-{safe_name}"), "wb"
        ) as fh:
            fh.write(part.get_payload(decode=True))
