from django.http import HttpResponse
from flask import Flask, make_response, request

app = Flask(__name__)
# ruleid: llmsecops/web-insecure-cookie
app.config["SESSION_COOKIE_SECURE"] = False


@app.route("/login", methods=["POST"])
def login():
    resp = make_response("welcome")
    # ruleid: llmsecops/web-insecure-cookie
    resp.set_cookie("session_id", request.form["sid"])
    # ruleid: llmsecops/web-insecure-cookie
    resp.set_cookie("remember", "1", max_age=3600, secure=False, httponly=True)
    # ok: llmsecops/web-insecure-cookie
    resp.set_cookie("token", "abc", secure=True, httponly=True, samesite="Lax")
    return resp


def django_view(request):
    response = HttpResponse("ok")
    # ruleid: llmsecops/web-insecure-cookie
    response.set_cookie("pref", "dark", httponly=True)
    # ok: llmsecops/web-insecure-cookie
    response.set_cookie("csrftoken", "x", secure=True)
    return response
