from flask import Flask, request, session
from starlette.requests import Request

app = Flask(__name__)
THEMES = {"light", "dark"}


@app.route("/prefs", methods=["POST"])
def prefs():
    # ruleid: llmsecops/web-trust-boundary
    session["role"] = request.form.get("role")
    theme = request.form.get("theme")
    if theme in THEMES:
        # ok: llmsecops/web-trust-boundary
        session["theme"] = theme
    # ok: llmsecops/web-trust-boundary
    session["visits"] = session.get("visits", 0) + 1
    # ok: llmsecops/web-trust-boundary
    session["page_size"] = int(request.args.get("size", "20"))
    return "saved"


@app.route("/remember")
def remember():
    user = request.cookies.get("user")
    # ruleid: llmsecops/web-trust-boundary
    session.update(user_id=user)
    return "ok"


def django_view(request):
    # ruleid: llmsecops/web-trust-boundary
    request.session["cart_owner"] = request.GET["owner"]
    # ok: llmsecops/web-trust-boundary
    request.session["last_seen"] = "today"


async def starlette_view(request: Request):
    name = request.query_params.get("name")
    # ruleid: llmsecops/web-trust-boundary
    request.session["name"] = name
