// Fixtures for llmsecops/llm-output-to-exec-js. Lines after "ruleid" must be
// flagged, lines after "ok" must not.
import { exec, execFile, spawn } from "node:child_process";
import * as cp from "child_process";
import { promisify } from "node:util";
import vm from "node:vm";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { openai as openaiProvider } from "@ai-sdk/openai";
import { generateText, streamText, tool } from "ai";
import { DynamicStructuredTool } from "@langchain/core/tools";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";

const execAsync = promisify(exec);
const openai = new OpenAI();
const anthropic = new Anthropic();

// Vercel AI SDK agent with a shell tool (Next.js route handler).
export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openaiProvider("gpt-4o"),
    messages,
    tools: {
      shell: tool({
        description: "Run a shell command in the sandbox",
        parameters: z.object({ command: z.string() }),
        execute: async ({ command }) => {
          // ruleid: llmsecops/llm-output-to-exec-js
          const { stdout } = await execAsync(command, { timeout: 10_000 });
          return stdout;
        },
      }),
      calculator: tool({
        description: "Evaluate a math expression",
        inputSchema: z.object({ expression: z.string() }),
        async execute({ expression }) {
          // ruleid: llmsecops/llm-output-to-exec-js
          return String(eval(expression));
        },
      }),
    },
  });
  return result.toDataStreamResponse();
}

// MCP server tool.
const server = new McpServer({ name: "devtools", version: "1.0.0" });
server.tool("run_script", "Run an npm script", { script: z.string() }, async ({ script }) => {
  // ruleid: llmsecops/llm-output-to-exec-js
  const out = cp.execSync(`npm run ${script}`, { encoding: "utf8" });
  return { content: [{ type: "text", text: out }] };
});
server.registerTool(
  "eval_js",
  { description: "Evaluate JavaScript", inputSchema: { code: z.string() } },
  async (args) => {
    // ruleid: llmsecops/llm-output-to-exec-js
    const value = vm.runInNewContext(args.code, { Math });
    return { content: [{ type: "text", text: String(value) }] };
  },
);

// OpenAI function calling: tool_calls arguments parsed and run.
export async function agentStep(question: string) {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: question }],
    tools: [{ type: "function", function: { name: "run", parameters: { type: "object" } } }],
  });
  for (const call of completion.choices[0].message.tool_calls ?? []) {
    const args = JSON.parse(call.function.arguments);
    // ruleid: llmsecops/llm-output-to-exec-js
    exec(args.cmd, (err, stdout) => console.log(stdout));
  }
}

// Model writes code that is compiled into a function.
export async function makeFilter(description: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 400,
    messages: [{ role: "user", content: `Write a JS expression over x for: ${description}` }],
  });
  const block = msg.content[0];
  const body = block.type === "text" ? block.text : "";
  // ruleid: llmsecops/llm-output-to-exec-js
  return new Function("x", `return (${body});`);
}

// LangChain.js tool spawning a program through a shell.
export const grepTool = new DynamicStructuredTool({
  name: "grep",
  description: "Search the repository",
  schema: z.object({ pattern: z.string() }),
  func: async ({ pattern }) => {
    // ruleid: llmsecops/llm-output-to-exec-js
    const child = spawn("grep", ["-rn", pattern, "."], { shell: true });
    return new Promise<string>((resolve) => child.stdout.on("data", (d) => resolve(String(d))));
  },
});

// Model picks a plugin module that is imported dynamically.
export async function loadPlugin(task: string) {
  const { text } = await generateText({ model: openaiProvider("gpt-4o-mini"), prompt: `Which plugin handles: ${task}?` });
  // ruleid: llmsecops/llm-output-to-exec-js
  const plugin = await import(text.trim());
  return plugin.default;
}

// ---- not flagged ----

const ALLOWED_COMMANDS = ["git status", "git log --oneline -n 5", "npm test"];

server.tool("safe_run", "Run an allowlisted command", { command: z.string() }, async ({ command }) => {
  if (!ALLOWED_COMMANDS.includes(command)) {
    throw new Error("command not allowed");
  }
  // ok: llmsecops/llm-output-to-exec-js
  const out = cp.execSync(command, { encoding: "utf8" });
  return { content: [{ type: "text", text: out }] };
});

const Branch = z.string().regex(/^[\w.\/-]{1,100}$/);
server.tool("git_log", "Show the log of a branch", { branch: z.string() }, async (args) => {
  const branch = Branch.parse(args.branch);
  // ok: llmsecops/llm-output-to-exec-js
  exec(`git log --oneline ${branch}`);
  return { content: [] };
});

// Fixed program, arguments as an array, no shell.
server.tool("wc", "Count lines of a file", { file: z.string() }, async ({ file }) => {
  // ok: llmsecops/llm-output-to-exec-js
  execFile("wc", ["-l", "--", file], (err, stdout) => console.log(stdout));
  return { content: [] };
});

// Model output only logged and returned; commands are constants.
export async function explain(question: string) {
  const { text } = await generateText({ model: openaiProvider("gpt-4o-mini"), prompt: question });
  console.log(text);
  // ok: llmsecops/llm-output-to-exec-js
  exec("date", (err, stdout) => console.log(stdout));
  return text;
}

// Number conversion before use.
export const sleepTool = tool({
  description: "Sleep for n seconds",
  parameters: z.object({ seconds: z.string() }),
  execute: async ({ seconds }) => {
    const n = Number(seconds);
    // ok: llmsecops/llm-output-to-exec-js
    execAsync(`sleep ${n}`);
    return "done";
  },
});

await server.connect(new StdioServerTransport());

// ---- round 2 ----

import util from "node:util";
const runShell = util.promisify(cp.exec);
const runFile = promisify(execFile);

// Tools inline in generateText: the constant program name is not model
// output, and an enum-typed argument can only be one of the listed values.
export async function diagnose(question: string) {
  const { text } = await generateText({
    model: openaiProvider("gpt-4o-mini"),
    maxTokens: 400,
    prompt: question,
    tools: {
      traceRoute: tool({
        description: "Trace the route to a region",
        parameters: z.object({ region: z.enum(["eu-central", "us-west", "ap-east"]) }),
        execute: async ({ region }) => {
          // ok: llmsecops/llm-output-to-exec-js
          const { stdout } = await runFile("traceroute", ["-m", "10", `${region}.edge.example.net`]);
          return stdout;
        },
      }),
      lookupHost: tool({
        description: "Resolve a host name",
        parameters: z.object({ host: z.string() }),
        execute: async ({ host }) => {
          // ruleid: llmsecops/llm-output-to-exec-js
          const { stdout } = await runShell(`dig +short ${host}`);
          return stdout;
        },
      }),
    },
  });
  return text;
}

// MCP tool whose raw-shape schema restricts the argument to an enum.
const opsServer = new McpServer({ name: "ops", version: "1.0.0" });
opsServer.tool("restart", { service: z.enum(["web", "worker"]) }, async ({ service }) => {
  // ok: llmsecops/llm-output-to-exec-js
  await runShell(`systemctl restart app-${service}`);
  return { content: [{ type: "text" as const, text: "restarted" }] };
});
opsServer.tool("logs", { service: z.string() }, async ({ service }) => {
  // ruleid: llmsecops/llm-output-to-exec-js
  const { stdout } = await runShell(`journalctl -u ${service} -n 50`);
  return { content: [{ type: "text" as const, text: stdout }] };
});
