# Fixtures for llmsecops/llm-missing-max-tokens. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import anthropic
import litellm
from litellm import acompletion, completion
from openai import AsyncAzureOpenAI, AsyncOpenAI, OpenAI
from pydantic import BaseModel

client = OpenAI()
aclient = AsyncOpenAI()
claude = anthropic.Anthropic()

SYSTEM = "You are a concise assistant for ACME support."


class Ticket(BaseModel):
    category: str
    summary: str


def answer(question: str) -> str:
    # ruleid: llmsecops/llm-missing-max-tokens
    resp = client.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "system", "content": SYSTEM}, {"role": "user", "content": question}],
        temperature=0.2,
    )
    return resp.choices[0].message.content


async def stream_answer(question: str):
    # ruleid: llmsecops/llm-missing-max-tokens
    stream = await aclient.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}], stream=True)
    async for chunk in stream:
        yield chunk.choices[0].delta.content or ""


class Summarizer:
    def __init__(self):
        self.llm = AsyncAzureOpenAI(api_version="2024-06-01")

    async def summarize(self, text: str) -> str:
        # ruleid: llmsecops/llm-missing-max-tokens
        r = await self.llm.responses.create(model="gpt-4.1", instructions="Summarize.", input=text)
        return r.output_text


def classify(text: str) -> Ticket:
    # ruleid: llmsecops/llm-missing-max-tokens
    done = client.beta.chat.completions.parse(model="gpt-4o", messages=[{"role": "user", "content": text}], response_format=Ticket)
    return done.choices[0].message.parsed


def lite(messages):
    # ruleid: llmsecops/llm-missing-max-tokens
    return completion(model="anthropic/claude-3-5-sonnet-20240620", messages=messages)


async def lite_async(messages):
    # ruleid: llmsecops/llm-missing-max-tokens
    return await litellm.acompletion(model="gpt-4o", messages=messages, timeout=30)


def bounded(question: str) -> str:
    # ok: llmsecops/llm-missing-max-tokens
    resp = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": question}], max_tokens=512)
    return resp.choices[0].message.content


def bounded_reasoning(question: str) -> str:
    # ok: llmsecops/llm-missing-max-tokens
    resp = client.chat.completions.create(model="o3-mini", messages=[{"role": "user", "content": question}], max_completion_tokens=2000)
    return resp.choices[0].message.content


def bounded_responses(text: str) -> str:
    # ok: llmsecops/llm-missing-max-tokens
    return client.responses.create(model="gpt-4.1-mini", input=text, max_output_tokens=300).output_text


def from_params(messages, **params):
    # ok: llmsecops/llm-missing-max-tokens
    return client.chat.completions.create(model="gpt-4o", messages=messages, **params)


def from_request_config(cfg: dict):
    # ok: llmsecops/llm-missing-max-tokens
    return client.chat.completions.create(**cfg)


def lite_bounded(messages):
    # ok: llmsecops/llm-missing-max-tokens
    return completion(model="ollama/llama3", messages=messages, api_base="http://localhost:11434", max_tokens=400)


def anthropic_call(question: str):
    # Anthropic requires max_tokens: not this rule's business.
    # ok: llmsecops/llm-missing-max-tokens
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, messages=[{"role": "user", "content": question}])


def parse_with_params(response_model, **params):
    # The limit, if configured, travels in params: keyword arguments after ** too.
    # ok: llmsecops/llm-missing-max-tokens
    return client.beta.chat.completions.parse(**params, response_format=response_model)
