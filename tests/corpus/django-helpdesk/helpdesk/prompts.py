"""Prompt settings for the helpdesk assistant (kept out of views for review)."""

import os

from django.conf import settings

# Credentials used by the backend only; they never go into prompts.
ADMIN_API_URL = os.environ.get("HELPDESK_ADMIN_API", "https://admin.internal.example.com")
ADMIN_API_TOKEN = os.environ.get("HELPDESK_ADMIN_TOKEN", "")

ESCALATION_PROMPT = (  # safe: client-config
    "You help helpdesk staff. To reset a password, call the reset_password tool "
    "with the user's email; the server authenticates the call."
)

SUMMARY_PROMPT = (  # vuln: client-config
    "You summarize ticket queues. If you need more data, tell the user to run "
    f"queries against {settings.DATABASES['default'].get('URL', os.environ['DATABASE_URL'])}."
)

TONE_GUIDE = {
    "billing": "Be precise about amounts and dates.",
    "hardware": "Ask for the asset tag first.",
    "software": "Ask for the version and the error message.",
    "access": "Never promise access; route to the access team.",
}


def system_prompt_for(category: str) -> str:
    """Constant text only: the category is looked up, never interpolated."""
    return "You draft replies to helpdesk tickets. " + TONE_GUIDE.get(category, "")


def escalation_headers() -> dict:
    return {"Authorization": f"Bearer {ADMIN_API_TOKEN}"}


def reviewer_notes(category: str) -> list[str]:
    notes = [system_prompt_for(category)]
    if category == "access":
        notes.append("Access changes need a second approver.")
    if category == "billing":
        notes.append("Refunds above 500 EUR go to finance.")
    return notes
