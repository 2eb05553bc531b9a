import os
import shutil
from pathlib import Path

from fastapi import FastAPI, UploadFile
from flask import Flask, request, send_file, send_from_directory
from werkzeug.utils import secure_filename

app = Flask(__name__)
api = FastAPI()
BASE = "/srv/files"


@app.route("/download")
def download():
    name = request.args.get("file", "")
    # ruleid: llmsecops/web-path-traversal
    with open(os.path.join(BASE, name)) as fh:
        data = fh.read()
    # ruleid: llmsecops/web-path-traversal
    resp = send_file(BASE + "/" + name)
    # send_from_directory joins safely.
    # ok: llmsecops/web-path-traversal
    resp2 = send_from_directory(BASE, name)
    # ok: llmsecops/web-path-traversal
    with open(os.path.join(BASE, os.path.basename(name))) as fh:
        data += fh.read()
    return data or resp or resp2


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["doc"]
    # ruleid: llmsecops/web-path-traversal
    f.save(os.path.join(BASE, f.filename))
    # ok: llmsecops/web-path-traversal
    f.save(os.path.join(BASE, secure_filename(f.filename)))
    return "ok"


@app.route("/delete", methods=["POST"])
def delete():
    target = os.path.realpath(os.path.join(BASE, request.form["path"]))
    if not target.startswith(BASE + os.sep):
        return "forbidden", 403
    # ok: llmsecops/web-path-traversal
    os.remove(target)
    # ruleid: llmsecops/web-path-traversal
    shutil.rmtree(request.form["dir"])
    return "deleted"


@api.get("/notes/{name}")
async def read_note(name: str):
    path = Path(BASE) / name
    # ruleid: llmsecops/web-path-traversal
    return {"text": path.read_text()}


@api.post("/files")
async def store(file: UploadFile):
    # ok: llmsecops/web-path-traversal
    dest = Path(BASE) / Path(file.filename).name
    # ok: llmsecops/web-path-traversal
    dest.write_bytes(await file.read())
    return {"ok": True}
