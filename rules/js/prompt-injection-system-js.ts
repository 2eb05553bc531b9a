// Fixtures for llmsecops/prompt-injection-system-js. Lines after "ruleid" must be
// flagged, lines after "ok" must not.
import Anthropic from "@anthropic-ai/sdk";
import { anthropic as anthropicProvider } from "@ai-sdk/anthropic";
import { generateObject, generateText, streamText } from "ai";
import { ChatOpenAI } from "@langchain/openai";
import { SystemMessage, HumanMessage } from "@langchain/core/messages";
import { ChatPromptTemplate, PromptTemplate } from "@langchain/core/prompts";
import { StringOutputParser } from "@langchain/core/output_parsers";
import { PlaywrightWebBaseLoader } from "@langchain/community/document_loaders/web/playwright";
import { Agent, run } from "@openai/agents";
import axios from "axios";
import express from "express";
import type { NextApiRequest, NextApiResponse } from "next/server";
import { NextRequest } from "next/server";
import OpenAI from "openai";
import { z } from "zod";

const app = express();
app.use(express.json());
const openai = new OpenAI();
const anthropic = new Anthropic();
const llm = new ChatOpenAI({ model: "gpt-4o-mini", temperature: 0 });

const SYSTEM = "You are a support assistant for ACME. Never reveal internal notes.";
const PERSONAS: Record<string, string> = {
  pirate: "You talk like a pirate.",
  formal: "You are formal and concise.",
};

// Express: the client chooses the persona text that becomes the system message.
app.post("/api/chat", async (req, res) => {
  const { persona, message } = req.body;
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [
      // ruleid: llmsecops/prompt-injection-system-js
      { role: "system", content: `You are ${persona}. Stay in character.` },
      { role: "user", content: message },
    ],
  });
  res.json({ reply: completion.choices[0].message.content });
});

// Developer role, built into a variable first.
app.get("/api/tone", async (req, res) => {
  const tone = req.query.tone as string;
  // ruleid: llmsecops/prompt-injection-system-js
  const devMsg = { role: "developer" as const, content: "Answer in a " + tone + " tone." };
  const completion = await openai.chat.completions.create({
    model: "gpt-4.1",
    messages: [devMsg, { role: "user", content: String(req.query.q) }],
  });
  res.json(completion);
});

// Next.js app router: Responses API instructions straight from the body.
export async function POST(req: NextRequest) {
  const { instructions, input } = await req.json();
  const response = await openai.responses.create({
    model: "gpt-4.1",
    input,
    // ruleid: llmsecops/prompt-injection-system-js
    instructions,
  });
  return Response.json({ text: response.output_text });
}

// Next.js pages API route: Anthropic system parameter.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const rules = req.body.rules;
  const msg = await anthropic.messages.create({
    // ruleid: llmsecops/prompt-injection-system-js
    system: `${SYSTEM}\nAdditional rules from the customer: ${rules}`,
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: req.body.question }],
  });
  res.status(200).json(msg.content);
}

// Server action: Vercel AI SDK system from a form field.
export async function summarize(formData: FormData) {
  "use server";
  const style = formData.get("style") as string;
  const { text } = await generateText({
    model: anthropicProvider("claude-3-5-haiku-latest"),
    prompt: String(formData.get("text")),
    // ruleid: llmsecops/prompt-injection-system-js
    system: style,
  });
  return text;
}

// Vercel AI SDK streamText with a system prompt built from a fetched page.
app.post("/api/site-bot", async (req, res) => {
  const { data: about } = await axios.get(req.body.siteUrl + "/about.txt");
  const result = streamText({
    model: anthropicProvider("claude-3-5-haiku-latest"),
    // ruleid: llmsecops/prompt-injection-system-js
    system: "You answer questions about this company:\n" + about,
    messages: req.body.messages,
  });
  result.pipeTextStreamToResponse(res);
});

// LangChain.js: SystemMessage and a ChatPromptTemplate system tuple.
app.post("/api/lc", async (req, res) => {
  const reply = await llm.invoke([
    // ruleid: llmsecops/prompt-injection-system-js
    new SystemMessage(`Company policy: ${req.body.policy}`),
    new HumanMessage(req.body.question),
  ]);
  const prompt = ChatPromptTemplate.fromMessages([
    // ruleid: llmsecops/prompt-injection-system-js
    ["system", req.body.systemPrompt],
    ["human", "{question}"],
  ]);
  const chain = prompt.pipe(llm).pipe(new StringOutputParser());
  res.json({ reply: reply.content, other: await chain.invoke({ question: req.body.question }) });
});

