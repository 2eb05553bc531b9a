# Fixtures for llmsecops/llm-prompt-logged. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import json
import logging
import os

import anthropic
import litellm
import structlog
from fastapi import FastAPI
from langchain_openai import ChatOpenAI
from openai import AsyncOpenAI, OpenAI

logger = logging.getLogger(__name__)
log = structlog.get_logger()
app = FastAPI()
client = OpenAI()
aclient = AsyncOpenAI()
claude = anthropic.Anthropic()
llm = ChatOpenAI(model="gpt-4o-mini")


@app.post("/chat")
def chat(question: str):
    messages = [{"role": "system", "content": "You are helpful."}, {"role": "user", "content": question}]
    # ruleid: llmsecops/llm-prompt-logged
    logger.debug("Sending messages: %s", messages)
    resp = client.chat.completions.create(model="gpt-4o", messages=messages, max_tokens=500)
    answer = resp.choices[0].message.content
    # ruleid: llmsecops/llm-prompt-logged
    logger.info(f"LLM answer: {answer}")
    # ok: llmsecops/llm-prompt-logged
    logger.info("tokens used: %d (id=%s)", resp.usage.total_tokens, resp.id)
    # ok: llmsecops/llm-prompt-logged
    logger.info("answer length %d", len(answer))
    return {"answer": answer}


async def summarize(text: str) -> str:
    prompt = f"Summarize for an executive:\n{text}"
    # ruleid: llmsecops/llm-prompt-logged
    print("PROMPT >>>", prompt)
    r = await aclient.responses.create(model="gpt-4.1", input=prompt, max_output_tokens=300)
    # ruleid: llmsecops/llm-prompt-logged
    log.info("llm_call", model="gpt-4.1", output=r.output_text)
    return r.output_text


def ask_claude(question: str) -> str:
    msg = claude.messages.create(model="claude-sonnet-4-5", max_tokens=800, messages=[{"role": "user", "content": question}])
    # ruleid: llmsecops/llm-prompt-logged
    logging.warning("Claude replied: %s", msg.content[0].text)
    # ok: llmsecops/llm-prompt-logged
    logging.info("stop_reason=%s usage=%s", msg.stop_reason, msg.usage)
    return msg.content[0].text


def rag(question: str, chain) -> str:
    result = chain.invoke({"question": question})
    # ruleid: llmsecops/llm-prompt-logged
    print(f"[debug] chain result: {result}")
    return result


def configure():
    api_key = os.environ["OPENAI_API_KEY"]
    # ruleid: llmsecops/llm-prompt-logged
    logger.info("Using OpenAI key %s", api_key)
    # ruleid: llmsecops/llm-prompt-logged
    print("ANTHROPIC key:", os.getenv("ANTHROPIC_API_KEY"))
    # ok: llmsecops/llm-prompt-logged
    logger.info("OpenAI key configured: %s", bool(api_key))
    return OpenAI(api_key=api_key)


class Agent:
    def __init__(self):
        self.logger = logging.getLogger("agent")
        self.history = []

    def step(self, user_input: str):
        self.history.append({"role": "user", "content": user_input})
        out = litellm.completion(model="gpt-4o", messages=self.history, max_tokens=400)
        # ruleid: llmsecops/llm-prompt-logged
        self.logger.debug("raw completion: %s", out)
        # ok: llmsecops/llm-prompt-logged
        self.logger.info("turn done, %d messages in history", len(self.history))
        return out


def safe_metrics(question: str):
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}], max_tokens=200)
    # ok: llmsecops/llm-prompt-logged
    logger.info("request %s model=%s finish=%s", resp.id, resp.model, resp.choices[0].finish_reason)
    # ok: llmsecops/llm-prompt-logged
    logger.info("Calling model with %d prompt tokens", resp.usage.prompt_tokens)
    return resp


def tool_loop(task: str) -> None:
    resp = claude.messages.create(model="claude-sonnet-4-5", max_tokens=800, messages=[{"role": "user", "content": task}])
    for block in resp.content:
        if block.type == "tool_use":
            # Which tool ran is metadata, not content.
            # ok: llmsecops/llm-prompt-logged
            logger.info("tool call %s (%s) type=%s", block.name, block.id, block.type)
            # ruleid: llmsecops/llm-prompt-logged
            logger.debug("tool input: %s", block.input)


@app.post("/generate")
def generate_endpoint(body: dict):
    # ruleid: llmsecops/llm-prompt-logged
    logger.info("generate request prompt=%r", body["prompt"])
    # ok: llmsecops/llm-prompt-logged
    logger.info("generate request prompt_chars=%d", len(body.get("prompt", "")))
    return {}


def hf_generate(model, tokenizer, inputs):
    output_ids = model.generate(**inputs, max_new_tokens=128)
    text = tokenizer.decode(output_ids[0], skip_special_tokens=True)
    # ruleid: llmsecops/llm-prompt-logged
    logger.info("generated: %s", text)
    # ok: llmsecops/llm-prompt-logged
    logger.info("generated %d tokens", output_ids.shape[-1])
    return text


def answer_or_refusal(client, messages):
    completion = client.chat.completions.create(model="gpt-4o", messages=messages)
    message = completion.choices[0].message
    if message.refusal:
        # ok: llmsecops/llm-prompt-logged
        logger.warning("model refused: %s", message.refusal)
        return None
    # ruleid: llmsecops/llm-prompt-logged
    logger.warning("model answered: %s", message.content)
    return message.content


def log_wrapped(client, messages, db):
    completion = client.chat.completions.create(model="gpt-4o", messages=messages)
    # ruleid: llmsecops/llm-prompt-logged
    logger.info("request: %s", json.dumps(messages))
    # ruleid: llmsecops/llm-prompt-logged
    logger.info("answer: {}".format(completion.choices[0].message.content))
    # ruleid: llmsecops/llm-prompt-logged
    logger.info("history: %s", " | ".join(str(m) for m in messages))
    # A call that takes the prompt and returns something else is not the prompt.
    saved = db.save_conversation(messages)
    # ok: llmsecops/llm-prompt-logged
    logger.error("could not save the conversation: %s", saved.error)
    for index, _part in enumerate(messages):
        # ok: llmsecops/llm-prompt-logged
        logger.info("message %d sent", index)


LOG_MESSAGES = {"saved": "state {} saved", "failed": "saving {} failed: {}"}


def save_state(flow_id, error):
    # A module's table of message templates is not a prompt.
    # ok: llmsecops/llm-prompt-logged
    logger.info(LOG_MESSAGES["saved"].format(flow_id))
    # ok: llmsecops/llm-prompt-logged
    logger.error(LOG_MESSAGES["failed"].format(flow_id, error))


def report_environment():
    env = {"OPENAI_API_KEY": os.environ["OPENAI_API_KEY"], "MODEL": "gpt-4o"}
    # ok: llmsecops/llm-prompt-logged
    logger.warning("environment has the keys %s", env.keys())
    # ruleid: llmsecops/llm-prompt-logged
    logger.warning("environment: %s", env)


def main():
    question = input("You: ")
    reply = llm.invoke(question)
    # A command-line chat: printing the answer is the interface.
    # ok: llmsecops/llm-prompt-logged
    print(reply.content)


if __name__ == "__main__":
    main()
