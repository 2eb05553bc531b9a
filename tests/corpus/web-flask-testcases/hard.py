"""Safe twins whose safety depends on which key, index or branch is used.

They look like the vulnerable cases to a data-flow engine that does not track
dictionary keys, list positions or constant conditions.
"""
import subprocess

import flask

app = flask.Flask(__name__)


@app.route("/hard/sql-map", methods=["GET"])
def sql_map():
    param = flask.request.args.get("case", "")
    values = {}
    values["keyA"] = "a_Value"
    values["keyB"] = param
    bar = values["keyA"]
    cur = app.config["DB"].cursor()
    cur.execute("SELECT * FROM users WHERE name = '" + bar + "'")  # safe: web-sql-injection
    return flask.jsonify(cur.fetchall())


@app.route("/hard/cmd-branch", methods=["GET"])
def cmd_branch():
    param = flask.request.args.get("case", "")
    num = 106
    bar = "This_should_always_happen" if (7 * 18) + num > 200 else param
    out = subprocess.check_output("echo " + bar, shell=True)  # safe: web-command-injection
    return flask.escape(out.decode())


@app.route("/hard/xss-list", methods=["GET"])
def xss_list():
    param = flask.request.args.get("case", "")
    items = ["safe", param, "moresafe"]
    items.pop(1)
    bar = items[1]
    return "<p>" + bar + "</p>"  # safe: web-xss
