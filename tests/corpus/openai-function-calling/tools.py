"""Order lookups used by the assistant's lookup_order function."""

import sqlite3
from contextlib import closing

DB_PATH = "orders.db"


def _connect() -> sqlite3.Connection:
    conn = sqlite3.connect(DB_PATH)
    conn.row_factory = sqlite3.Row
    return conn


def lookup_order(customer: str) -> str:
    with closing(_connect()) as conn:
        rows = conn.execute(  # vuln: tool-output-sinks
            "SELECT id, status, total FROM orders WHERE customer = '%s' ORDER BY id DESC" % customer
        ).fetchall()
    return "\n".join(f"{r['id']}: {r['status']} ({r['total']})" for r in rows) or "no orders"


def lookup_order_safe(customer: str) -> str:
    with closing(_connect()) as conn:
        rows = conn.execute(  # safe: tool-output-sinks
            "SELECT id, status, total FROM orders WHERE customer = ? ORDER BY id DESC",
            (customer,),
        ).fetchall()
    return "\n".join(f"{r['id']}: {r['status']} ({r['total']})" for r in rows) or "no orders"


def count_orders(status: str) -> int:
    with closing(_connect()) as conn:
        (n,) = conn.execute("SELECT COUNT(*) FROM orders WHERE status = ?", (status,)).fetchone()
    return n


def order_statuses() -> list[str]:
    with closing(_connect()) as conn:
        return [r[0] for r in conn.execute("SELECT DISTINCT status FROM orders")]


if __name__ == "__main__":
    for status in order_statuses():
        print(status, count_orders(status))
