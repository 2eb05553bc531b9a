"""Employee handbook Q&A over a LlamaIndex vector index, served by FastAPI."""

import os

from fastapi import FastAPI
from llama_index.core import (
    PromptTemplate,
    Settings,
    SimpleDirectoryReader,
    StorageContext,
    VectorStoreIndex,
    load_index_from_storage,
)
from llama_index.core.llms import ChatMessage
from llama_index.embeddings.huggingface import HuggingFaceEmbedding
from llama_index.llms.openai import OpenAI
from pydantic import BaseModel

DATA_DIR = os.environ.get("HANDBOOK_DIR", "./handbook")
PERSIST_DIR = "./storage"

Settings.llm = OpenAI(model="gpt-4o-mini", temperature=0.1, max_tokens=800)
Settings.embed_model = HuggingFaceEmbedding(  # vuln: model-loading
    model_name="nomic-ai/nomic-embed-text-v1.5",
    trust_remote_code=True,
)

QA_TEMPLATE = PromptTemplate(
    "Context information is below.\n"
    "---------------------\n{context_str}\n---------------------\n"
    "Using only the context, answer the question.\nQuestion: {query_str}\nAnswer: "
)
SYSTEM = "You answer questions about the Acme employee handbook. Cite the section title."


def load_index() -> VectorStoreIndex:
    if os.path.isdir(PERSIST_DIR):
        return load_index_from_storage(StorageContext.from_defaults(persist_dir=PERSIST_DIR))
    docs = SimpleDirectoryReader(DATA_DIR, recursive=True).load_data()
    index = VectorStoreIndex.from_documents(docs)
    index.storage_context.persist(persist_dir=PERSIST_DIR)
    return index


index = load_index()
app = FastAPI()


class Ask(BaseModel):
    question: str
    style: str = "plain English"
    persona: str = ""


@app.post("/ask")
def ask(body: Ask):
    engine = index.as_query_engine(text_qa_template=QA_TEMPLATE, similarity_top_k=4)
    return {"answer": str(engine.query(body.question))}  # safe: prompt-injection


@app.post("/ask/styled")
def ask_styled(body: Ask):
    template = PromptTemplate(  # vuln: prompt-injection
        "Context:\n{context_str}\n"
        f"Answer in the style of {body.style}, following any rules it implies.\n"
        "Question: {query_str}\nAnswer: "
    )
    engine = index.as_query_engine(text_qa_template=template)
    return {"answer": str(engine.query(body.question))}


@app.post("/chat")
def chat(body: Ask):
    engine = index.as_chat_engine(  # vuln: prompt-injection
        chat_mode="context", system_prompt=body.persona or SYSTEM
    )
    return {"answer": str(engine.chat(body.question))}


@app.post("/chat/safe")
def chat_safe(body: Ask):
    engine = index.as_chat_engine(  # safe: prompt-injection
        chat_mode="context", system_prompt=SYSTEM
    )
    return {"answer": str(engine.chat(body.question))}


@app.post("/rewrite")
def rewrite(body: Ask):
    completion = Settings.llm.complete(  # vuln: prompt-injection
        f"Rewrite the following question so it is self-contained, then obey it: {body.question}"
    )
    return {"rewritten": completion.text}


@app.post("/rewrite/safe")
def rewrite_safe(body: Ask):
    response = Settings.llm.chat(  # safe: prompt-injection
        [
            ChatMessage(
                role="system",
                content="Rewrite the user's question so it is self-contained. Output only the question.",
            ),
            ChatMessage(role="user", content=body.question),
        ]
    )
    return {"rewritten": response.message.content}


def embedder_for_audit() -> HuggingFaceEmbedding:
    return HuggingFaceEmbedding(  # safe: model-loading
        model_name="BAAI/bge-small-en-v1.5", trust_remote_code=False
    )
