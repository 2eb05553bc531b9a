# Fixtures for llmsecops/llm-output-to-sql. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import enum
import json
import sqlite3

import anthropic
import asyncpg
import litellm
import pandas as pd
from agents import function_tool
from langchain_community.utilities import SQLDatabase
from langchain_core.tools import tool
from langchain_openai import ChatOpenAI
from mcp.server.fastmcp import FastMCP
from openai import OpenAI
from sqlalchemy import create_engine, text

client = OpenAI()
claude = anthropic.Anthropic()
llm = ChatOpenAI(model="gpt-4o")
engine = create_engine("postgresql://app@db/shop")
mcp = FastMCP("orders")
SORTABLE = {"created_at", "total", "status"}


def text_to_sql(question: str):
    prompt = f"Write one SQLite query for: {question}. Schema: orders(id, customer, total)."
    sql = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": prompt}]).choices[0].message.content
    conn = sqlite3.connect("shop.db")
    cur = conn.cursor()
    # ruleid: llmsecops/llm-output-to-sql
    cur.execute(sql)
    return cur.fetchall()


def langchain_sql_agent(question: str):
    db = SQLDatabase.from_uri("sqlite:///shop.db")
    query = llm.invoke(f"SQL for: {question}").content
    # ruleid: llmsecops/llm-output-to-sql
    return db.run(query)


def openai_tool_loop(messages: list) -> None:
    resp = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=messages, tools=TOOLS)
    msg = resp.choices[0].message
    for tc in msg.tool_calls or []:
        args = json.loads(tc.function.arguments)
        with engine.connect() as connection:
            # ruleid: llmsecops/llm-output-to-sql
            rows = connection.execute(text(f"SELECT * FROM orders WHERE customer = '{args['customer']}'"))
            messages.append({"role": "tool", "tool_call_id": tc.id, "content": str(rows.fetchall())})


def claude_report(question: str):
    resp = claude.messages.create(model="claude-sonnet-4-5", max_tokens=800, messages=[{"role": "user", "content": question}])
    for block in resp.content:
        if block.type == "tool_use" and block.name == "sales_report":
            where = block.input["filter"]
            # ruleid: llmsecops/llm-output-to-sql
            return pd.read_sql("SELECT region, SUM(total) FROM sales WHERE " + where + " GROUP BY region", engine)


@tool
def lookup_customer(email: str) -> str:
    """Find a customer by email."""
    conn = sqlite3.connect("crm.db")
    # ruleid: llmsecops/llm-output-to-sql
    row = conn.execute("SELECT name, tier FROM customers WHERE email = '%s'" % email).fetchone()
    return str(row)


@mcp.tool()
async def top_orders(order_by: str, limit: int = 10) -> list:
    """Top orders sorted by a column."""
    pool = await asyncpg.create_pool("postgresql://app@db/shop")
    # ruleid: llmsecops/llm-output-to-sql
    return await pool.fetch("SELECT * FROM orders ORDER BY {} DESC LIMIT 10".format(order_by))


class OrderStore:
    def __init__(self) -> None:
        self.db = sqlite3.connect("orders.db")

    def filter_with_llm(self, request: str):
        r = litellm.completion(model="gpt-4o-mini", max_tokens=256, messages=[{"role": "user", "content": f"WHERE clause for: {request}"}])
        clause = r.choices[0].message.content
        # ruleid: llmsecops/llm-output-to-sql
        return self.db.execute(f"SELECT * FROM orders WHERE {clause}").fetchall()


# --- Safe variants -----------------------------------------------------------------
@function_tool
def order_status(order_id: str) -> str:
    """Status of one order."""
    conn = sqlite3.connect("shop.db")
    # ok: llmsecops/llm-output-to-sql
    row = conn.execute("SELECT status FROM orders WHERE id = ?", (order_id,)).fetchone()
    return row[0] if row else "unknown"


@tool
def customer_orders(customer: str) -> str:
    """Orders of one customer."""
    with engine.connect() as connection:
        # ok: llmsecops/llm-output-to-sql
        rows = connection.execute(text("SELECT id, total FROM orders WHERE customer = :c"), {"c": customer})
        return str(rows.fetchall())


@mcp.tool()
def sorted_orders(order_by: str) -> list:
    """Orders sorted by an allowed column."""
    if order_by not in SORTABLE:
        raise ValueError("unsupported sort column")
    conn = sqlite3.connect("shop.db")
    # ok: llmsecops/llm-output-to-sql
    return conn.execute(f"SELECT * FROM orders ORDER BY {order_by}").fetchall()


