import urllib.request
from urllib.parse import urlparse

import httpx
import requests
from fastapi import FastAPI
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()
ALLOWED = {"api.github.com", "hooks.slack.com"}
STATUS_API = "https://status.example.com/api/"
BACKENDS = {"eu": "https://eu.example.com", "us": "https://us.example.com"}


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


@app.route("/status/<component>")
def status(component):
    # The base URL is a module constant or comes from a constant table.
    # ok: llmsecops/web-ssrf
    first = requests.get(STATUS_API + component, timeout=5)
    base = BACKENDS.get(request.args.get("region"), BACKENDS["eu"])
    # ok: llmsecops/web-ssrf
    second = requests.get(base + "/health/" + component, timeout=5)
    # ruleid: llmsecops/web-ssrf
    third = requests.get("http://" + component + "/health", timeout=5)
    return first.text + second.text + third.text


def django_proxy(request):
    session = requests.Session()
    # ruleid: llmsecops/web-ssrf
    return session.get(request.GET["u"]).content
