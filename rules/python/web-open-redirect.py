from urllib.parse import urlparse

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from flask import Flask, redirect, request, url_for

app = Flask(__name__)
api = FastAPI()
ALLOWED_HOSTS = {"example.com", "www.example.com"}


@app.route("/login", methods=["POST"])
def login():
    nxt = request.args.get("next", "/")
    # ruleid: llmsecops/web-open-redirect
    return redirect(nxt)


@app.route("/back")
def back():
    # ruleid: llmsecops/web-open-redirect
    return redirect(request.referrer or "/")


@app.route("/go")
def go():
    target = request.args.get("to", "")
    if urlparse(target).netloc not in ALLOWED_HOSTS:
        return redirect(url_for("index"))
    # ok: llmsecops/web-open-redirect
    return redirect(target)


@app.route("/section")
def section():
    # A fixed local path before the data.
    # ok: llmsecops/web-open-redirect
    return redirect("/docs/" + request.args.get("page", "intro"))


@app.route("/article")
def article():
    # ok: llmsecops/web-open-redirect
    return redirect(url_for("show", slug=request.args.get("slug")))


def django_logout(request):
    nxt = request.GET.get("next", "/")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        # ok: llmsecops/web-open-redirect
        return HttpResponseRedirect(nxt)
    # ruleid: llmsecops/web-open-redirect
    return HttpResponseRedirect(request.POST["return_to"])


@api.get("/out")
async def out(url: str):
    # ruleid: llmsecops/web-open-redirect
    return RedirectResponse(url)
