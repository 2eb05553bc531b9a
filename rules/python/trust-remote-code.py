# Fixtures for llmsecops/trust-remote-code. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import os

import datasets
import transformers
from datasets import load_dataset
from langchain_huggingface import HuggingFaceEmbeddings
from sentence_transformers import SentenceTransformer
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, pipeline
from vllm import LLM

MODEL_ID = "microsoft/phi-2"
PHI_REVISION = "ef382358ec9e382308935a992d908de099b64c23"
TRUST = True


def load_phi():
    # ruleid: llmsecops/trust-remote-code
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID, revision=PHI_REVISION, trust_remote_code=True)
    model = AutoModelForCausalLM.from_pretrained(
        MODEL_ID,
        revision=PHI_REVISION,
        torch_dtype="auto",
        # ruleid: llmsecops/trust-remote-code
        trust_remote_code=True,
    )
    return tokenizer, model


def load_config(name: str):
    # The revision is not pinned either: both rules report this line.
    # ruleid: llmsecops/trust-remote-code
    # ruleid: llmsecops/unpinned-model-revision
    return AutoConfig.from_pretrained(name, trust_remote_code=TRUST)


def make_pipeline():
    # ruleid: llmsecops/trust-remote-code
    return pipeline("text-generation", model="tiiuae/falcon-7b-instruct", revision="8c8f3a9e5f7d4c2b1a0e9d8c7b6a5f4e3d2c1b0a", trust_remote_code=True)


def embedder():
    # ruleid: llmsecops/trust-remote-code
    return SentenceTransformer("nomic-ai/nomic-embed-text-v1.5", trust_remote_code=True)


def lc_embeddings():
    return HuggingFaceEmbeddings(
        model_name="jinaai/jina-embeddings-v2-base-en",
        # ruleid: llmsecops/trust-remote-code
        model_kwargs={"device": "cpu", "trust_remote_code": True},
    )


def serve():
    # ruleid: llmsecops/trust-remote-code
    return LLM(model="Qwen/Qwen-7B-Chat", trust_remote_code=True, tensor_parallel_size=2)


def dataset():
    # ruleid: llmsecops/trust-remote-code
    # ruleid: llmsecops/unpinned-model-revision
    return datasets.load_dataset("some-user/custom-loader", split="train", trust_remote_code=True)


def via_kwargs(name):
    # ruleid: llmsecops/trust-remote-code
    load_kwargs = {"torch_dtype": "auto", "trust_remote_code": True}
    return transformers.AutoModel.from_pretrained(name, **load_kwargs)


# ruleid: llmsecops/trust-remote-code
os.environ["HF_DATASETS_TRUST_REMOTE_CODE"] = "1"


def safe_default():
    # ok: llmsecops/trust-remote-code
    tok = AutoTokenizer.from_pretrained("meta-llama/Llama-3.1-8B-Instruct", revision="0e9e39f249a16976918f6564b8830bc894c89659")
    # ok: llmsecops/trust-remote-code
    model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B-Instruct", revision="0e9e39f249a16976918f6564b8830bc894c89659", trust_remote_code=False)
    return tok, model


def safe_embedder():
    # ok: llmsecops/trust-remote-code
    return SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")


def safe_vllm():
    # ok: llmsecops/trust-remote-code
    return LLM(model="mistralai/Mistral-7B-Instruct-v0.3", trust_remote_code=False)


def safe_dataset():
    # ok: llmsecops/trust-remote-code
    return load_dataset("squad", split="validation", revision="7b6d24c440a36b6815f21b70d25016731768db1f")


def safe_kwargs():
    # ok: llmsecops/trust-remote-code
    return {"torch_dtype": "auto", "trust_remote_code": False}


# ok: llmsecops/trust-remote-code
os.environ["HF_DATASETS_TRUST_REMOTE_CODE"] = "0"
