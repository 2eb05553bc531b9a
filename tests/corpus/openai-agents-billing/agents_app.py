"""Billing assistant built with the OpenAI Agents SDK, exposed through FastAPI."""

import sqlite3
from enum import Enum
from pathlib import Path
from urllib.parse import urlparse

import httpx
from agents import Agent, Runner, function_tool
from fastapi import FastAPI, Request
from pydantic import BaseModel

DB = sqlite3.connect("billing.db", check_same_thread=False)
REPORT_DIR = Path("/var/reports").resolve()
PARTNER_HOSTS = {"api.stripe.com", "api.partner-billing.example"}


class Period(str, Enum):
    month = "month"
    quarter = "quarter"
    year = "year"


@function_tool
def run_sql(query: str) -> str:
    """Run a read-only SQL query against the billing database."""
    return str(DB.execute(query).fetchall())  # vuln: tool-output-sinks


@function_tool
def get_invoice(invoice_id: int) -> str:
    """Look up one invoice by its numeric id."""
    row = DB.execute(  # safe: tool-output-sinks
        "SELECT id, amount, status FROM invoices WHERE id = ?", (invoice_id,)
    ).fetchone()
    return str(row)


@function_tool
def revenue(period: Period) -> str:
    """Total revenue for the current month, quarter or year."""
    column = {"month": "month_key", "quarter": "quarter_key", "year": "year_key"}[
        Period(period).value
    ]
    return str(  # safe: tool-output-sinks
        DB.execute(f"SELECT SUM(amount) FROM invoices GROUP BY {column}").fetchall()
    )


@function_tool
def export_report(filename: str, body: str) -> str:
    """Save a report under the reports folder."""
    (REPORT_DIR / filename).write_text(body)  # vuln: tool-output-sinks
    return "saved"


@function_tool
def export_report_checked(filename: str, body: str) -> str:
    """Save a report under the reports folder (plain file names only)."""
    target = REPORT_DIR / Path(filename).name
    target.write_text(body)  # safe: tool-output-sinks
    return "saved"


@function_tool
async def fetch_partner_invoice(url: str) -> str:
    """Download an invoice document from a partner URL."""
    async with httpx.AsyncClient(timeout=15) as http:
        return (await http.get(url)).text[:5000]  # vuln: tool-output-sinks


@function_tool
async def fetch_partner_invoice_checked(url: str) -> str:
    """Download an invoice document from a known partner."""
    if urlparse(url).hostname not in PARTNER_HOSTS:
        return "unknown partner"
    async with httpx.AsyncClient(timeout=15) as http:
        return (await http.get(url)).text[:5000]  # safe: tool-output-sinks


BILLING_INSTRUCTIONS = "You are a billing assistant. Answer using the tools; never change data."
app = FastAPI()


class ChatIn(BaseModel):
    message: str
    customer_note: str = ""


@app.post("/chat")
async def chat(body: ChatIn, request: Request):
    agent = Agent(  # vuln: prompt-injection
        name="billing",
        instructions=f"{BILLING_INSTRUCTIONS}\nCustomer: {request.headers.get('X-Customer-Name')}\nNote from customer: {body.customer_note}",
        tools=[run_sql, export_report, fetch_partner_invoice],
    )
    result = await Runner.run(agent, body.message)
    return {"answer": result.final_output}


safe_agent = Agent(
    name="billing-safe",
    instructions=BILLING_INSTRUCTIONS,
    tools=[get_invoice, revenue, export_report_checked, fetch_partner_invoice_checked],
)


@app.post("/chat/safe")
async def chat_safe(body: ChatIn):
    result = await Runner.run(safe_agent, input=body.message)  # safe: prompt-injection
    return {"answer": result.final_output}
