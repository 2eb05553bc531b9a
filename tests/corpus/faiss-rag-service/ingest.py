"""Build the product-docs vector index from PDFs and precomputed embeddings."""

import argparse
import pickle
from pathlib import Path

import joblib
import numpy as np
from langchain_community.document_loaders import PyPDFLoader
from langchain_community.vectorstores import FAISS
from langchain_openai import OpenAIEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter


def load_pdfs(folder: Path) -> list:
    docs = []
    for pdf in sorted(folder.glob("*.pdf")):
        docs.extend(PyPDFLoader(str(pdf)).load())
    return docs


def load_cached_embeddings(cache: Path) -> tuple[list[str], np.ndarray]:
    texts = (cache / "texts.txt").read_text().split("\x1e")
    vectors = np.load(cache / "vectors.npy", allow_pickle=True)  # vuln: model-loading
    return texts, vectors


def load_reranker(cache: Path):
    return joblib.load(cache / "reranker.joblib")  # vuln: model-loading


def load_tokenizer_stats(cache: Path) -> dict:
    with open(cache / "idf.pkl", "rb") as fh:
        return pickle.load(fh)  # vuln: model-loading


def build(folder: Path, out: Path, cache: Path | None) -> None:
    embeddings = OpenAIEmbeddings(model="text-embedding-3-small")
    splitter = RecursiveCharacterTextSplitter(chunk_size=1200, chunk_overlap=150)
    if cache and (cache / "vectors.npy").exists():
        texts, vectors = load_cached_embeddings(cache)
        store = FAISS.from_embeddings(list(zip(texts, vectors.tolist())), embeddings)
    else:
        chunks = splitter.split_documents(load_pdfs(folder))
        store = FAISS.from_documents(chunks, embeddings)
    store.save_local(str(out))
    print(f"saved {store.index.ntotal} vectors to {out}")


def reload_for_check(out: Path) -> FAISS:
    return FAISS.load_local(  # vuln: model-loading
        str(out),
        OpenAIEmbeddings(model="text-embedding-3-small"),
        allow_dangerous_deserialization=True,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=Path("indexes/product-docs"))
    parser.add_argument("--cache", type=Path)
    args = parser.parse_args()
    build(args.folder, args.out, args.cache)
    reload_for_check(args.out)
