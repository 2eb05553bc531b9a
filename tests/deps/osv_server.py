"""A local stand-in for OSV's services, on 127.0.0.1 only: the query API
(``/v1/querybatch``, ``/v1/vulns/{id}``) served from the fixture database,
and the per-ecosystem ``/{ecosystem}/all.zip`` exports."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.helpers import DATA

FIXTURE_DB = DATA / "osv"


@dataclass
class Server:
    url: str = ""
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    # (ecosystem, name, version) -> ids, as OSV would answer a query
    answers: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    fail_with: int = 0  # answer every request with this HTTP status


def _zip(records: dict[str, dict[str, Any]], ecosystem: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for vid, rec in sorted(records.items()):
            if any(a["package"]["ecosystem"] == ecosystem for a in rec.get("affected", [])):
                zf.writestr(f"{vid}.json", json.dumps(rec))
    return buffer.getvalue()


@contextmanager
def osv_server() -> Iterator[Server]:
    state = Server()
    for path in sorted(Path(FIXTURE_DB).glob("*.json")):
        rec = json.loads(path.read_text())
        state.records[rec["id"]] = rec

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path))
            if state.fail_with:
                return self._send(state.fail_with, b"{}")
            if self.path.startswith("/v1/vulns/"):
                rec = state.records.get(self.path.rsplit("/", 1)[1])
                if rec is None:
                    return self._send(404, b'{"message": "not found"}')
                return self._send(200, json.dumps(rec).encode())
            if self.path.endswith("/all.zip"):
                eco = self.path.strip("/").split("/")[0]
                return self._send(200, _zip(state.records, eco), "application/zip")
            return self._send(404, b"{}")

        def do_POST(self) -> None:
            state.requests.append(("POST", self.path))
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if state.fail_with:
                return self._send(state.fail_with, b"{}")
            results = []
            for q in body["queries"]:
                key = (q["package"]["ecosystem"], q["package"]["name"], q["version"])
                ids = state.answers.get(key, [])
                # Page through one id at a time, as OSV does for long answers.
                page = int(q.get("page_token") or 0)
                result: dict[str, Any] = {}
                if page < len(ids):
                    result["vulns"] = [{"id": ids[page], "modified": "2024-01-01T00:00:00Z"}]
                if page + 1 < len(ids):
                    result["next_page_token"] = str(page + 1)
                results.append(result)
            return self._send(200, json.dumps({"results": results}).encode())

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
