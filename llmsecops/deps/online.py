"""OSV's query API (``POST /v1/querybatch``, then ``GET /v1/vulns/{id}``)
for packages no local database covers (npm, online).

Any failure to get a complete answer raises ``ServiceError`` with one line:
the caller turns it into an incomplete run, never into "no vulnerabilities".
The base URL is a parameter so tests can point it at a local server.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from llmsecops.deps.osv import Advisory, parse_advisory

DEFAULT_API = "https://api.osv.dev"
BATCH = 1000  # the API's limit on queries per batch
MAX_PAGES = 20


class ServiceError(Exception):
    pass


def _request(url: str, body: object | None, timeout_s: float) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by the caller
        url,
        data=data,
        method="POST" if data is not None else "GET",
        headers={"Content-Type": "application/json", "User-Agent": "llmsecops"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise ServiceError(f"OSV API {url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ServiceError(f"OSV API {url} unreachable: {reason}") from None
    try:
        return json.loads(raw)
    except ValueError:
        raise ServiceError(f"OSV API {url}: answer is not JSON") from None


def check_url(base: str) -> str:
    base = base.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise ServiceError(f"OSV API URL {base!r} is not http(s)")
    return base


def query(
    base: str, ecosystem: str, packages: Sequence[tuple[str, str]], timeout_s: float
) -> dict[tuple[str, str], list[Advisory]]:
    """Advisories OSV reports for each (name, version); complete or an error."""
    base = check_url(base)
    ids: dict[tuple[str, str], list[str]] = {p: [] for p in packages}
    todo: list[tuple[tuple[str, str], str]] = [(p, "") for p in packages]
    pages = 0
    while todo:
        pages += 1
        if pages > MAX_PAGES * max(1, len(packages) // BATCH + 1):
            raise ServiceError(f"OSV API {base}: too many result pages")
        batch, todo = todo[:BATCH], todo[BATCH:]
        queries = []
        for (name, version), token in batch:
            q: dict[str, Any] = {"package": {"name": name, "ecosystem": ecosystem}}
            q["version"] = version
            if token:
                q["page_token"] = token
            queries.append(q)
        answer = _request(f"{base}/v1/querybatch", {"queries": queries}, timeout_s)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(batch):
            raise ServiceError(f"OSV API {base}: querybatch answer does not match the query")
        for (pkg, _), result in zip(batch, results, strict=True):
            if not isinstance(result, dict):
                raise ServiceError(f"OSV API {base}: malformed querybatch result")
            for vuln in result.get("vulns") or []:
                if isinstance(vuln, dict) and isinstance(vuln.get("id"), str):
                    ids[pkg].append(vuln["id"])
            next_token = result.get("next_page_token")
            if isinstance(next_token, str) and next_token:
                todo.append((pkg, next_token))
    unique = sorted({i for found in ids.values() for i in found})
    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="osv") as pool:
        records = dict(
            zip(unique, pool.map(lambda i: _vuln(base, i, timeout_s), unique), strict=True)
        )
    return {p: [records[i] for i in dict.fromkeys(found)] for p, found in ids.items()}


def _vuln(base: str, vid: str, timeout_s: float) -> Advisory:
    data = _request(f"{base}/v1/vulns/{urllib.parse.quote(vid)}", None, timeout_s)
    try:
        return parse_advisory(data)
    except ValueError as exc:
        raise ServiceError(f"OSV API {base}: record {vid}: {exc}") from None
