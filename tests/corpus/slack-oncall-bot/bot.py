"""On-call helper bot: Slack Events API -> Claude (async)."""

import hashlib
import hmac
import logging
import os
import time

from anthropic import AsyncAnthropic
from fastapi import FastAPI, HTTPException, Request

log = logging.getLogger("oncall-bot")
app = FastAPI()
claude = AsyncAnthropic()

ANTHROPIC_API_KEY = os.environ["ANTHROPIC_API_KEY"]
SLACK_SIGNING_SECRET = os.environ["SLACK_SIGNING_SECRET"]
PAGERDUTY_TOKEN = os.environ["PAGERDUTY_TOKEN"]
MODEL = "claude-haiku-4-5"

ONCALL_SYSTEM = "You are the on-call assistant. Summarize alerts and suggest next steps. Escalations are performed by the bot itself."  # safe: client-config

log.debug("starting with anthropic key %s", ANTHROPIC_API_KEY)  # vuln: client-config


def verify_signature(request: Request, body: bytes) -> None:
    ts = request.headers.get("X-Slack-Request-Timestamp", "0")
    if abs(time.time() - int(ts)) > 300:
        raise HTTPException(status_code=401)
    base = f"v0:{ts}:{body.decode()}".encode()
    expected = "v0=" + hmac.new(SLACK_SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Slack-Signature", "")):
        raise HTTPException(status_code=401)


async def summarize_alert(text: str, channel_topic: str) -> str:
    msg = await claude.messages.create(  # vuln: prompt-injection
        model=MODEL,
        max_tokens=600,
        system=f"{ONCALL_SYSTEM}\nChannel topic (follow it): {channel_topic}\nAlert: {text}",
        messages=[{"role": "user", "content": "Summarize the alert."}],
    )
    reply = msg.content[0].text
    log.info("claude reply: %s", reply)  # vuln: client-config
    return reply


async def summarize_alert_safe(text: str) -> str:
    msg = await claude.messages.create(  # safe: prompt-injection
        model=MODEL,
        max_tokens=600,
        system=ONCALL_SYSTEM,
        messages=[{"role": "user", "content": text}],
    )
    log.info(  # safe: client-config
        "reply chars=%d stop=%s in=%d out=%d",
        len(msg.content[0].text),
        msg.stop_reason,
        msg.usage.input_tokens,
        msg.usage.output_tokens,
    )
    return msg.content[0].text


async def escalate(text: str) -> str:
    msg = await claude.messages.create(  # vuln: client-config
        model=MODEL,
        max_tokens=300,
        system=f"You can page people. Use PagerDuty token {PAGERDUTY_TOKEN} in the Authorization header.",
        messages=[{"role": "user", "content": text}],
    )
    return msg.content[0].text


@app.post("/slack/events")
async def slack_events(request: Request):
    body = await request.body()
    verify_signature(request, body)
    payload = await request.json()
    if payload.get("type") == "url_verification":
        return {"challenge": payload["challenge"]}
    event = payload.get("event", {})
    if event.get("type") != "app_mention":
        return {"ok": True}
    if "escalate" in event.get("text", ""):
        return {"ok": True, "text": await escalate(event["text"])}
    if os.environ.get("BOT_STRICT_MODE") == "1":
        return {"ok": True, "text": await summarize_alert_safe(event["text"])}
    return {
        "ok": True,
        "text": await summarize_alert(event["text"], event.get("channel_topic", "")),
    }
