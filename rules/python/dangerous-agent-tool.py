# Fixtures for llmsecops/dangerous-agent-tool. Lines after "ruleid" must be flagged,
# lines after "ok" must not.
from autogen import AssistantAgent, UserProxyAgent
from crewai import Agent as CrewAgent
from langchain.agents import AgentExecutor, create_react_agent, load_tools
from langchain.chains import LLMMathChain
from langchain_community.agent_toolkits import RequestsToolkit
from langchain_community.tools import DuckDuckGoSearchRun, ShellTool
from langchain_community.utilities.requests import TextRequestsWrapper
from langchain_experimental import tools as exp_tools
from langchain_experimental.agents import create_pandas_dataframe_agent
from langchain_experimental.tools import PythonAstREPLTool, PythonREPLTool
from langchain_experimental.utilities import PythonREPL
from langchain_core.tools import Tool
from langchain_openai import ChatOpenAI
from smolagents import CodeAgent, InferenceClientModel

llm = ChatOpenAI(model="gpt-4o")

# ruleid: llmsecops/dangerous-agent-tool
tools = [PythonREPLTool(), DuckDuckGoSearchRun()]

# ruleid: llmsecops/dangerous-agent-tool
shell = ShellTool()

# ruleid: llmsecops/dangerous-agent-tool
ast_tool = exp_tools.PythonAstREPLTool(locals={"df": None})

# ruleid: llmsecops/dangerous-agent-tool
more_tools = load_tools(["serpapi", "terminal", "llm-math"], llm=llm)

repl_tool = Tool(
    name="python_repl",
    description="Run Python code",
    # ruleid: llmsecops/dangerous-agent-tool
    func=PythonREPL().run,
)

# ruleid: llmsecops/dangerous-agent-tool
df_agent = create_pandas_dataframe_agent(llm, DATAFRAME, agent_type="tool-calling", allow_dangerous_code=True)

# ruleid: llmsecops/dangerous-agent-tool
toolkit = RequestsToolkit(requests_wrapper=TextRequestsWrapper(headers={}), allow_dangerous_requests=True)

# ruleid: llmsecops/dangerous-agent-tool
coder = CrewAgent(
    role="Engineer",
    goal="Write and run code",
    backstory="...",
    allow_code_execution=True,
    code_execution_mode="unsafe",
)

# ruleid: llmsecops/dangerous-agent-tool
smol = CodeAgent(tools=[], model=InferenceClientModel(), additional_authorized_imports=["*"])

# ruleid: llmsecops/dangerous-agent-tool
proxy = UserProxyAgent("runner", human_input_mode="NEVER", code_execution_config={"work_dir": "out", "use_docker": False})

# --- Safe variants -----------------------------------------------------------------
# ok: llmsecops/dangerous-agent-tool
safe_tools = load_tools(["serpapi", "llm-math"], llm=llm)

# ok: llmsecops/dangerous-agent-tool
math_chain = LLMMathChain.from_llm(llm)

# ok: llmsecops/dangerous-agent-tool
df_agent_off = create_pandas_dataframe_agent(llm, DATAFRAME, allow_dangerous_code=False)

# ok: llmsecops/dangerous-agent-tool
sandboxed = UserProxyAgent("runner", code_execution_config={"work_dir": "out", "use_docker": True})

# ok: llmsecops/dangerous-agent-tool
smol_limited = CodeAgent(tools=[], model=InferenceClientModel(), additional_authorized_imports=["numpy", "pandas"])

# ok: llmsecops/dangerous-agent-tool
search_only = [DuckDuckGoSearchRun()]
