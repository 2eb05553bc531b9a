"""Document loading and retrieval for DocBot.

Sources are listed in config/deploy.yaml, fetched over HTTPS, fingerprinted
and cached in a local index. Retrieval is plain keyword overlap to keep the
demo small. Planted problems carry a trailing VULNERABLE comment, their
safe twins a trailing SAFE comment.
"""
import hashlib
import json
import pickle  # VULNERABLE: pickle imported to (de)serialise the index (bandit B403)
from pathlib import Path

import requests
import yaml

from app.settings import INDEX_DIR

CONFIG_PATH = "config/deploy.yaml"


def load_sources(path: str = CONFIG_PATH) -> list[str]:
    with open(path) as fh:
        config = yaml.load(fh, Loader=yaml.Loader)  # VULNERABLE: full YAML loader can build arbitrary Python objects
    return config["rag"]["sources"]


def load_sources_safe(path: str = CONFIG_PATH) -> list[str]:
    with open(path) as fh:
        config = yaml.safe_load(fh)  # SAFE: safe_load only builds plain data
    return config["rag"]["sources"]


def fetch_document(url: str) -> str:
    resp = requests.get(url, timeout=10, verify=False)  # VULNERABLE: TLS certificate verification disabled
    resp.raise_for_status()
    return resp.text


def fetch_document_safe(url: str) -> str:
    resp = requests.get(url, timeout=10, verify=True)  # SAFE: TLS certificates are verified
    resp.raise_for_status()
    return resp.text


def fingerprint(text: str) -> str:
    """Integrity fingerprint used to spot tampered documents in the mirror."""
    return hashlib.md5(text.encode()).hexdigest()  # VULNERABLE: MD5 is broken for integrity checks


def fingerprint_safe(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()  # SAFE: SHA-256 for integrity checks


def load_index(name: str = "docs.pkl") -> list[dict]:
    with open(Path(INDEX_DIR) / name, "rb") as fh:
        return pickle.load(fh)  # VULNERABLE: unpickling a file runs arbitrary code if it was tampered with


def load_index_safe(name: str = "docs.json") -> list[dict]:
    with open(Path(INDEX_DIR) / name) as fh:
        return json.load(fh)  # SAFE: JSON only yields plain data


def build_index(urls: list[str]) -> list[dict]:
    docs = []
    for url in urls:
        text = fetch_document_safe(url)
        docs.append({"url": url, "sha256": fingerprint_safe(text), "text": text})
    (Path(INDEX_DIR) / "docs.json").write_text(json.dumps(docs))
    return docs


def retrieve(question: str, index: list[dict], k: int = 3) -> list[dict]:
    """Return the k documents sharing the most words with the question."""
    words = set(question.lower().split())
    ranked = sorted(index, key=lambda doc: len(words & set(doc["text"].lower().split())), reverse=True)
    return ranked[:k]
