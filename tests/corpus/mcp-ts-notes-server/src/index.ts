// MCP server (TypeScript SDK) exposing a notes database and a few shell helpers.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { execSync, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const ROOT = path.resolve(process.env.NOTES_ROOT ?? "./notes");
const db = new Database(path.join(ROOT, "notes.db"), { readonly: true });
const server = new McpServer({ name: "notes", version: "0.3.0" });

const text = (t: string) => ({ content: [{ type: "text" as const, text: t }] });

server.tool("search_notes", { query: z.string() }, async ({ query }) => {
  const rows = db.prepare(`SELECT title FROM notes WHERE body LIKE '%${query}%'`).all(); // vuln: tool-output-sinks
  return text(JSON.stringify(rows));
});

server.tool("search_notes_safe", { query: z.string().max(200) }, async ({ query }) => {
  const rows = db.prepare("SELECT title FROM notes WHERE body LIKE ?").all(`%${query}%`); // safe: tool-output-sinks
  return text(JSON.stringify(rows));
});

server.tool("read_note", { file: z.string() }, async ({ file }) => {
  return text(readFileSync(path.join(ROOT, file), "utf8")); // vuln: tool-output-sinks
});

server.tool("read_note_safe", { file: z.string() }, async ({ file }) => {
  const target = path.resolve(ROOT, file);
  if (!target.startsWith(ROOT + path.sep)) throw new Error("outside notes root");
  return text(readFileSync(target, "utf8")); // safe: tool-output-sinks
});

server.tool("word_count", { file: z.string() }, async ({ file }) => {
  return text(execSync(`wc -w ${path.join(ROOT, file)}`).toString()); // vuln: tool-output-sinks
});

server.tool("word_count_safe", { file: z.string().regex(/^[\w-]+\.md$/) }, async ({ file }) => {
  return text(execFileSync("wc", ["-w", path.join(ROOT, file)]).toString()); // safe: tool-output-sinks
});

server.registerTool(
  "render_template",
  { description: "Evaluate a note template expression", inputSchema: { expr: z.string() } },
  async ({ expr }) => text(String(new Function(`return (${expr});`)())), // vuln: tool-output-sinks
);

server.registerTool(
  "preview_link",
  { description: "Fetch a link preview", inputSchema: { url: z.string().url() } },
  async ({ url }) => text((await (await fetch(url)).text()).slice(0, 2000)), // vuln: tool-output-sinks
);

const transport = new StdioServerTransport();
await server.connect(transport);
