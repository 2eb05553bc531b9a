import sqlite3

import pandas as pd
from django.db import connection
from flask import Flask, request
from sqlalchemy import select, text

from .models import User, engine

app = Flask(__name__)
db = sqlite3.connect("app.db")
SORT_COLUMNS = {"name": "name", "age": "age"}


@app.route("/users")
def users():
    name = request.args.get("name", "")
    cur = db.cursor()
    # ruleid: llmsecops/web-sql-injection
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: llmsecops/web-sql-injection
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")
    # ok: llmsecops/web-sql-injection
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    order = SORT_COLUMNS.get(request.args.get("sort"), "name")
    # ok: llmsecops/web-sql-injection
    cur.execute("SELECT * FROM users ORDER BY " + order)
    return {"rows": cur.fetchall()}


@app.route("/search", methods=["POST"])
def search():
    term = request.form["q"]
    query = "SELECT id FROM docs WHERE body LIKE '%" + term + "%'"
    with engine.connect() as conn:
        # ruleid: llmsecops/web-sql-injection
        rows = conn.execute(text(query)).fetchall()
        # ok: llmsecops/web-sql-injection
        rows2 = conn.execute(text("SELECT id FROM docs WHERE body LIKE :t"), {"t": f"%{term}%"}).fetchall()
        # ok: llmsecops/web-sql-injection
        rows3 = conn.execute(select(User).where(User.name == term)).fetchall()
    # ruleid: llmsecops/web-sql-injection
    frame = pd.read_sql("SELECT * FROM docs WHERE tag = '" + term + "'", engine)
    return {"n": len(rows) + len(rows2) + len(rows3) + len(frame)}


def django_report(request, year):
    with connection.cursor() as cursor:
        # ruleid: llmsecops/web-sql-injection
        cursor.execute("SELECT * FROM report WHERE year = %s" % year)
        # ok: llmsecops/web-sql-injection
        cursor.execute("SELECT * FROM report WHERE year = %s", [year])
    # ruleid: llmsecops/web-sql-injection
    return User.objects.raw("SELECT * FROM auth_user WHERE username = '" + request.GET["u"] + "'")
