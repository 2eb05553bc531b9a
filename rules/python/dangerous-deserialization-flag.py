# Fixtures for llmsecops/dangerous-deserialization-flag. Lines after "ruleid"
# must be flagged, lines after "ok" must not.
import keras
import numpy as np
import tensorflow as tf
from langchain_community.vectorstores import FAISS
from langchain_openai import OpenAIEmbeddings
from tensorflow.keras.models import load_model

embeddings = OpenAIEmbeddings()
INDEX_DIR = "vectorstore/faiss_index"


def load_index():
    # ruleid: llmsecops/dangerous-deserialization-flag
    return FAISS.load_local(INDEX_DIR, embeddings, allow_dangerous_deserialization=True)


def load_index_for_tenant(tenant_id: str):
    return FAISS.load_local(
        folder_path=f"indexes/{tenant_id}",
        embeddings=embeddings,
        # ruleid: llmsecops/dangerous-deserialization-flag
        allow_dangerous_deserialization=True,
    )


def load_index_kwargs(path):
    # ruleid: llmsecops/dangerous-deserialization-flag
    opts = {"allow_dangerous_deserialization": True}
    return FAISS.load_local(path, embeddings, **opts)


def load_classifier(path):
    # ruleid: llmsecops/dangerous-deserialization-flag
    return keras.models.load_model(path, safe_mode=False)


def load_tf_model(path):
    # ruleid: llmsecops/dangerous-deserialization-flag
    return load_model(path, compile=False, safe_mode=False)


def load_legacy_lambdas():
    # ruleid: llmsecops/dangerous-deserialization-flag
    keras.config.enable_unsafe_deserialization()
    return tf.keras.models.load_model("models/legacy.keras")


def load_embeddings_matrix(path):
    # ruleid: llmsecops/dangerous-deserialization-flag
    data = np.load(path, allow_pickle=True)
    return data["vectors"], data["metadata"]


def safe_index():
    # ok: llmsecops/dangerous-deserialization-flag
    return FAISS.load_local(INDEX_DIR, embeddings)


def safe_index_explicit():
    # ok: llmsecops/dangerous-deserialization-flag
    return FAISS.load_local(INDEX_DIR, embeddings, allow_dangerous_deserialization=False)


def safe_keras(path):
    # ok: llmsecops/dangerous-deserialization-flag
    return keras.models.load_model(path)


def safe_keras_explicit(path):
    # ok: llmsecops/dangerous-deserialization-flag
    return keras.saving.load_model(path, safe_mode=True)


def safe_numpy(path):
    # ok: llmsecops/dangerous-deserialization-flag
    return np.load(path)


def safe_numpy_explicit(path):
    # ok: llmsecops/dangerous-deserialization-flag
    return np.load(path, allow_pickle=False, mmap_mode="r")
