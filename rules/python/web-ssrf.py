import urllib.request
from urllib.parse import urlparse

import httpx
import requests
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED = {"api.github.com", "hooks.slack.com"}


@app.route("/preview")
def preview():
    url = request.args.get("url", "")
    # ruleid: llmsecops/web-ssrf
    page = requests.get(url, timeout=5)
    # The host is fixed; only the path varies.
    # ok: llmsecops/web-ssrf
    user = requests.get("https://api.github.com/users/" + request.args.get("login", ""), timeout=5)
    # ruleid: llmsecops/web-ssrf
    raw = urllib.request.urlopen(request.form["feed"]).read()
    return page.text + user.text + raw.decode()


@app.route("/hook", methods=["POST"])
def hook():
    target = request.json["target"]
    if urlparse(target).hostname not in ALLOWED:
        return "bad host", 400
    # ok: llmsecops/web-ssrf
    requests.post(target, json={"ok": True}, timeout=5)
    return "sent"


@api.get("/fetch")
async def fetch(url: str):
    async with httpx.AsyncClient() as client:
        # ruleid: llmsecops/web-ssrf
        resp = await client.get(url)
    return {"status": resp.status_code}


def django_proxy(request):
    session = requests.Session()
    # ruleid: llmsecops/web-ssrf
    return session.get(request.GET["u"]).content
