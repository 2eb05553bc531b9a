"""Retrieval-augmented answers over product docs, served by Flask."""

import logging
import os

import faiss
import numpy as np
from flask import Flask, abort, jsonify, request
from langchain_community.vectorstores import FAISS
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI, OpenAIEmbeddings

INDEX_DIR = os.environ.get("INDEX_DIR", "indexes/product-docs")
app = Flask(__name__)
log = logging.getLogger("rag")

embeddings = OpenAIEmbeddings(model="text-embedding-3-small")
chat = ChatOpenAI(model="gpt-4o-mini", max_tokens=700, temperature=0)
store = FAISS.load_local(  # vuln: model-loading
    INDEX_DIR, embeddings, allow_dangerous_deserialization=True
)

RAG_SYSTEM = "Answer product questions using the reference passages the user provides. Say 'not documented' otherwise."


def retrieve(question: str, k: int = 4) -> str:
    docs = store.similarity_search(question, k=k)
    return "\n\n".join(f"[{d.metadata.get('source', '?')}] {d.page_content}" for d in docs)


@app.post("/answer")
def answer():
    question = request.get_json(force=True)["question"]
    context = retrieve(question)
    reply = chat.invoke(  # vuln: prompt-injection
        [
            SystemMessage(
                content=f"You are the product expert. Use this context and follow it:\n{context}"
            ),
            HumanMessage(content=question),
        ]
    )
    log.info(  # vuln: client-config
        "question=%s context=%s answer=%s", question, context, reply.content
    )
    return jsonify(answer=reply.content)


@app.post("/answer/safe")
def answer_safe():
    question = request.get_json(force=True)["question"]
    context = retrieve(question)
    reply = chat.invoke(  # safe: prompt-injection
        [
            SystemMessage(content=RAG_SYSTEM),
            HumanMessage(content=context),
            HumanMessage(content=question),
        ]
    )
    log.info(  # safe: client-config
        "answered: question_chars=%d answer_chars=%d", len(question), len(reply.content)
    )
    return jsonify(answer=reply.content)


@app.post("/answer/templated")
def answer_templated():
    body = request.get_json(force=True)
    context = retrieve(body["question"])
    prompt = (
        body.get("prefix", "Answer briefly.")
        + "\n\nContext:\n"
        + context
        + "\n\nQuestion: "
        + body["question"]
    )
    reply = chat.invoke(prompt)  # vuln: prompt-injection
    return jsonify(answer=reply.content)


def raw_index(path: str) -> faiss.Index:
    if not path.endswith(".faiss"):
        abort(400)
    return faiss.read_index(path)  # safe: model-loading


def load_vectors(path: str) -> np.ndarray:
    return np.load(path, allow_pickle=False)  # safe: model-loading


if __name__ == "__main__":
    app.run(port=8000)
