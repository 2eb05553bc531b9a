"""Minimal text-generation server around a local transformers model."""

import logging

import torch
from flask import Flask, jsonify, request

from loaders import load_chat_model, load_guard_model

app = Flask(__name__)
log = logging.getLogger("model-server")
tokenizer, model = load_chat_model()
guard_tokenizer, guard_model = load_guard_model()

DEFAULT_SYSTEM = "You are Acme's on-device support model. Keep answers under 150 words."


def generate(messages: list[dict], max_new_tokens: int = 256) -> str:
    inputs = tokenizer.apply_chat_template(
        messages, add_generation_prompt=True, return_tensors="pt"
    ).to(model.device)
    with torch.no_grad():
        output = model.generate(inputs, max_new_tokens=max_new_tokens, do_sample=False)
    return tokenizer.decode(output[0][inputs.shape[-1] :], skip_special_tokens=True)


def is_flagged(text: str) -> bool:
    batch = guard_tokenizer(text, return_tensors="pt", truncation=True)
    with torch.no_grad():
        logits = guard_model(**batch).logits
    return bool(logits.argmax(-1).item() == 1)


@app.post("/v1/generate")
def generate_endpoint():
    body = request.get_json(force=True)
    system = body.get("system", DEFAULT_SYSTEM)
    text = generate(  # vuln: prompt-injection
        [
            {"role": "system", "content": system},
            {"role": "user", "content": body["prompt"]},
        ]
    )
    log.info("generate prompt=%r output=%r", body["prompt"], text)  # vuln: client-config
    return jsonify(text=text)


@app.post("/v1/chat")
def chat_endpoint():
    body = request.get_json(force=True)
    if is_flagged(body["prompt"]):
        return jsonify(error="rejected by guard"), 400
    text = generate(  # safe: prompt-injection
        [
            {"role": "system", "content": DEFAULT_SYSTEM},
            {"role": "user", "content": body["prompt"]},
        ]
    )
    log.info(  # safe: client-config
        "chat ok prompt_chars=%d output_chars=%d", len(body["prompt"]), len(text)
    )
    return jsonify(text=text)


@app.post("/v1/complete")
def complete_endpoint():
    body = request.get_json(force=True)
    prompt = f"### Instruction:\nContinue the customer's email professionally.\n### Email:\n{body['email']}\n### Response:\n"
    inputs = tokenizer(prompt, return_tensors="pt").to(model.device)  # vuln: prompt-injection
    with torch.no_grad():
        output = model.generate(**inputs, max_new_tokens=200)
    return jsonify(text=tokenizer.decode(output[0], skip_special_tokens=True))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=9000)
