# Fixtures for llmsecops/llm-client-insecure-transport. Lines after "ruleid"
# must be flagged, lines after "ok" must not.
import os

import anthropic
import httpx
import litellm
import ollama
import openai
import requests
from langchain_ollama import ChatOllama
from langchain_openai import AzureChatOpenAI, ChatOpenAI
from openai import AsyncOpenAI, AzureOpenAI, DefaultHttpxClient, OpenAI

GATEWAY_URL = "http://llm-gateway.acme-corp.com/v1"
OPENAI_CHAT_URL = "https://api.openai.com/v1/chat/completions"


def corp_proxy_client():
    # Corporate MITM proxy: someone switched verification off.
    insecure = httpx.Client(verify=False, timeout=30)
    # ruleid: llmsecops/llm-client-insecure-transport
    return OpenAI(api_key=os.environ["OPENAI_API_KEY"], http_client=insecure)


def async_client():
    return AsyncOpenAI(
        # ruleid: llmsecops/llm-client-insecure-transport
        http_client=httpx.AsyncClient(verify=False),
    )


class Assistant:
    def __init__(self):
        self.http = DefaultHttpxClient(verify=False, proxy="http://proxy.acme-corp.com:3128")
        # ruleid: llmsecops/llm-client-insecure-transport
        self.claude = anthropic.Anthropic(http_client=self.http)


# ruleid: llmsecops/llm-client-insecure-transport
litellm.ssl_verify = False
# ruleid: llmsecops/llm-client-insecure-transport
openai.verify_ssl_certs = False


def gateway_client():
    # ruleid: llmsecops/llm-client-insecure-transport
    return OpenAI(base_url=GATEWAY_URL, api_key=os.environ["GATEWAY_KEY"])


def azure_client():
    return AzureOpenAI(
        # ruleid: llmsecops/llm-client-insecure-transport
        azure_endpoint="http://acme-openai.openai.azure.com/",
        api_version="2024-06-01",
    )


def lc_chat():
    # ruleid: llmsecops/llm-client-insecure-transport
    return ChatOpenAI(model="gpt-4o-mini", base_url="http://inference.example.net/v1")


def lite(messages):
    # ruleid: llmsecops/llm-client-insecure-transport
    return litellm.completion(model="openai/llama3", api_base="http://203.0.113.7:8000/v1", messages=messages, max_tokens=256)


def raw_call(payload):
    headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}
    # ruleid: llmsecops/llm-client-insecure-transport
    return requests.post(OPENAI_CHAT_URL, json=payload, headers=headers, verify=False, timeout=60)


# ruleid: llmsecops/llm-client-insecure-transport
os.environ["OPENAI_BASE_URL"] = "http://openai-proxy.example.org/v1"


def local_ollama():
    # ok: llmsecops/llm-client-insecure-transport
    return OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")


def local_vllm():
    # ok: llmsecops/llm-client-insecure-transport
    return OpenAI(base_url="http://127.0.0.1:8000/v1", api_key="EMPTY")


def docker_ollama():
    # ok: llmsecops/llm-client-insecure-transport
    return ChatOllama(model="llama3.1", base_url="http://host.docker.internal:11434")


def compose_ollama():
    # ok: llmsecops/llm-client-insecure-transport
    return ollama.Client(host="http://ollama:11434")


def mdns_box():
    # ok: llmsecops/llm-client-insecure-transport
    return ChatOpenAI(base_url="http://gpu-box.local:8000/v1", api_key="none")


def hosted():
    # ok: llmsecops/llm-client-insecure-transport
    return OpenAI(base_url="https://api.together.xyz/v1", http_client=httpx.Client(timeout=20))


def private_ca():
    # ok: llmsecops/llm-client-insecure-transport
    return AzureChatOpenAI(azure_endpoint="https://acme.openai.azure.com/", http_client=httpx.Client(verify="/etc/ssl/corp-ca.pem"))


def other_service():
    # Not an LLM endpoint.
    # ok: llmsecops/llm-client-insecure-transport
    return requests.get("https://intranet.acme-corp.com/health", verify=False)


def local_env():
    # ok: llmsecops/llm-client-insecure-transport
    os.environ["OLLAMA_HOST"] = "http://0.0.0.0:11434"
    # ok: llmsecops/llm-client-insecure-transport
    litellm.ssl_verify = True


def from_settings(settings):
    # ok: llmsecops/llm-client-insecure-transport
    return OpenAI(base_url=f"http://{settings.vllm_host}:8000/v1", api_key="EMPTY")


def chat_raw(messages, model="gpt-4o-mini"):
    base = "https://api.openai.com/v1"
    # ruleid: llmsecops/llm-client-insecure-transport
    return requests.post(f"{base}/chat/completions", json={"model": model, "messages": messages}, verify=False)
