# Fixtures for llmsecops/unpinned-model-revision. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import os
from pathlib import Path

import transformers
from datasets import load_dataset
from huggingface_hub import hf_hub_download, snapshot_download
from peft import PeftModel
from transformers import AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer, pipeline

BASE_MODEL = "mistralai/Mistral-7B-Instruct-v0.2"
PINNED = "41b61a33a2483885c981aa79e0df6b32407ed873"
LOCAL_MODEL = "./models/llama-3-8b"
MODELS_DIR = Path(__file__).parent / "models"


def load_chat_model():
    # ruleid: llmsecops/unpinned-model-revision
    tokenizer = AutoTokenizer.from_pretrained("meta-llama/Meta-Llama-3-8B-Instruct")
    model = AutoModelForCausalLM.from_pretrained(
        # ruleid: llmsecops/unpinned-model-revision
        BASE_MODEL,
        device_map="auto",
    )
    return tokenizer, model


def classifier(settings):
    # ruleid: llmsecops/unpinned-model-revision
    return AutoModelForSequenceClassification.from_pretrained(settings.model_name, num_labels=2)


def fetch_gguf():
    # ruleid: llmsecops/unpinned-model-revision
    return hf_hub_download(repo_id="TheBloke/Llama-2-7B-Chat-GGUF", filename="llama-2-7b-chat.Q4_K_M.gguf")


def fetch_snapshot(model_id: str):
    # ruleid: llmsecops/unpinned-model-revision
    return snapshot_download(model_id, allow_patterns=["*.safetensors", "*.json"])


def training_data():
    # ruleid: llmsecops/unpinned-model-revision
    return load_dataset("tatsu-lab/alpaca", split="train")


def summarizer():
    # ruleid: llmsecops/unpinned-model-revision
    return transformers.pipeline("summarization", model="facebook/bart-large-cnn", device=0)


def gpt2():
    # ruleid: llmsecops/unpinned-model-revision
    return pipeline("text-generation", model="gpt2")


def load_reranker(name: str = BASE_MODEL):
    # ruleid: llmsecops/unpinned-model-revision
    return transformers.AutoModel.from_pretrained(name)


def pinned():
    # ok: llmsecops/unpinned-model-revision
    tok = AutoTokenizer.from_pretrained(BASE_MODEL, revision=PINNED)
    # ok: llmsecops/unpinned-model-revision
    path = hf_hub_download(repo_id="TheBloke/Llama-2-7B-Chat-GGUF", filename="llama-2-7b-chat.Q4_K_M.gguf", revision="191239b3e26b2882fb562ffccdd1cf0f65402adb")
    # ok: llmsecops/unpinned-model-revision
    ds = load_dataset("tatsu-lab/alpaca", split="train", revision="dce01c9b08f87459cf36a430d809084718273017")
    return tok, path, ds


def local_models():
    # ok: llmsecops/unpinned-model-revision
    a = AutoModelForCausalLM.from_pretrained("./checkpoints/finetuned")
    # ok: llmsecops/unpinned-model-revision
    b = AutoTokenizer.from_pretrained("/opt/models/llama3")
    # ok: llmsecops/unpinned-model-revision
    c = AutoModelForCausalLM.from_pretrained(os.path.join(MODELS_DIR, "llama"))
    # ok: llmsecops/unpinned-model-revision
    d = AutoModelForCausalLM.from_pretrained(MODELS_DIR / "llama")
    # ok: llmsecops/unpinned-model-revision
    e = AutoTokenizer.from_pretrained("~/models/tokenizer")
    # ok: llmsecops/unpinned-model-revision
    f = AutoModelForCausalLM.from_pretrained(BASE_MODEL, local_files_only=True)
    # ok: llmsecops/unpinned-model-revision
    g = AutoModelForCausalLM.from_pretrained(LOCAL_MODEL)
    return a, b, c, d, e, f, g


def local_data(output_dir, tmp_dir):
    # ok: llmsecops/unpinned-model-revision
    ds = load_dataset("json", data_files="data/train.jsonl")
    # ok: llmsecops/unpinned-model-revision
    model = AutoModelForCausalLM.from_pretrained(output_dir)
    # ok: llmsecops/unpinned-model-revision
    tok = AutoTokenizer.from_pretrained(tmp_dir)
    # ok: llmsecops/unpinned-model-revision
    adapter = PeftModel.from_pretrained(model, "./lora-adapter")
    return ds, tok, adapter


def from_config(name, **hub_kwargs):
    # ok: llmsecops/unpinned-model-revision
    return AutoModelForCausalLM.from_pretrained(name, **hub_kwargs)


def vertex_embeddings(model_name: str):
    from vertexai.language_models import TextEmbeddingModel

    # A hosted Vertex AI model, named; nothing is downloaded.
    # ok: llmsecops/unpinned-model-revision
    return TextEmbeddingModel.from_pretrained(model_name)


def hub_model(model_name: str):
    # ruleid: llmsecops/unpinned-model-revision
    return AutoModelForCausalLM.from_pretrained(model_name)
