# Fixtures for llmsecops/pickle-model-load. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import json
import pickle
from pathlib import Path

import cloudpickle
import dill
import joblib
import pandas as pd
import redis
import requests
from joblib import load as jl_load
from torch.package import PackageImporter

MODEL_DIR = Path("models")
cache = redis.Redis()


def load_classifier():
    with open(MODEL_DIR / "intent_classifier.pkl", "rb") as f:
        # ruleid: llmsecops/pickle-model-load
        return pickle.load(f)


def load_vectorizer(path):
    # ruleid: llmsecops/pickle-model-load
    return joblib.load(path)


def load_reranker():
    # ruleid: llmsecops/pickle-model-load
    return jl_load("artifacts/reranker.joblib")


def load_embeddings_frame():
    # ruleid: llmsecops/pickle-model-load
    return pd.read_pickle("data/chunk_embeddings.pkl")


def load_agent_state(path: Path):
    # ruleid: llmsecops/pickle-model-load
    return dill.loads(path.read_bytes())


def load_pipeline(path):
    with open(path, "rb") as fh:
        blob = fh.read()
    # ruleid: llmsecops/pickle-model-load
    return cloudpickle.loads(blob)


def load_index(path):
    f = open(path, "rb")
    # ruleid: llmsecops/pickle-model-load
    docstore = pickle.loads(f.read())
    return docstore


def load_packaged(path):
    # ruleid: llmsecops/pickle-model-load
    importer = PackageImporter(path)
    return importer.load_pickle("model", "model.pkl")


def download_model(url):
    blob = requests.get(url, timeout=30).content
    # ruleid: llmsecops/pickle-model-load
    return pickle.loads(blob)


def save_classifier(model):
    with open(MODEL_DIR / "intent_classifier.pkl", "wb") as f:
        # ok: llmsecops/pickle-model-load
        pickle.dump(model, f)
    # ok: llmsecops/pickle-model-load
    joblib.dump(model, MODEL_DIR / "clf.joblib")


def roundtrip(obj):
    # In-memory copy, not a file: out of this rule's scope.
    # ok: llmsecops/pickle-model-load
    return pickle.loads(pickle.dumps(obj))


def load_config(path):
    with open(path) as f:
        # ok: llmsecops/pickle-model-load
        return json.load(f)


def load_frame():
    # ok: llmsecops/pickle-model-load
    return pd.read_parquet("data/chunk_embeddings.parquet")


def cached_answer(key):
    raw = cache.get(key)
    # ok: llmsecops/pickle-model-load
    return pickle.loads(raw) if raw else None
