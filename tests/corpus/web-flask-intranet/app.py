"""Intranet tools portal: diagnostics, reports, document store, directory lookup."""
import base64
import hashlib
import os
import pickle
import random
import secrets
import sqlite3
import subprocess
import shlex
import xml.sax
from urllib.parse import urlparse

import flask
import ldap
import requests
import yaml
from flask import Flask, abort, jsonify, make_response, redirect, render_template, session, url_for
from flask import request as req
from ldap.filter import escape_filter_chars
from lxml import etree
from markupsafe import escape
from werkzeug.utils import secure_filename

app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
DOCS = "/srv/intranet/docs"
REPORT_COLUMNS = {"name": "name", "created": "created_at"}
PARTNER_HOSTS = {"partner.example.com", "status.example.com"}
DIRECTORY = etree.parse("/srv/intranet/people.xml")


def db():
    return sqlite3.connect("/srv/intranet/app.db")


def build_ping(host):
    return "ping -c 3 " + host


@app.route("/diag/ping")
def diag_ping():
    host = req.args.get("host", "localhost")
    output = subprocess.check_output(build_ping(host), shell=True)  # vuln: web-command-injection
    return jsonify(output=output.decode())


@app.route("/diag/dns")
def diag_dns():
    name = req.args.get("name", "example.com")
    output = subprocess.check_output(["dig", "+short", name])  # safe: web-command-injection
    quoted = subprocess.check_output("dig +short " + shlex.quote(name), shell=True)  # safe: web-command-injection
    return jsonify(output=output.decode() + quoted.decode())


@app.route("/diag/trace", methods=["POST"])
def diag_trace():
    opts = {"target": req.form["target"], "count": "3"}
    cmd = "traceroute -q {count} {target}".format(**opts)
    stream = os.popen(cmd)  # vuln: web-command-injection
    return jsonify(output=stream.read())


@app.route("/calc")
def calc():
    expression = base64.b64decode(req.args["e"]).decode("utf-8")
    value = eval(expression)  # vuln: web-code-injection
    return jsonify(value=value)


@app.route("/calc/safe")
def calc_safe():
    import ast
    value = ast.literal_eval(req.args["e"])  # safe: web-code-injection
    return jsonify(value=value)


@app.route("/reports")
def reports():
    owner = req.args.get("owner", "")
    sql = "SELECT id, name FROM reports WHERE owner = '" + owner + "'"
    rows = db().execute(sql).fetchall()  # vuln: web-sql-injection
    return jsonify(rows=rows)


@app.route("/reports/sorted")
def reports_sorted():
    column = REPORT_COLUMNS.get(req.args.get("sort", "name"), "name")
    owner = req.args.get("owner", "")
    rows = db().execute("SELECT id, name FROM reports WHERE owner = ? ORDER BY " + column, (owner,)).fetchall()  # safe: web-sql-injection
    return jsonify(rows=rows)


@app.route("/docs/view")
def docs_view():
    name = req.args.get("doc", "index.txt")
    with open(os.path.join(DOCS, name), encoding="utf-8") as fh:  # vuln: web-path-traversal
        return jsonify(text=fh.read())


@app.route("/docs/upload", methods=["POST"])
def docs_upload():
    upload = req.files["file"]
    upload.save(os.path.join(DOCS, secure_filename(upload.filename)))  # safe: web-path-traversal
    return jsonify(ok=True)


@app.route("/docs/remove", methods=["POST"])
def docs_remove():
    path = os.path.realpath(os.path.join(DOCS, req.form["doc"]))
    if not path.startswith(DOCS + os.sep):
        abort(403)
    os.remove(path)  # safe: web-path-traversal
    return jsonify(ok=True)


@app.route("/hello")
def hello():
    visitor = req.args.get("name", "guest")
    return "<h1>Welcome, " + visitor + "!</h1>"  # vuln: web-xss


