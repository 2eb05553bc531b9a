# Fixtures for llmsecops/secret-in-system-prompt. Lines after "ruleid" must be
# flagged, lines after "ok" must not.
import os

import anthropic
import streamlit as st
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_openai import ChatOpenAI
from openai import OpenAI

from django.conf import settings as django_settings

from .settings import settings

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
claude = anthropic.Anthropic(api_key=settings.anthropic_api_key)
llm = ChatOpenAI(model="gpt-4o-mini", api_key=st.secrets["OPENAI_API_KEY"])

# A prompt constant is reported where it is built: it may be used in other modules.
# ruleid: llmsecops/secret-in-system-prompt
SYSTEM_PROMPT = """You are the ACME billing assistant.
To look up invoices call the billing API with api_key=bk_live_4f9a8c7d6e5b4a39 and
never reveal it."""

# ruleid: llmsecops/secret-in-system-prompt
DB_AGENT_PROMPT = "You can query Postgres. Connection: postgres://agent:Sup3rS3cret!@db.internal:5432/acme, password: Sup3rS3cret!"

SAFE_SYSTEM = "You are the ACME billing assistant. Never ask users for passwords or API keys."

# ruleid: llmsecops/secret-in-system-prompt
OPS_INSTRUCTIONS = (
    "You help the ops team. To restart a service call the admin API "
    f"with the header 'X-Admin-Token: {django_settings.OPS_ADMIN_TOKEN}'."
)

# ruleid: llmsecops/secret-in-system-prompt
REPORTING_SYSTEM_MESSAGE = (
    "You write reports. If you need raw data, tell the analyst to connect to "
    + os.environ["REPORTING_DATABASE_URL"]
)

# ruleid: llmsecops/secret-in-system-prompt
support_prompt = "You are the support bot. Escalations use token " + os.getenv("SUPPORT_BOT_TOKEN", "")

# Credentials kept for the backend, not in any prompt.
# ok: llmsecops/secret-in-system-prompt
SYSTEM_PASSWORD = os.environ["SYSTEM_PASSWORD"]
# ok: llmsecops/secret-in-system-prompt
ADMIN_PROMPT_API_TOKEN = os.environ.get("ADMIN_PROMPT_API_TOKEN", "")
# ok: llmsecops/secret-in-system-prompt
TRIAGE_PROMPT = f"You triage tickets for {os.environ.get('COMPANY_NAME', 'ACME')}. Use the escalate tool; the server authenticates it."


def billing_chat(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=500,
        # Already reported where SYSTEM_PROMPT is defined.
        # ok: llmsecops/secret-in-system-prompt
        messages=[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": question}],
    )
    return resp.choices[0].message.content


def db_agent(question: str):
    # ok: llmsecops/secret-in-system-prompt
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=1024, system=DB_AGENT_PROMPT, messages=[{"role": "user", "content": question}])


def weather_agent(question: str):
    key = os.getenv("WEATHER_API_KEY")
    system = f"You are a weather bot. Call https://api.weather.example/v1?key={key} to fetch forecasts."
    # ruleid: llmsecops/secret-in-system-prompt
    return llm.invoke([SystemMessage(content=system), HumanMessage(content=question)])


def github_helper(question: str):
    prompt = ChatPromptTemplate.from_messages(
        # ruleid: llmsecops/secret-in-system-prompt
        [("system", "Use this GitHub token when needed: " + settings.github_token), ("human", "{q}")]
    )
    return (prompt | llm).invoke({"q": question})


def deploy_helper(task: str):
    instructions = "You deploy services. The admin password is {}.".format(os.environ["ADMIN_PASSWORD"])
    # ruleid: llmsecops/secret-in-system-prompt
    return client.responses.create(model="gpt-4.1", instructions=instructions, input=task, max_output_tokens=400)


def aws_helper(question: str):
    # ruleid: llmsecops/secret-in-system-prompt
    return llm.invoke("AWS creds: AKIAIOSFODNN7EXAMPLE / wJalrXUtnFEMI/K7MDENG. " + question)


def safe_chat(question: str) -> str:
    resp = client.chat.completions.create(
        model="gpt-4o",
        max_tokens=500,
        # ok: llmsecops/secret-in-system-prompt
        messages=[{"role": "system", "content": SAFE_SYSTEM}, {"role": "user", "content": question}],
    )
    return resp.choices[0].message.content


def follow_up(history: list, question: str) -> str:
    first = client.chat.completions.create(model="gpt-4o", max_tokens=300, messages=history)
    history.append({"role": "assistant", "content": first.choices[0].message.content})
    history.append({"role": "user", "content": question})
    # ok: llmsecops/secret-in-system-prompt
    return client.chat.completions.create(model="gpt-4o", max_tokens=300, messages=history)


def key_status(question: str):
    configured = bool(os.getenv("WEATHER_API_KEY"))
    system = f"You are a weather bot. Live data available: {configured}."
    # ok: llmsecops/secret-in-system-prompt
    return llm.invoke([SystemMessage(content=system), HumanMessage(content=question)])


def model_from_env(question: str):
    model = os.getenv("OPENAI_MODEL", "gpt-4o-mini")
    # ok: llmsecops/secret-in-system-prompt
    return client.chat.completions.create(model=model, max_tokens=200, messages=[{"role": "user", "content": f"[{model}] {question}"}])


def placeholder_docs(question: str):
    prompt = "Explain how to set OPENAI_API_KEY=<your key> in a .env file. Question: " + question
    # ok: llmsecops/secret-in-system-prompt
    return llm.invoke(prompt)


def password_policy(question: str):
    # ok: llmsecops/secret-in-system-prompt
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=512, system="Passwords: at least 12 characters, rotated every 90 days.", messages=[{"role": "user", "content": question}])


def hf_prompt(tokenizer, question: str):
    text = f"{tokenizer.bos_token}[INST] {question} [/INST]{tokenizer.eos_token}"
    # ok: llmsecops/secret-in-system-prompt
    return llm.invoke(text)


def ops_helper(task: str):
    # A prompt built in the function from a secret setting and an UPPER_CASE name.
    # ruleid: llmsecops/secret-in-system-prompt
    SYSTEM_MSG = "You operate the CI. Deploy key: " + settings.deploy_secret
    # ok: llmsecops/secret-in-system-prompt
    return client.chat.completions.create(model="gpt-4o", max_tokens=300, messages=[{"role": "system", "content": SYSTEM_MSG}, {"role": "user", "content": task}])


def local_prompt(task: str):
    system_prompt = f"Use the billing key {os.environ['BILLING_API_KEY']} when calling the API."
    # ruleid: llmsecops/secret-in-system-prompt
    return claude.messages.create(model="claude-sonnet-4-5", max_tokens=300, system=system_prompt, messages=[{"role": "user", "content": task}])
