"""Helpdesk views: ticket answers, staff assistant and natural-language reports."""

import json

from django.conf import settings
from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from openai import OpenAI as Client

from .models import Ticket

ai = Client(timeout=30)
MODEL = getattr(settings, "HELPDESK_MODEL", "gpt-4o-mini")

AGENT_PROMPT = "You draft replies to helpdesk tickets. Be concise and polite."
STAFF_SYSTEM_PROMPT = (  # vuln: client-config
    "You help helpdesk staff. To reset a password call the admin API "
    f"with bearer token {settings.HELPDESK_ADMIN_TOKEN}."
)
CATEGORIES = {"billing", "hardware", "software", "access"}


def _complete(messages, limit=500):
    resp = ai.chat.completions.create(model=MODEL, messages=messages, max_tokens=limit)
    return resp.choices[0].message.content or ""


@require_POST
def draft_reply(request, ticket_id):
    ticket = get_object_or_404(Ticket, pk=ticket_id)
    signature = request.POST.get("signature", "")
    reply = ai.chat.completions.create(  # vuln: prompt-injection
        model=MODEL,
        max_tokens=500,
        messages=[
            {"role": "system", "content": AGENT_PROMPT + "\nSign every reply as: " + signature},
            {"role": "user", "content": ticket.body},
        ],
    )
    text = reply.choices[0].message.content
    return render(  # vuln: output-handling
        request, "helpdesk/draft.html", {"draft": mark_safe(text)}
    )


@require_POST
def draft_reply_safe(request, ticket_id):
    ticket = get_object_or_404(Ticket, pk=ticket_id)
    reply = ai.chat.completions.create(  # safe: prompt-injection
        model=MODEL,
        max_tokens=500,
        messages=[
            {"role": "system", "content": AGENT_PROMPT},
            {"role": "user", "content": ticket.body},
        ],
    )
    text = reply.choices[0].message.content
    card = format_html("<div class='draft'>{}</div>", text)  # safe: output-handling
    return render(request, "helpdesk/draft.html", {"draft": card})


@require_POST
def staff_assistant(request):
    question = json.loads(request.body)["question"]
    answer = _complete(
        [
            {"role": "system", "content": STAFF_SYSTEM_PROMPT},
            {"role": "user", "content": question},
        ]
    )
    return JsonResponse({"answer": answer})


@require_POST
def nl_report(request):
    question = request.POST["question"]
    sql = _complete(
        [
            {
                "role": "system",
                "content": "Translate the question into one SQLite SELECT over helpdesk_ticket.",
            },
            {"role": "user", "content": question},
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)  # vuln: tool-output-sinks
        rows = cursor.fetchall()
    return JsonResponse({"rows": rows})


@require_POST
def tickets_by_topic(request):
    category = (
        _complete(
            [
                {
                    "role": "system",
                    "content": "Name the ticket category the user asks about: billing, hardware, software or access.",
                },
                {"role": "user", "content": request.POST["question"]},
            ],
            limit=5,
        )
        .strip()
        .lower()
    )
    with connection.cursor() as cursor:
        cursor.execute(  # vuln: tool-output-sinks
            f"SELECT id, subject FROM helpdesk_ticket WHERE category = '{category}'"
        )
        rows = cursor.fetchall()
    return JsonResponse({"category": category, "rows": rows})


@require_POST
def tickets_by_topic_safe(request):
    category = (
        _complete(
            [
                {
                    "role": "system",
                    "content": "Name the ticket category the user asks about: billing, hardware, software or access.",
                },
                {"role": "user", "content": request.POST["question"]},
            ],
            limit=5,
        )
        .strip()
        .lower()
    )
    if category not in CATEGORIES:
        return HttpResponseBadRequest("unknown category")
    with connection.cursor() as cursor:
        cursor.execute(  # safe: tool-output-sinks
            "SELECT id, subject FROM helpdesk_ticket WHERE category = %s", [category]
        )
        rows = cursor.fetchall()
    return JsonResponse({"category": category, "rows": rows})
