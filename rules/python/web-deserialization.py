import base64
import json
import pickle

import yaml
from fastapi import FastAPI, Request
from flask import Flask, request

app = Flask(__name__)
api = FastAPI()


@app.route("/restore", methods=["POST"])
def restore():
    blob = base64.b64decode(request.cookies.get("state", ""))
    # ruleid: llmsecops/web-deserialization
    state = pickle.loads(blob)
    # ok: llmsecops/web-deserialization
    state2 = json.loads(blob)
    return {"state": str(state) + str(state2)}


@app.route("/config", methods=["POST"])
def config():
    text = request.files["config"].read()
    # ruleid: llmsecops/web-deserialization
    cfg = yaml.load(text, Loader=yaml.Loader)
    # ok: llmsecops/web-deserialization
    cfg2 = yaml.safe_load(text)
    # ok: llmsecops/web-deserialization
    cfg3 = yaml.load(text, Loader=yaml.SafeLoader)
    return {"keys": list(cfg) + list(cfg2) + list(cfg3)}


@api.post("/import")
async def import_data(req: Request):
    body = await req.body()
    # ruleid: llmsecops/web-deserialization
    return {"obj": repr(pickle.loads(body))}


def django_view(request):
    # ruleid: llmsecops/web-deserialization
    return yaml.unsafe_load(request.body)