@app.route("/hello/safe")
def hello_safe():
    visitor = req.args.get("name", "guest")
    return "<h1>Welcome, %s!</h1>" % escape(visitor)  # safe: web-xss


@app.route("/search")
def search():
    term = req.args.get("q", "")
    resp = make_response("<p>No results for <b>{}</b></p>".format(term))  # vuln: web-xss
    return resp


@app.route("/search/page")
def search_page():
    return render_template("search.html", term=req.args.get("q", ""))  # safe: web-xss


@app.route("/login", methods=["POST"])
def login():
    session["user"] = req.form["user"]  # vuln: web-trust-boundary
    target = req.args.get("next", "/")
    return redirect(target)  # vuln: web-open-redirect


@app.route("/logout")
def logout():
    session.clear()
    nxt = req.args.get("next", "")
    if urlparse(nxt).netloc:
        nxt = url_for("hello")
    return redirect(nxt)  # safe: web-open-redirect


@app.route("/prefs", methods=["POST"])
def prefs():
    lang = req.form.get("lang", "en")
    if lang not in ("en", "de", "fr"):
        abort(400)
    session["lang"] = lang  # safe: web-trust-boundary
    return jsonify(ok=True)


@app.route("/people/email")
def people_email():
    user = req.args.get("user", "")
    emails = DIRECTORY.xpath("/people/person[login='" + user + "']/email/text()")  # vuln: web-xpath-injection
    return jsonify(emails=[str(e) for e in emails])


@app.route("/people/phone")
def people_phone():
    user = req.args.get("user", "")
    phones = DIRECTORY.xpath("/people/person[login=$login]/phone/text()", login=user)  # safe: web-xpath-injection
    return jsonify(phones=[str(p) for p in phones])


@app.route("/people/ldap")
def people_ldap():
    conn = ldap.initialize("ldap://ldap.corp.example.com")
    uid = req.args.get("uid", "")
    result = conn.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(uid=%s)" % uid)  # vuln: web-ldap-injection
    safe_result = conn.search_s("ou=people,dc=corp", ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(uid))  # safe: web-ldap-injection
    return jsonify(n=len(result) + len(safe_result))


@app.route("/state/restore", methods=["POST"])
def state_restore():
    blob = req.cookies.get("state", "")
    state = pickle.loads(base64.urlsafe_b64decode(blob))  # vuln: web-deserialization
    return jsonify(keys=list(state))


@app.route("/settings/import", methods=["POST"])
def settings_import():
    settings = yaml.safe_load(req.get_data())  # safe: web-deserialization
    return jsonify(keys=list(settings))


@app.route("/feeds/import", methods=["POST"])
def feeds_import():
    doc = etree.fromstring(req.get_data())  # vuln: web-xxe
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    doc2 = etree.fromstring(req.get_data(), parser)  # safe: web-xxe
    return jsonify(tags=[doc.tag, doc2.tag])


@app.route("/status")
def status():
    url = req.args.get("url", "")
    answer = requests.get(url, timeout=5)  # vuln: web-ssrf
    return jsonify(code=answer.status_code)


@app.route("/status/partner")
def status_partner():
    url = req.args.get("url", "")
    if urlparse(url).hostname not in PARTNER_HOSTS:
        abort(400)
    answer = requests.get(url, timeout=5)  # safe: web-ssrf
    return jsonify(code=answer.status_code)


@app.route("/token")
def token():
    reset = str(random.randint(100000, 999999))  # vuln: web-weak-random
    api_key = secrets.token_urlsafe(32)  # safe: web-weak-random
    digest = hashlib.md5(reset.encode()).hexdigest()  # vuln: web-weak-crypto
    stored = hashlib.sha256(api_key.encode()).hexdigest()  # safe: web-weak-crypto
    resp = make_response(jsonify(digest=digest, stored=stored))
    resp.set_cookie("reset", reset)  # vuln: web-insecure-cookie
    resp.set_cookie("api", api_key, secure=True, httponly=True, samesite="Strict")  # safe: web-insecure-cookie
    return resp
