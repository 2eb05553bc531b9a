"""Ops assistant: a LangChain tool-calling agent served over HTTP."""

from flask import Flask, jsonify, request
from langchain.agents import AgentExecutor, create_tool_calling_agent
from langchain_community.agent_toolkits import RequestsToolkit
from langchain_community.tools import ShellTool
from langchain_community.utilities.requests import TextRequestsWrapper
from langchain_core.prompts import ChatPromptTemplate
from langchain_experimental.tools import PythonREPLTool
from langchain_openai import ChatOpenAI

from tools import (
    calculate,
    calculate_safe,
    fetch_status,
    fetch_status_checked,
    ping_host,
    read_runbook,
    read_runbook_checked,
    run_diagnostic,
)

app = Flask(__name__)
llm = ChatOpenAI(model="gpt-4o", temperature=0, max_tokens=1024)

SYSTEM = (
    "You are an SRE assistant. Use the tools to investigate incidents. Report findings briefly."
)

prompt = ChatPromptTemplate.from_messages(  # safe: prompt-injection
    [
        ("system", SYSTEM),
        ("human", "{input}"),
        ("placeholder", "{agent_scratchpad}"),
    ]
)

python_repl = PythonREPLTool()  # vuln: tool-output-sinks
shell = ShellTool()  # vuln: tool-output-sinks
http_tools = RequestsToolkit(  # vuln: tool-output-sinks
    requests_wrapper=TextRequestsWrapper(headers={}),
    allow_dangerous_requests=True,
).get_tools()

power_tools = [
    python_repl,
    shell,
    *http_tools,
    run_diagnostic,
    read_runbook,
    calculate,
    fetch_status,
]
power_agent = create_tool_calling_agent(llm, power_tools, prompt)
power_executor = AgentExecutor(  # vuln: tool-output-sinks
    agent=power_agent, tools=power_tools, max_iterations=None
)

safe_tools = [ping_host, read_runbook_checked, calculate_safe, fetch_status_checked]
safe_agent = create_tool_calling_agent(llm, safe_tools, prompt)
safe_executor = AgentExecutor(  # safe: tool-output-sinks
    agent=safe_agent, tools=safe_tools, max_iterations=8, max_execution_time=60
)


@app.post("/investigate")
def investigate():
    body = request.get_json(force=True)
    executor = power_executor if body.get("mode") == "power" else safe_executor
    result = executor.invoke({"input": body["question"]})
    return jsonify(answer=result["output"])


@app.post("/investigate/custom")
def investigate_custom():
    body = request.get_json(force=True)
    custom_prompt = ChatPromptTemplate.from_messages(  # vuln: prompt-injection
        [
            ("system", SYSTEM + " Additional operator guidance: " + body.get("guidance", "")),
            ("human", "{input}"),
            ("placeholder", "{agent_scratchpad}"),
        ]
    )
    agent = create_tool_calling_agent(llm, safe_tools, custom_prompt)
    executor = AgentExecutor(agent=agent, tools=safe_tools, max_iterations=8)
    return jsonify(answer=executor.invoke({"input": body["question"]})["output"])


@app.post("/template")
def run_template():
    body = request.get_json(force=True)
    chain = ChatPromptTemplate.from_template(body["template"]) | llm  # vuln: prompt-injection
    return jsonify(answer=chain.invoke(body.get("variables", {})).content)
