// Fixtures for llmsecops/llm-prompt-logged-js. Lines after "ruleid" must be
// flagged, lines after "ok" must not.
import Anthropic from "@anthropic-ai/sdk";
import { openai as openaiProvider } from "@ai-sdk/openai";
import { generateText } from "ai";
import { ChatOpenAI } from "@langchain/openai";
import express from "express";
import OpenAI from "openai";
import pino from "pino";
import winston from "winston";

const app = express();
app.use(express.json());
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const anthropic = new Anthropic();
const logger = pino();
const auditLog = winston.createLogger({ transports: [new winston.transports.Console()] });
const chatModel = new ChatOpenAI({ model: "gpt-4o-mini" });

app.post("/ask", async (req, res) => {
  const messages = [
    { role: "system" as const, content: "You are the billing assistant." },
    { role: "user" as const, content: String(req.body.question) },
  ];
  // ruleid: llmsecops/llm-prompt-logged-js
  console.debug("sending", messages);
  const completion = await openai.chat.completions.create({ model: "gpt-4o-mini", max_tokens: 300, messages });
  const answer = completion.choices[0].message.content;
  // ruleid: llmsecops/llm-prompt-logged-js
  logger.info({ answer }, "llm answer");
  // ok: llmsecops/llm-prompt-logged-js
  logger.info({ id: completion.id, model: completion.model, tokens: completion.usage?.total_tokens }, "llm call");
  // ok: llmsecops/llm-prompt-logged-js
  console.log("answer length", answer?.length, "messages", messages.length);
  res.json({ answer });
});

export async function summarize(ticket: string) {
  const systemPrompt = `Summarize support tickets for the on-call engineer.`;
  const msg = await anthropic.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 400,
    system: systemPrompt,
    messages: [{ role: "user", content: ticket }],
  });
  // ruleid: llmsecops/llm-prompt-logged-js
  auditLog.warn(`summary for ticket: ${msg.content[0].type === "text" ? msg.content[0].text : ""}`);
  // ok: llmsecops/llm-prompt-logged-js
  auditLog.info("summary done", { stopReason: msg.stop_reason, usage: msg.usage });
  return msg;
}

export async function draftReply(customerText: string) {
  const { text, usage } = await generateText({ model: openaiProvider("gpt-4o-mini"), maxTokens: 300, prompt: customerText });
  // ruleid: llmsecops/llm-prompt-logged-js
  console.error("draft failed review:", text);
  // ok: llmsecops/llm-prompt-logged-js
  console.info("draft tokens", usage);
  // ok: llmsecops/llm-prompt-logged-js
  console.info("draft", redactPII(text));
  return text;
}

export async function classify(question: string) {
  const reply = await chatModel.invoke([["system", "Classify the question."], ["user", question]]);
  // ruleid: llmsecops/llm-prompt-logged-js
  logger.debug(`classification: ${reply.content}`);
  return reply;
}

// Keys.
export function startup() {
  // ruleid: llmsecops/llm-prompt-logged-js
  console.log("using OpenAI key", process.env.OPENAI_API_KEY);
  // ok: llmsecops/llm-prompt-logged-js
  console.log("OpenAI key configured:", Boolean(process.env.OPENAI_API_KEY));
  // ok: llmsecops/llm-prompt-logged-js
  console.log("listening on", process.env.PORT);
}

// A command-line script printing the answer: that is its output, not a log.
async function main() {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    max_tokens: 200,
    messages: [{ role: "user", content: process.argv.slice(2).join(" ") }],
  });
  // ok: llmsecops/llm-prompt-logged-js
  console.log(completion.choices[0].message.content);
}

// Top-level script code (top-level await): printing the answer is the output.
const oneShot = await openai.chat.completions.create({
  model: "gpt-4o-mini",
  max_tokens: 100,
  messages: [{ role: "user", content: "Say hello." }],
});
// ok: llmsecops/llm-prompt-logged-js
console.log(oneShot.choices[0].message.content);

function redactPII(s: string): string {
  return s.replace(/\b\S+@\S+\b/g, "[email]");
}
