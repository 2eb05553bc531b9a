// Next.js App Router handler: streaming chat with tools via the Vercel AI SDK.
import { openai } from "@ai-sdk/openai";
import { streamText, tool } from "ai";
import { z } from "zod";
import { exec } from "node:child_process";
import { promisify } from "node:util";
import { readFile } from "node:fs/promises";
import path from "node:path";

const execAsync = promisify(exec);
const DOCS_DIR = path.join(process.cwd(), "content", "docs");
const ALLOWED_HOSTS = new Set(["api.github.com", "status.vercel.com"]);

export const maxDuration = 30;

export async function POST(req: Request) {
  const { messages, persona } = await req.json();

  const result = streamText({
    model: openai("gpt-4o"),
    system: `You are the Acme dashboard assistant. ${persona}`, // vuln: prompt-injection
    messages,
    maxTokens: 1024,
    maxSteps: 5,
    tools: {
      runCommand: tool({
        description: "Run a shell command on the build server",
        parameters: z.object({ command: z.string() }),
        execute: async ({ command }) => {
          const { stdout } = await execAsync(command); // vuln: tool-output-sinks
          return stdout;
        },
      }),
      fetchPage: tool({
        description: "Fetch a web page",
        parameters: z.object({ url: z.string() }),
        execute: async ({ url }) => {
          const res = await fetch(url); // vuln: tool-output-sinks
          return (await res.text()).slice(0, 4000);
        },
      }),
      fetchStatus: tool({
        description: "Fetch a status API",
        parameters: z.object({ url: z.string().url() }),
        execute: async ({ url }) => {
          if (!ALLOWED_HOSTS.has(new URL(url).hostname)) return "host not allowed";
          const res = await fetch(url); // safe: tool-output-sinks
          return (await res.text()).slice(0, 4000);
        },
      }),
      readDoc: tool({
        description: "Read a documentation page",
        parameters: z.object({ slug: z.string() }),
        execute: async ({ slug }) => readFile(path.join(DOCS_DIR, `${slug}.md`), "utf8"), // vuln: tool-output-sinks
      }),
      readDocChecked: tool({
        description: "Read one of the documentation pages",
        parameters: z.object({ slug: z.enum(["pricing", "faq", "limits", "changelog"]) }),
        execute: async ({ slug }) => readFile(path.join(DOCS_DIR, `${slug}.md`), "utf8"), // safe: tool-output-sinks
      }),
    },
  });

  return result.toDataStreamResponse();
}
