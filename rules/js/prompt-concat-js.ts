// Fixtures for llmsecops/prompt-concat-js. Lines after "ruleid" must be flagged,
// lines after "ok" must not.
import Anthropic from "@anthropic-ai/sdk";
import { openai as openaiProvider } from "@ai-sdk/openai";
import { generateText, streamText } from "ai";
import { ChatOpenAI } from "@langchain/openai";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { GoogleGenerativeAI } from "@google/generative-ai";
import * as cheerio from "cheerio";
import express, { Request, Response } from "express";
import { NextRequest, NextResponse } from "next/server";
import { Hono } from "hono";
import OpenAI from "openai";

const app = express();
app.use(express.json());
const router = express.Router();
const openai = new OpenAI();
const anthropic = new Anthropic();
const model = new ChatOpenAI({ model: "gpt-4o-mini" });
const gemini = new GoogleGenerativeAI(process.env.GEMINI_API_KEY!).getGenerativeModel({ model: "gemini-1.5-flash" });

const SYSTEM = "You are a support assistant for ACME. Answer briefly.";

// Express: template literal into a user message.
app.post("/api/ask", async (req, res) => {
  const { question } = req.body;
  const prompt = `You are a support assistant. Answer this question: ${question}`;
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    // ruleid: llmsecops/prompt-concat-js
    messages: [{ role: "user", content: prompt }],
  });
  res.json({ answer: completion.choices[0].message.content });
});

// Express router, query string, `+` concatenation, Anthropic user turn.
router.get("/translate", async (request: Request, response: Response) => {
  const text = request.query.text as string;
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 512,
    system: SYSTEM,
    // ruleid: llmsecops/prompt-concat-js
    messages: [{ content: "Translate to French:\n" + text, role: "user" }],
  });
  response.json(msg.content);
});

// Next.js app router handler, Vercel AI SDK prompt.
export async function POST(req: NextRequest) {
  const body = await req.json();
  const result = streamText({
    model: openaiProvider("gpt-4o"),
    system: SYSTEM,
    // ruleid: llmsecops/prompt-concat-js
    prompt: `Summarize the following text for a child:\n\n${body.text}`,
  });
  return result.toTextStreamResponse();
}

// Next.js: search params, array join, responses API.
export async function GET(request: Request) {
  const topic = new URL(request.url).searchParams.get("topic") ?? "";
  const input = ["Write a haiku about the topic below.", "Topic: " + topic].join("\n");
  // ruleid: llmsecops/prompt-concat-js
  const response = await openai.responses.create({ model: "gpt-4.1", input });
  return NextResponse.json({ text: response.output_text });
}

// Server action: FormData, template via .replace, LangChain messages.
const TEMPLATE = "Rewrite the customer's complaint politely:\n{complaint}";
export async function rewrite(formData: FormData) {
  "use server";
  const complaint = String(formData.get("complaint"));
  const filled = TEMPLATE.replace("{complaint}", complaint);
  // ruleid: llmsecops/prompt-concat-js
  const out = await model.invoke([new SystemMessage(SYSTEM), new HumanMessage(filled)]);
  return out.content;
}

// Hono: prompt built with += into a LangChain invoke.
const hono = new Hono();
hono.post("/classify", async (c) => {
  const { ticket } = await c.req.json();
  let prompt = "Classify the ticket as bug, billing or other.\nTicket: ";
  prompt += ticket;
  // ruleid: llmsecops/prompt-concat-js
  const label = await model.invoke(prompt);
  return c.json({ label: label.content });
});

// Indirect injection: a fetched web page pasted into the prompt.
app.get("/summarize", async (req, res) => {
  const page = await fetch(String(req.query.url));
  const $ = cheerio.load(await page.text());
  const article = $("article").text();
  const { text } = await generateText({
    model: openaiProvider("gpt-4o-mini"),
    // ruleid: llmsecops/prompt-concat-js
    prompt: "Summarize this article in three bullet points:\n" + article,
  });
  res.json({ text });
});

// Gemini, prompt from a header.
app.post("/gemini", async (req, res) => {
  const lang = req.header("accept-language");
  // ruleid: llmsecops/prompt-concat-js
  const out = await gemini.generateContent(`Reply in ${lang}: ${req.body.message}`);
  res.json({ text: out.response.text() });
});

// LangChain tuple messages with a concatenated human turn.
app.post("/chat-tuple", async (req, res) => {
  const reply = await model.invoke([
    ["system", SYSTEM],
    // ruleid: llmsecops/prompt-concat-js
    ["human", `Question from ${req.body.name}: ${req.body.question}`],
  ]);
  res.json({ reply: reply.content });
});

// ---- not flagged ----

// User text alone as a user-role message.
app.post("/api/safe", async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    // ok: llmsecops/prompt-concat-js
    messages: [{ role: "system", content: SYSTEM }, { role: "user", content: req.body.question }],
  });
  res.json({ answer: completion.choices[0].message.content });
});

// Vercel AI SDK with a fixed system prompt and the user's text alone.
export async function PUT(req: Request) {
  const { question } = await req.json();
  const { text } = await generateText({
    model: openaiProvider("gpt-4o"),
    system: SYSTEM,
    // ok: llmsecops/prompt-concat-js
    prompt: question,
  });
  return Response.json({ text });
}

// Batch job: not request data.
export async function nightlyDigest(items: string[]) {
  const prompt = `Write a digest of these headlines:\n${items.join("\n")}`;
  // ok: llmsecops/prompt-concat-js
  return openai.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: prompt }] });
}

// Template literal with nothing but the user's text.
app.post("/api/echo", async (req, res) => {
  const msg = await anthropic.messages.create({
    model: "claude-sonnet-4-5",
    max_tokens: 256,
    // ok: llmsecops/prompt-concat-js
    messages: [{ role: "user", content: `${req.body.message}` }],
  });
  res.json(msg);
});

// LangChain HumanMessage with the raw user text; constant prompt elsewhere.
app.post("/api/lc", async (req, res) => {
  const reply = await model.invoke([
    new SystemMessage("Answer in one sentence."),
    // ok: llmsecops/prompt-concat-js
    new HumanMessage(req.body.question),
  ]);
  res.json({ reply: reply.content });
});

app.use("/r", router);
