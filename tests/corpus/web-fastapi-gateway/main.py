"""API gateway for internal services (FastAPI / Starlette)."""
import asyncio
import codecs
import configparser
import hashlib
import os
import pickle
import random
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

import httpx
import jsonpickle
from fastapi import Depends, FastAPI, File, Form, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from lxml import etree
from sqlalchemy import select, text
from starlette.middleware.sessions import SessionMiddleware

from .db import Job, engine, get_session

app = FastAPI()
app.add_middleware(SessionMiddleware, secret_key=os.environ["SESSION_SECRET"])
STORE = Path("/data/blobs")
SERVICES = {"billing": "http://billing.internal:8080", "search": "http://search.internal:9200"}
JOB_TYPES = {"reindex", "vacuum", "export"}


@app.post("/jobs/run")
async def run_job(job: str = Form(...), args: str = Form("")):
    argv = ["/opt/jobs/run.sh", job]
    argv.append(args)
    line = " ".join(argv)
    proc = await asyncio.create_subprocess_shell(line)  # vuln: web-command-injection
    return {"pid": proc.pid}


@app.post("/jobs/known")
async def run_known(job: str = Form(...)):
    if job not in JOB_TYPES:
        return JSONResponse({"error": "unknown job"}, status_code=400)
    proc = await asyncio.create_subprocess_shell("/opt/jobs/run.sh " + job)  # safe: web-command-injection
    return {"pid": proc.pid}


@app.post("/rules/test")
async def test_rule(request: Request):
    body = await request.json()
    rule = codecs.decode(body["rule"], "rot13")
    scope = {"event": body.get("event", {})}
    exec(rule, scope)  # vuln: web-code-injection
    return {"result": scope.get("result")}


@app.get("/jobs")
async def list_jobs(owner: str, limit: int = 50):
    with engine.connect() as conn:
        rows = conn.execute(text(f"SELECT id, state FROM jobs WHERE owner = '{owner}' LIMIT {limit}")).fetchall()  # vuln: web-sql-injection
        mine = conn.execute(text("SELECT id, state FROM jobs WHERE owner = :o LIMIT :n"), {"o": owner, "n": limit}).fetchall()  # safe: web-sql-injection
        orm = conn.execute(select(Job).where(Job.owner == owner).limit(limit)).fetchall()  # safe: web-sql-injection
    return {"rows": [tuple(r) for r in rows + mine + orm]}


@app.get("/blobs/{name}")
async def get_blob(name: str):
    return FileResponse(STORE / name)  # vuln: web-path-traversal


@app.get("/blobs/{name}/text")
async def get_blob_text(name: str):
    path = (STORE / name).resolve()
    if not path.is_relative_to(STORE):
        return JSONResponse({"error": "outside store"}, status_code=400)
    return {"text": path.read_text()}  # safe: web-path-traversal


@app.post("/blobs")
async def put_blob(file: UploadFile = File(...)):
    dest = STORE / file.filename
    dest.write_bytes(await file.read())  # vuln: web-path-traversal
    return {"stored": str(dest)}


@app.get("/welcome", response_class=HTMLResponse)
async def welcome(request: Request):
    name = unquote(request.query_params.get("name", "friend"))
    return HTMLResponse(f"<html><body>Hello {name}</body></html>")  # vuln: web-xss


@app.get("/welcome/json")
async def welcome_json(name: str = "friend"):
    return JSONResponse({"greeting": "Hello " + name})  # safe: web-xss


@app.get("/go")
async def go(to: str):
    return RedirectResponse(url=to)  # vuln: web-open-redirect


@app.get("/go/internal")
async def go_internal(page: str):
    return RedirectResponse(url="/app/" + page)  # safe: web-open-redirect


@app.post("/session/tenant")
async def set_tenant(request: Request):
    form = await request.form()
    request.session["tenant"] = form["tenant"]  # vuln: web-trust-boundary
    request.session["seen"] = True  # safe: web-trust-boundary
    return {"ok": True}


@app.get("/catalog")
async def catalog(sku: str):
    tree = etree.parse("/data/catalog.xml")
    hits = tree.xpath(f"//item[sku='{sku}']/price")  # vuln: web-xpath-injection
    safe_hits = tree.xpath("//item[sku=$sku]/price", sku=sku)  # safe: web-xpath-injection
    return {"n": len(hits) + len(safe_hits)}


@app.post("/cache/load")
async def cache_load(request: Request):
    raw = await request.body()
    obj = jsonpickle.decode(raw.decode())  # vuln: web-deserialization
    snapshot = pickle.loads(Path("/data/snapshot.pkl").read_bytes())  # safe: web-deserialization
    return {"type": type(obj).__name__, "snap": len(snapshot)}


@app.post("/import/xml")
async def import_xml(file: UploadFile = File(...)):
    content = await file.read()
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    root = etree.fromstring(content, parser=parser)  # vuln: web-xxe
    return {"root": root.tag}


@app.post("/import/xml/safe")
async def import_xml_safe(file: UploadFile = File(...)):
    content = await file.read()
    root = etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))  # safe: web-xxe
    return {"root": root.tag}


@app.get("/proxy")
async def proxy(target: str, path: str = "/"):
    async with httpx.AsyncClient() as client:
        resp = await client.get(target + path)  # vuln: web-ssrf
    return {"status": resp.status_code}


@app.get("/proxy/service")
async def proxy_service(service: str, path: str = "/"):
    base = SERVICES.get(service, SERVICES["search"])
    async with httpx.AsyncClient() as client:
        resp = await client.get(base + "/" + path.lstrip("/"))  # safe: web-ssrf
    return {"status": resp.status_code}


@app.get("/config/value")
async def config_value(key: str):
    conf = configparser.ConfigParser()
    conf.read_dict({"gw": {"motd": "hello"}})
    conf.set("gw", "requested", key)
    value = conf.get("gw", "requested")
    with open("/data/config/" + value) as fh:  # vuln: web-path-traversal
        return {"value": fh.read()}


@app.post("/api-keys")
async def new_key(request: Request):
    key = "gw_" + "".join(random.choices("abcdef0123456789", k=32))  # vuln: web-weak-random
    token = secrets.token_hex(16)  # safe: web-weak-random
    fingerprint = hashlib.new("md5", key.encode()).hexdigest()  # vuln: web-weak-crypto
    check = hashlib.blake2b(token.encode()).hexdigest()  # safe: web-weak-crypto
    resp = JSONResponse({"key": key, "fp": fingerprint, "check": check})
    resp.set_cookie("gw_key", key, secure=False)  # vuln: web-insecure-cookie
    resp.set_cookie("gw_token", token, secure=True, httponly=True, samesite="strict")  # safe: web-insecure-cookie
    return resp
