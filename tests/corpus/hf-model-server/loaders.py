"""Model and artifact loaders for the inference server."""

import os
import pickle

import joblib
import keras
import numpy as np
import torch
from safetensors.torch import load_file
from transformers import (
    AutoModelForCausalLM,
    AutoModelForSequenceClassification,
    AutoTokenizer,
    pipeline,
)

CHAT_MODEL = os.environ.get("CHAT_MODEL", "acme-labs/support-7b-chat")
GUARD_MODEL = "acme-labs/prompt-guard-mini"
GUARD_REVISION = "3f1c2b7d9e4a5f60718293a4b5c6d7e8f9012345"
ADAPTER_DIR = os.environ.get("ADAPTER_DIR", "/models/adapters")


def load_chat_model():
    tokenizer = AutoTokenizer.from_pretrained(CHAT_MODEL)  # vuln: model-loading
    model = AutoModelForCausalLM.from_pretrained(  # vuln: model-loading
        CHAT_MODEL,
        trust_remote_code=True,
        torch_dtype=torch.bfloat16,
        device_map="auto",
    )
    return tokenizer, model


def load_guard_model():
    tokenizer = AutoTokenizer.from_pretrained(  # safe: model-loading
        GUARD_MODEL, revision=GUARD_REVISION
    )
    model = AutoModelForSequenceClassification.from_pretrained(  # safe: model-loading
        GUARD_MODEL,
        revision=GUARD_REVISION,
        use_safetensors=True,
        trust_remote_code=False,
    )
    return tokenizer, model


def load_adapter(model, name: str):
    state = torch.load(  # vuln: model-loading
        os.path.join(ADAPTER_DIR, f"{name}.pt"), map_location="cpu"
    )
    model.load_state_dict(state, strict=False)
    return model


def load_adapter_safe(model, name: str):
    state = torch.load(  # safe: model-loading
        os.path.join(ADAPTER_DIR, f"{name}.pt"), map_location="cpu", weights_only=True
    )
    model.load_state_dict(state, strict=False)
    return model


def load_adapter_safetensors(model, name: str):
    model.load_state_dict(  # safe: model-loading
        load_file(os.path.join(ADAPTER_DIR, f"{name}.safetensors")), strict=False
    )
    return model


def load_router():
    return joblib.load("/models/router/intent_router.joblib")  # vuln: model-loading


def load_calibration():
    with open("/models/router/calibration.pkl", "rb") as fh:
        return pickle.load(fh)  # vuln: model-loading


def load_reranker():
    return keras.models.load_model("/models/reranker.keras", safe_mode=False)  # vuln: model-loading


def load_reranker_safe():
    return keras.models.load_model("/models/reranker.keras")  # safe: model-loading


def load_centroids():
    return np.load("/models/router/centroids.npy")  # safe: model-loading


def summarizer():
    return pipeline(  # vuln: model-loading
        "summarization", model="acme-labs/sum-base", trust_remote_code=True
    )
