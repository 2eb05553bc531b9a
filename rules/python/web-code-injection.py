import ast
import json

import jinja2
from flask import Flask, render_template, render_template_string
from flask import request

app = Flask(__name__)


@app.route("/calc")
def calc():
    expr = request.args.get("expr", "1+1")
    # ruleid: llmsecops/web-code-injection
    result = eval(expr)
    # ok: llmsecops/web-code-injection
    safe = ast.literal_eval(expr)
    return str(result) + str(safe)


@app.route("/hook", methods=["POST"])
def hook():
    body = request.get_data(as_text=True)
    code = "def handler():\n    " + body
    scope = {}
    # ruleid: llmsecops/web-code-injection
    exec(code, scope)
    # ok: llmsecops/web-code-injection
    exec("x = 1", scope)
    return json.dumps(list(scope))


@app.route("/greet")
def greet():
    name = request.args.get("name", "")
    # ruleid: llmsecops/web-code-injection
    page = render_template_string("<h1>Hello " + name + "</h1>")
    # The name is a template variable, not template source.
    # ok: llmsecops/web-code-injection
    page2 = render_template_string("<h1>Hello {{ name }}</h1>", name=name)
    # ruleid: llmsecops/web-code-injection
    tpl = jinja2.Template(request.form["template"])
    return page + page2 + tpl.render() + render_template("x.html", name=name)


def django_calc(request):
    n = int(request.GET["n"])
    # ok: llmsecops/web-code-injection
    return eval("%d * 2" % n)
