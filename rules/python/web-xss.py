import html

from django.http import HttpResponse
from django.utils.safestring import mark_safe
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from flask import Flask, jsonify, make_response, render_template
from flask import request as rq
from markupsafe import Markup, escape

from . import helpers

app = Flask(__name__)
api = FastAPI()


@app.route("/hello")
def hello():
    name = rq.args.get("name", "")
    # ruleid: llmsecops/web-xss
    return "<h1>Hello " + name + "</h1>"


@app.route("/hello-safe")
def hello_safe():
    name = rq.args.get("name", "")
    # ok: llmsecops/web-xss
    return "<h1>Hello " + escape(name) + "</h1>"


@app.route("/profile/<user>")
def profile(user):
    # ruleid: llmsecops/web-xss
    resp = make_response(f"<p>Profile of {user}</p>")
    # ok: llmsecops/web-xss
    page = render_template("profile.html", user=user)
    # ruleid: llmsecops/web-xss
    banner = Markup("<b>%s</b>" % user)
    return resp if page else banner


@app.route("/api/echo")
def echo():
    # JSON responses are not HTML.
    # ok: llmsecops/web-xss
    return jsonify(message=rq.args.get("m"))


@app.route("/api/echo2")
def echo2():
    # ok: llmsecops/web-xss
    return {"message": rq.args.get("m")}


def django_search(request):
    q = request.GET.get("q", "")
    # ruleid: llmsecops/web-xss
    note = mark_safe("<em>" + q + "</em>")
    # ok: llmsecops/web-xss
    HttpResponse("Results for " + html.escape(q))
    # ok: llmsecops/web-xss
    HttpResponse(q, content_type="text/plain")
    # ruleid: llmsecops/web-xss
    return HttpResponse("Results for " + q + note)


@app.route("/note")
def note():
    text = rq.form.get("text", "")
    # A project helper named for HTML escaping.
    # ok: llmsecops/web-xss
    return "<p>" + helpers.escape_for_html(text) + "</p>"


@api.get("/page", response_class=HTMLResponse)
async def page(title: str):
    # ruleid: llmsecops/web-xss
    return HTMLResponse(content=f"<title>{title}</title>")


@api.get("/page-safe")
async def page_safe(title: str):
    # ok: llmsecops/web-xss
    return HTMLResponse(content=f"<title>{html.escape(title)}</title>")
