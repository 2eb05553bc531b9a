"""Batch prompt runner that talks to several OpenAI-compatible endpoints."""

import argparse
import json
import logging
import os
import sys

import httpx
import requests
from openai import OpenAI

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("gateway-cli")

API_KEY = os.environ["LLM_GATEWAY_KEY"]
CORP_CA = "/etc/ssl/certs/acme-corp-ca.pem"

# Local Ollama on the developer machine.
local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")  # safe: client-config

# Shared GPU box in the lab network.
lab = OpenAI(base_url="http://gpu-box.lab.acme.net:8000/v1", api_key=API_KEY)  # vuln: client-config

# Corporate gateway behind a TLS-inspecting proxy.
gateway = OpenAI(  # vuln: client-config
    base_url="https://llm-gateway.acme.net/v1",
    api_key=API_KEY,
    http_client=httpx.Client(verify=False, timeout=60),
)
gateway_pinned = OpenAI(  # safe: client-config
    base_url="https://llm-gateway.acme.net/v1",
    api_key=API_KEY,
    http_client=httpx.Client(verify=CORP_CA, timeout=60),
)

log.info("using gateway key %s", API_KEY)  # vuln: client-config
log.info("using gateway key ending ...%s", API_KEY[-4:])  # safe: client-config


def run_prompt(client: OpenAI, model: str, prompt: str) -> str:
    resp = client.chat.completions.create(  # vuln: client-config
        model=model,
        messages=[{"role": "user", "content": prompt}],
        temperature=0.2,
    )
    return resp.choices[0].message.content


def run_prompt_bounded(client: OpenAI, model: str, prompt: str) -> str:
    resp = client.chat.completions.create(  # safe: client-config
        model=model,
        messages=[{"role": "user", "content": prompt}],
        temperature=0.2,
        max_tokens=512,
    )
    log.info(  # safe: client-config
        "model=%s finish=%s usage=%s", model, resp.choices[0].finish_reason, resp.usage
    )
    return resp.choices[0].message.content


def raw_completion(prompt: str) -> str:
    resp = requests.post(  # vuln: client-config
        "https://llm-gateway.acme.net/v1/chat/completions",
        headers={"Authorization": f"Bearer {API_KEY}"},
        json={
            "model": "gpt-4o-mini",
            "max_tokens": 256,
            "messages": [{"role": "user", "content": prompt}],
        },
        timeout=60,
        verify=False,
    )
    return resp.json()["choices"][0]["message"]["content"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("prompts", type=argparse.FileType())
    parser.add_argument("--target", choices=["local", "lab", "gateway"], default="local")
    parser.add_argument("--model", default="llama3.1")
    args = parser.parse_args()
    client = {"local": local, "lab": lab, "gateway": gateway_pinned}[args.target]
    for line in args.prompts:
        prompt = json.loads(line)["prompt"]
        print(
            json.dumps({"prompt": prompt, "answer": run_prompt_bounded(client, args.model, prompt)})
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
