"""Test-case style endpoints: one source, some plumbing, one sink per view."""
import base64
import codecs
import configparser
import os
import subprocess
import urllib.parse

import flask
import lxml.etree
import requests

app = flask.Flask(__name__)


def thing_do(value):
    return value.replace("'", "")


def thing_safe(value):
    return "fixed_value"


@app.route("/case/cmd-01", methods=["GET"])
def cmd_01():
    param = flask.request.headers.get("X-Case", "")
    param = urllib.parse.unquote_plus(param)
    bar = thing_do(param)
    argv = "echo " + bar
    proc = subprocess.Popen(argv, shell=True, stdout=subprocess.PIPE)  # vuln: web-command-injection
    return flask.escape(proc.stdout.read().decode())


@app.route("/case/cmd-02", methods=["POST"])
def cmd_02():
    values = flask.request.form.getlist("case")
    param = values[0] if values else ""
    parts = ["safe", param, "moresafe"]
    parts.remove("safe")
    bar = parts[0]
    proc = subprocess.run(["echo", bar], capture_output=True)  # safe: web-command-injection
    return flask.escape(proc.stdout.decode())


@app.route("/case/sql-01", methods=["GET"])
def sql_01():
    param = ""
    for name, value in flask.request.args.items():
        if name == "case":
            param = value
    encoded = base64.b64encode(param.encode())
    bar = base64.b64decode(encoded).decode()
    sql = "SELECT * FROM users WHERE username='foo' and password='" + bar + "'"
    cur = app.config["DB"].cursor()
    cur.execute(sql)  # vuln: web-sql-injection
    return flask.jsonify(cur.fetchall())


@app.route("/case/sql-02", methods=["GET"])
def sql_02():
    param = flask.request.cookies.get("case", "")
    bar = thing_safe(param)
    cur = app.config["DB"].cursor()
    cur.execute("SELECT * FROM users WHERE username = ?", (bar,))  # safe: web-sql-injection
    return flask.jsonify(cur.fetchall())


@app.route("/case/path-01", methods=["GET"])
def path_01():
    param = flask.request.args.get("case", "")
    conf = configparser.ConfigParser()
    conf.add_section("s")
    conf.set("s", "key", param)
    bar = conf.get("s", "key")
    name = os.path.join("/var/testfiles", bar)
    with open(name, "r") as fh:  # vuln: web-path-traversal
        return flask.escape(fh.read())


@app.route("/case/xss-01", methods=["GET"])
def xss_01():
    param = codecs.decode(flask.request.query_string.decode(), "utf-8")
    bar = "Parameter value: %s" % param
    return bar  # vuln: web-xss


@app.route("/case/xss-02", methods=["GET"])
def xss_02():
    param = flask.request.args.get("case", "")
    bar = flask.escape(param)
    return "Parameter value: " + bar  # safe: web-xss


@app.route("/case/ssrf-01", methods=["GET"])
def ssrf_01():
    mapping = {"url": flask.request.headers.get("Referer", "")}
    target = mapping["url"]
    body = requests.get(target, timeout=3).text  # vuln: web-ssrf
    return flask.escape(body)


@app.route("/case/xxe-01", methods=["POST"])
def xxe_01():
    data = flask.request.files["case"].read()
    parser = lxml.etree.XMLParser(resolve_entities=True)
    root = lxml.etree.fromstring(data, parser)  # vuln: web-xxe
    return flask.escape(root.text or "")


@app.route("/case/xxe-02", methods=["POST"])
def xxe_02():
    data = flask.request.files["case"].read()
    parser = lxml.etree.XMLParser(resolve_entities=False)
    root = lxml.etree.fromstring(data, parser)  # safe: web-xxe
    return flask.escape(root.text or "")


@app.route("/case/redirect-01", methods=["GET"])
def redirect_01():
    param = flask.request.values.get("case", "")
    return flask.redirect(param.strip())  # vuln: web-open-redirect


@app.route("/case/trust-01", methods=["GET"])
def trust_01():
    param = flask.request.args.get("case", "")
    flask.session["userid"] = param  # vuln: web-trust-boundary
    return "stored"


@app.route("/case/trust-02", methods=["GET"])
def trust_02():
    param = flask.request.args.get("case", "")
    flask.session["userid"] = "user-" + str(int(param))  # safe: web-trust-boundary
    return "stored"


@app.route("/case/code-01", methods=["GET"])
def code_01():
    param = flask.request.args.get("case", "")
    exec("result = " + repr(param))  # safe: web-code-injection
    return "ran"


@app.route("/case/code-02", methods=["POST"])
def code_02():
    exprs = flask.request.get_json(force=True).get("exprs", [])
    total = sum(eval(e) for e in exprs)  # vuln: web-code-injection
    return flask.jsonify(total=total)
