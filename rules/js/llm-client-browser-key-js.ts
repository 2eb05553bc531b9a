// Fixtures for llmsecops/llm-client-browser-key-js. Lines after "ruleid" must be
// flagged, lines after "ok" must not.
"use client";
import Anthropic from "@anthropic-ai/sdk";
import { ChatOpenAI } from "@langchain/openai";
import Groq from "groq-sdk";
import OpenAI, { AzureOpenAI } from "openai";

// React client component talking to OpenAI directly.
// ruleid: llmsecops/llm-client-browser-key-js
const openai = new OpenAI({
  apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY,
  dangerouslyAllowBrowser: true,
});

// ruleid: llmsecops/llm-client-browser-key-js
const claude = new Anthropic({ dangerouslyAllowBrowser: true, apiKey: import.meta.env.VITE_ANTHROPIC_KEY });

// ruleid: llmsecops/llm-client-browser-key-js
export const groq = new Groq({ apiKey: localStorage.getItem("groqKey") ?? "", dangerouslyAllowBrowser: true });

// LangChain.js passes client options through `configuration`.
// ruleid: llmsecops/llm-client-browser-key-js
const chat = new ChatOpenAI({ model: "gpt-4o-mini", configuration: { dangerouslyAllowBrowser: true } });

// ruleid: llmsecops/llm-client-browser-key-js
const azure = new AzureOpenAI({ endpoint: "https://acme.openai.azure.com", apiVersion: "2024-10-21", dangerouslyAllowBrowser: true });

export async function ask(question: string) {
  const r = await openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: question }] });
  return [r, claude, chat, azure];
}

// ---- not flagged ----

// Server-side client (route handler).
// ok: llmsecops/llm-client-browser-key-js
const serverClient = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

// Explicitly disabled.
// ok: llmsecops/llm-client-browser-key-js
const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY, dangerouslyAllowBrowser: false });

// Browser code calling its own backend instead of the provider.
export async function askViaBackend(question: string) {
  // ok: llmsecops/llm-client-browser-key-js
  const res = await fetch("/api/chat", { method: "POST", body: JSON.stringify({ question }) });
  return res.json();
}

// ok: llmsecops/llm-client-browser-key-js
const groqServer = new Groq({ apiKey: process.env.GROQ_API_KEY, timeout: 20_000 });

export { serverClient, anthropic, groqServer };
