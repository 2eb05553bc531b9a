// Fixtures for llmsecops/llm-client-insecure-transport-js. Lines after "ruleid"
// must be flagged, lines after "ok" must not.
import https from "node:https";
import { Agent } from "undici";
import Anthropic from "@anthropic-ai/sdk";
import { createOpenAI } from "@ai-sdk/openai";
import { ChatOpenAI } from "@langchain/openai";
import { Ollama } from "ollama";
import OpenAI, { AzureOpenAI } from "openai";

// Self-hosted vLLM gateway over plain http.
// ruleid: llmsecops/llm-client-insecure-transport-js
const vllm = new OpenAI({ baseURL: "http://llm.internal.acme.com:8000/v1", apiKey: process.env.VLLM_KEY });

// Env override with a plain-http default.
const gateway = new Anthropic({
  apiKey: process.env.ANTHROPIC_API_KEY,
  // ruleid: llmsecops/llm-client-insecure-transport-js
  baseURL: process.env.ANTHROPIC_BASE_URL ?? "http://gateway.acme.io/anthropic",
});

// Vercel AI SDK provider factory.
// ruleid: llmsecops/llm-client-insecure-transport-js
export const lmstudio = createOpenAI({ baseURL: "http://10.0.4.12.nip.io:1234/v1", apiKey: "lm-studio" });

// LangChain.js client options.
// ruleid: llmsecops/llm-client-insecure-transport-js
const lc = new ChatOpenAI({ model: "llama3", configuration: { baseURL: "http://models.acme.net/v1" } });

// Corporate proxy with a self-signed certificate: verification switched off.
// ruleid: llmsecops/llm-client-insecure-transport-js
const insecure = new OpenAI({ httpAgent: new https.Agent({ rejectUnauthorized: false, keepAlive: true }) });

// The same through a variable and undici's fetch options.
// ruleid: llmsecops/llm-client-insecure-transport-js
const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
const viaProxy = new Anthropic({ fetchOptions: { dispatcher } });

// ---- not flagged ----

// ok: llmsecops/llm-client-insecure-transport-js
const local = new Ollama({ host: "http://localhost:11434" });

// ok: llmsecops/llm-client-insecure-transport-js
const compose = new OpenAI({ baseURL: "http://ollama:11434/v1", apiKey: "ollama" });

// ok: llmsecops/llm-client-insecure-transport-js
const azure = new OpenAI({ baseURL: "https://acme.openai.azure.com/openai/deployments/gpt-4o", apiKey: process.env.AZURE_KEY });

// Private CA trusted explicitly; verification stays on.
// ok: llmsecops/llm-client-insecure-transport-js
const pinned = new OpenAI({ httpAgent: new https.Agent({ ca: process.env.CORP_CA_PEM, rejectUnauthorized: true }) });

// A plain-http URL that is not an LLM client.
// ok: llmsecops/llm-client-insecure-transport-js
const legacyApi = new URL("http://legacy.acme.com/api");

export { vllm, gateway, lc, insecure, viaProxy, local, compose, azure, pinned, legacyApi };

// Client classes whose name does not start with the provider (AzureOpenAI).
// ruleid: llmsecops/llm-client-insecure-transport-js
const aoai = new AzureOpenAI({ endpoint: "http://aoai.corp.example.com", apiKey: process.env.AOAI_KEY, apiVersion: "2024-10-21" });
// ok: llmsecops/llm-client-insecure-transport-js
const aoaiTls = new AzureOpenAI({ endpoint: "https://aoai.corp.example.com", apiKey: process.env.AOAI_KEY, apiVersion: "2024-10-21" });