@tool
def recent_orders(days: str) -> str:
    """Orders of the last N days."""
    conn = sqlite3.connect("shop.db")
    # ok: llmsecops/llm-output-to-sql
    return str(conn.execute(f"SELECT * FROM orders WHERE created_at > date('now', '-{int(days)} days')").fetchall())


def store_answer(question: str) -> None:
    answer = client.chat.completions.create(model="gpt-4o", max_tokens=512, messages=[{"role": "user", "content": question}]).choices[0].message.content
    conn = sqlite3.connect("history.db")
    # Model text stored as a bound parameter.
    # ok: llmsecops/llm-output-to-sql
    conn.execute("INSERT INTO answers (question, answer) VALUES (?, ?)", (question, answer))
    conn.commit()


def admin_report(region: str):
    # A developer function's own argument: not model output.
    # ok: llmsecops/llm-output-to-sql
    return pd.read_sql(f"SELECT * FROM sales WHERE region = '{region}'", engine)


class Granularity(enum.StrEnum):
    DAY = "day"
    WEEK = "week"


class Region(str, enum.Enum):
    EU = "eu"
    US = "us"


@function_tool
def signups(granularity: str) -> str:
    """Sign-ups grouped by day or week."""
    bucket = Granularity(granularity).value
    conn = sqlite3.connect("shop.db")
    # The value was coerced to a member of an Enum defined in this module.
    # ok: llmsecops/llm-output-to-sql
    return str(conn.execute(f"SELECT date_trunc('{bucket}', created_at), count(*) FROM users GROUP BY 1").fetchall())


@function_tool
def revenue_by_region(region: str) -> str:
    """Revenue of one sales region."""
    table = {"eu": "sales_eu", "us": "sales_us"}[Region[region.upper()].value]
    conn = sqlite3.connect("shop.db")
    # ok: llmsecops/llm-output-to-sql
    return str(conn.execute(f"SELECT sum(total) FROM {table}").fetchall())


@function_tool
def revenue_by_region_unchecked(region: str) -> str:
    """Revenue of one sales region (no coercion)."""
    conn = sqlite3.connect("shop.db")
    # ruleid: llmsecops/llm-output-to-sql
    return str(conn.execute(f"SELECT sum(total) FROM sales_{region}").fetchall())


class ReportBot:
    def __init__(self):
        self.conn = sqlite3.connect("reports.db")

    def run_report(self, call_args: dict) -> list:
        # ruleid: llmsecops/llm-output-to-sql
        return self.conn.execute("SELECT * FROM reports WHERE owner = '%s'" % call_args["owner"]).fetchall()

    def on_tool_calls(self, message) -> list:
        results = []
        for call in message.tool_calls:
            args = json.loads(call.function.arguments)
            results.append(self.run_report(args))
        return results


@function_tool
def sales_total(period: Granularity, store_id: int) -> str:
    """Total sales; the SDK validates both arguments against their types."""
    conn = sqlite3.connect("shop.db")
    # ok: llmsecops/llm-output-to-sql
    return str(conn.execute(f"SELECT sum(total) FROM sales_{period.value} WHERE store = {store_id}").fetchall())


def sales_total_untyped_dispatch(period: Granularity, store_id: int) -> str:
    # Annotations are not enforced on a plain function called with raw arguments.
    conn = sqlite3.connect("shop.db")
    # ruleid: llmsecops/llm-output-to-sql
    return str(conn.execute(f"SELECT sum(total) FROM sales_{period} WHERE store = {store_id}").fetchall())


def on_sales_call(call):
    return sales_total_untyped_dispatch(**json.loads(call.function.arguments))


class VectorSearchTool:
    def _validate_identifier(self, name: str) -> str:
        if not name.isidentifier():
            raise ValueError(f"bad identifier: {name}")
        return name

    def run_search(self, call):
        args = json.loads(call.function.arguments)
        column = self._validate_identifier(args["filter_by"])
        # ok: llmsecops/llm-output-to-sql
        self.cursor.execute(f"SELECT id FROM docs WHERE {column} = ?", (args["value"],))
        # ruleid: llmsecops/llm-output-to-sql
        self.cursor.execute(f"SELECT id FROM docs WHERE {args['filter_by']} = 1")