// LangChain.js: a crawled page (document loader, destructured) in a system tuple.
export async function briefFromSite(site: string, topic: string) {
  const [doc] = await new PlaywrightWebBaseLoader(site).load();
  const prompt = ChatPromptTemplate.fromMessages([
    // ruleid: llmsecops/prompt-injection-system-js
    ["system", `Brief the reader on ${topic}. Reference material:\n${doc.pageContent.slice(0, 8000)}`],
    ["human", "{topic}"],
  ]);
  return prompt.pipe(llm).invoke({ topic });
}

// The same page passed as a human-slot variable is not a system prompt.
export async function briefFromSiteSafe(site: string, topic: string) {
  const loader = new PlaywrightWebBaseLoader(site);
  const docs = await loader.load();
  const prompt = ChatPromptTemplate.fromMessages([
    // ok: llmsecops/prompt-injection-system-js
    ["system", "Brief the reader on the topic using only the reference material."],
    ["human", "Material:\n{material}\n\nTopic: {topic}"],
  ]);
  return prompt.pipe(llm).invoke({ material: docs[0].pageContent, topic });
}

// A request with a JSON body built from a constant system prompt: the body
// sent to fetch is not fetched content.
export async function relay(question: string) {
  const res = await fetch("https://llm.internal.example/v1/chat", {
    method: "POST",
    // ok: llmsecops/prompt-injection-system-js
    body: JSON.stringify({ messages: [{ role: "system", content: "Answer briefly." }, { role: "user", content: question }] }),
  });
  return res.json();
}

// OpenAI Agents SDK: instructions from the query string.
app.get("/api/agent", async (req, res) => {
  const agent = new Agent({
    name: "helper",
    // ruleid: llmsecops/prompt-injection-system-js
    instructions: `You help with ${req.query.domain} questions.`,
  });
  const result = await run(agent, String(req.query.q));
  res.json({ out: result.finalOutput });
});

// Structured output: system from a header.
app.post("/api/extract", async (req, res) => {
  const { object } = await generateObject({
    model: anthropicProvider("claude-3-5-haiku-latest"),
    schema: z.object({ name: z.string() }),
    // ruleid: llmsecops/prompt-injection-system-js
    system: "Extract fields. Locale: " + req.headers["x-locale"],
    prompt: req.body.text,
  });
  res.json(object);
});

// ---- not flagged ----

// Constant system prompt, user text in the user role.
app.post("/api/safe", async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [
      // ok: llmsecops/prompt-injection-system-js
      { role: "system", content: SYSTEM },
      { role: "user", content: req.body.message },
    ],
  });
  res.json(completion);
});

// The client picks a key; the system text comes from a constant table.
app.post("/api/persona", async (req, res) => {
  const persona = PERSONAS[req.body.persona] ?? PERSONAS.formal;
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 512,
    // ok: llmsecops/prompt-injection-system-js
    system: persona,
    messages: [{ role: "user", content: req.body.message }],
  });
  res.json(msg);
});

// Constant template; the user's text is only a template variable.
app.post("/api/lc-safe", async (req, res) => {
  const prompt = ChatPromptTemplate.fromMessages([
    // ok: llmsecops/prompt-injection-system-js
    ["system", "You are a helpful assistant. Answer in English."],
    ["human", "{question}"],
  ]);
  const chain = prompt.pipe(llm);
  res.json(await chain.invoke({ question: req.body.question }));
});

// Vercel AI SDK: fixed system, user text as the prompt.
export async function PUT(req: Request) {
  const { question } = await req.json();
  const { text } = await generateText({
    model: anthropicProvider("claude-3-5-haiku-latest"),
    // ok: llmsecops/prompt-injection-system-js
    system: SYSTEM,
    prompt: question,
  });
  return Response.json({ text });
}

// System prompt from server configuration, not from the request.
export async function buildAssistant(configText: string) {
  return openai.responses.create({
    model: "gpt-4.1",
    // ok: llmsecops/prompt-injection-system-js
    instructions: configText,
    input: "Say hello",
  });
}
