# Fixtures for llmsecops/unbounded-agent-loop. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
import math

from agents import Agent, Runner
from autogen_agentchat.teams import RoundRobinGroupChat
from langchain.agents import AgentExecutor, AgentType, create_react_agent, initialize_agent
from langchain_openai import ChatOpenAI
from langgraph.prebuilt import create_react_agent as create_graph_agent

llm = ChatOpenAI(model="gpt-4o")
tools = []
agent = create_react_agent(llm, tools, PROMPT)

# ruleid: llmsecops/unbounded-agent-loop
executor = AgentExecutor(agent=agent, tools=tools, max_iterations=None, handle_parsing_errors=True)

# ruleid: llmsecops/unbounded-agent-loop
legacy = initialize_agent(
    tools,
    llm,
    agent=AgentType.ZERO_SHOT_REACT_DESCRIPTION,
    max_iterations=None,
    max_execution_time=None,
)

graph = create_graph_agent(llm, tools)


def run_graph(question: str):
    # ruleid: llmsecops/unbounded-agent-loop
    return graph.invoke({"messages": [("user", question)]}, config={"recursion_limit": 10_000})


def run_graph_forever(question: str):
    # ruleid: llmsecops/unbounded-agent-loop
    return graph.invoke({"messages": [("user", question)]}, {"recursion_limit": float("inf")})


# ruleid: llmsecops/unbounded-agent-loop
streaming_graph = graph.with_config(recursion_limit=math.inf)

assistant = Agent(name="Assistant", instructions="Be helpful.")


async def run_agent(task: str):
    # ruleid: llmsecops/unbounded-agent-loop
    return await Runner.run(assistant, task, max_turns=None)


def team(agents):
    # ruleid: llmsecops/unbounded-agent-loop
    return RoundRobinGroupChat(agents, max_turns=None)


# --- Safe variants -----------------------------------------------------------------
# ok: llmsecops/unbounded-agent-loop
bounded = AgentExecutor(agent=agent, tools=tools, max_iterations=8, max_execution_time=60)

# LangChain keeps its default of 15 iterations when only the time limit is removed.
# ok: llmsecops/unbounded-agent-loop
default_bounded = AgentExecutor(agent=agent, tools=tools, max_execution_time=None)


def run_graph_bounded(question: str):
    # ok: llmsecops/unbounded-agent-loop
    return graph.invoke({"messages": [("user", question)]}, config={"recursion_limit": 50})


async def run_agent_bounded(task: str):
    # ok: llmsecops/unbounded-agent-loop
    return await Runner.run(assistant, task, max_turns=12)


# ok: llmsecops/unbounded-agent-loop
retry_policy = dict(max_attempts=None, backoff=2.0)
