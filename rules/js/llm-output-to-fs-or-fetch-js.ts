// Fixtures for llmsecops/llm-output-to-fs-or-fetch-js. Lines after "ruleid" must
// be flagged, lines after "ok" must not.
import fs from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import axios from "axios";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { openai as openaiProvider } from "@ai-sdk/openai";
import { generateText, streamText, tool } from "ai";
import { tool as lcTool } from "@langchain/core/tools";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";

const WORKSPACE = path.resolve("./workspace");
const API_BASE = "https://api.weather.example.com";
const openai = new OpenAI();
const anthropic = new Anthropic();

// Vercel AI SDK agent with file tools (Next.js route handler).
export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openaiProvider("gpt-4o"),
    messages,
    tools: {
      readFile: tool({
        description: "Read a file from the workspace",
        parameters: z.object({ file: z.string() }),
        execute: async ({ file }) => {
          // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
          return readFile(path.join(WORKSPACE, file), "utf8");
        },
      }),
      fetchPage: tool({
        description: "Download a web page",
        parameters: z.object({ url: z.string().url() }),
        execute: async ({ url }) => {
          // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
          const res = await fetch(url);
          return res.text();
        },
      }),
    },
  });
  return result.toDataStreamResponse();
}

// MCP server: write and delete.
const server = new McpServer({ name: "files", version: "1.0.0" });
server.tool("save_note", "Save a note", { name: z.string(), body: z.string() }, async ({ name, body }) => {
  // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
  fs.writeFileSync(`${WORKSPACE}/notes/${name}.md`, body);
  return { content: [{ type: "text", text: "saved" }] };
});
server.registerTool("delete_file", { description: "Delete a file", inputSchema: { target: z.string() } }, async (args) => {
  // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
  await fs.promises.rm(args.target, { recursive: true });
  return { content: [{ type: "text", text: "deleted" }] };
});

// OpenAI tool call: the model picks the URL for axios.
export async function browse(question: string) {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: question }],
    tools: [{ type: "function", function: { name: "http_get", parameters: { type: "object" } } }],
  });
  const call = completion.choices[0].message.tool_calls?.[0];
  if (!call) return null;
  const { url } = JSON.parse(call.function.arguments);
  // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
  const { data } = await axios.get(url, { timeout: 5000 });
  return data;
}

// Model output names the report file.
export async function saveReport(topic: string) {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 100,
    messages: [{ role: "user", content: `Suggest a file name for a report on ${topic}` }],
  });
  const fileName = msg.content[0].type === "text" ? msg.content[0].text : "report.txt";
  // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
  const out = fs.createWriteStream(path.resolve("reports", fileName));
  out.end("...");
}

// LangChain.js tool with a host chosen by the model.
export const statusTool = lcTool(
  async ({ host }) => {
    // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
    const r = await fetch(`http://${host}/health`);
    return r.status;
  },
  { name: "status", description: "Check a service", schema: z.object({ host: z.string() }) },
);

// ---- not flagged ----

// Path reduced to a file name.
server.tool("read_note", "Read a note", { name: z.string() }, async ({ name }) => {
  // ok: llmsecops/llm-output-to-fs-or-fetch-js
  const text = await readFile(path.join(WORKSPACE, "notes", path.basename(name)), "utf8");
  return { content: [{ type: "text", text }] };
});

// Resolved path checked against the workspace.
server.tool("write_file", "Write a file", { file: z.string(), body: z.string() }, async ({ file, body }) => {
  const target = path.resolve(WORKSPACE, file);
  if (!target.startsWith(WORKSPACE + path.sep)) throw new Error("outside workspace");
  // ok: llmsecops/llm-output-to-fs-or-fetch-js
  await writeFile(target, body);
  return { content: [] };
});

// Fixed origin; the model's argument only fills the query string.
export const weather = tool({
  description: "Get the weather",
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    // ok: llmsecops/llm-output-to-fs-or-fetch-js
    const r = await fetch(`https://api.weather.example.com/v1/current?city=${encodeURIComponent(city)}`);
    // ok: llmsecops/llm-output-to-fs-or-fetch-js
    const f = await axios.get(`${API_BASE}/v1/forecast?city=${city}`);
    return { now: await r.json(), forecast: f.data };
  },
});

// Host allowlist.
const ALLOWED_HOSTS = new Set(["docs.example.com", "status.example.com"]);
export const fetchDoc = tool({
  description: "Fetch documentation",
  parameters: z.object({ url: z.string() }),
  execute: async ({ url }) => {
    const parsed = new URL(url);
    if (!ALLOWED_HOSTS.has(parsed.hostname)) throw new Error("host not allowed");
    // ok: llmsecops/llm-output-to-fs-or-fetch-js
    const res = await fetch(parsed);
    return res.text();
  },
});

// Model output written as file CONTENT to a fixed path.
export async function writeSummary(doc: string) {
  const { text } = await generateText({ model: openaiProvider("gpt-4o-mini"), prompt: `Summarize: ${doc}` });
  // ok: llmsecops/llm-output-to-fs-or-fetch-js
  await writeFile(path.join(WORKSPACE, "summary.md"), text);
}

// ---- round 2 ----

const PARTNER_HOSTS = ["partners.example.com", "feeds.example.org"];
const HANDBOOK_DIR = path.resolve("./handbook");

// Tools written inline in a streamText call: only what the model chose for
// each tool is tainted, not the whole call.
export async function POST(req: Request) {
  const { messages } = await req.json();
  const result = streamText({
    model: openaiProvider("gpt-4o"),
    messages,
    maxTokens: 800,
    tools: {
      // Host checked in place: new URL(x).hostname against an allowlist.
      partnerFeed: tool({
        description: "Fetch a partner feed",
        parameters: z.object({ feedUrl: z.string().url() }),
        execute: async ({ feedUrl }) => {
          if (!PARTNER_HOSTS.includes(new URL(feedUrl).hostname)) return "host not allowed";
          // ok: llmsecops/llm-output-to-fs-or-fetch-js
          const res = await fetch(feedUrl);
          return (await res.text()).slice(0, 2000);
        },
      }),
      // Host destructured first, then checked.
      partnerPage: tool({
        description: "Fetch a partner page",
        parameters: z.object({ pageUrl: z.string().url() }),
        execute: async ({ pageUrl }) => {
          const { hostname } = new URL(pageUrl);
          if (hostname !== "partners.example.com") {
            throw new Error("host not allowed");
          }
          // ok: llmsecops/llm-output-to-fs-or-fetch-js
          return (await axios.get(pageUrl)).data;
        },
      }),
      // No check at all.
      anyPage: tool({
        description: "Fetch any page",
        parameters: z.object({ pageUrl: z.string() }),
        execute: async ({ pageUrl }) => {
          // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
          return (await axios.get(pageUrl)).data;
        },
      }),
      // The schema allows only a fixed set of chapter names.
      readChapter: tool({
        description: "Read a handbook chapter",
        parameters: z.object({ chapter: z.enum(["onboarding", "security", "expenses"]), lang: z.string() }),
        execute: async ({ chapter, lang }) => {
          // ok: llmsecops/llm-output-to-fs-or-fetch-js
          const text = await readFile(path.join(HANDBOOK_DIR, `${chapter}.md`), "utf8");
          // ruleid: llmsecops/llm-output-to-fs-or-fetch-js
          const translated = await readFile(path.join(HANDBOOK_DIR, lang, `${chapter}.md`), "utf8");
          return text + translated;
        },
      }),
    },
  });
  return result.toDataStreamResponse();
}
