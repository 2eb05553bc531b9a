// Fixtures for llmsecops/llm-output-to-html-js. Lines after "ruleid" must be
// flagged, lines after "ok" must not.
"use client";
import { useChat, useCompletion } from "@ai-sdk/react";
import { openai as openaiProvider } from "@ai-sdk/openai";
import { generateText } from "ai";
import Anthropic from "@anthropic-ai/sdk";
import DOMPurify from "dompurify";
import express from "express";
import { marked } from "marked";
import OpenAI from "openai";
import { Hono } from "hono";
import { html } from "hono/html";

const openai = new OpenAI();
const anthropic = new Anthropic();
const app = express();
app.use(express.json());

// React chat UI rendering assistant Markdown as HTML.
export function ChatMessages() {
  const { messages, input, handleInputChange, handleSubmit } = useChat();
  return (
    <form onSubmit={handleSubmit}>
      {messages.map((m) => (
        // ruleid: llmsecops/llm-output-to-html-js
        <div key={m.id} dangerouslySetInnerHTML={{ __html: marked.parse(m.content) as string }} />
      ))}
      <input value={input} onChange={handleInputChange} />
    </form>
  );
}

// useCompletion result straight into innerHTML.
export function Autocomplete() {
  const { completion } = useCompletion({ api: "/api/complete" });
  return (
    <div
      ref={(el) => {
        // ruleid: llmsecops/llm-output-to-html-js
        if (el) el.innerHTML = completion;
      }}
    />
  );
}

// Browser script: a streamed completion appended as HTML.
export async function streamInto(target: HTMLElement, question: string) {
  const stream = await openai.chat.completions.create({
    model: "gpt-4o-mini",
    stream: true,
    messages: [{ role: "user", content: question }],
  });
  for await (const chunk of stream) {
    // ruleid: llmsecops/llm-output-to-html-js
    target.insertAdjacentHTML("beforeend", chunk.choices[0]?.delta?.content ?? "");
  }
}

// Express: model answer interpolated into an HTML page.
app.get("/answer", async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: String(req.query.q) }],
  });
  const answer = completion.choices[0].message.content;
  // ruleid: llmsecops/llm-output-to-html-js
  res.send(`<html><body><h1>Answer</h1><div>${answer}</div></body></html>`);
});

// Next.js route handler returning model HTML.
export async function GET(req: Request) {
  const { text } = await generateText({ model: openaiProvider("gpt-4o"), prompt: "Write an HTML greeting card" });
  // ruleid: llmsecops/llm-output-to-html-js
  return new Response(text, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

// Anthropic output written with document.write.
export async function showTip() {
  const msg = await anthropic.messages.create({
    model: "claude-3-5-haiku-latest",
    max_tokens: 200,
    messages: [{ role: "user", content: "Give me a tip of the day." }],
  });
  const block = msg.content[0];
  if (block.type === "text") {
    // ruleid: llmsecops/llm-output-to-html-js
    document.write(marked(block.text) as string);
  }
}

// Responses API output_text into a React component via props.
export async function Summary({ doc }: { doc: string }) {
  const response = await openai.responses.create({ model: "gpt-4.1-mini", input: `Summarize: ${doc}` });
  const summaryHtml = marked.parse(response.output_text) as string;
  // ruleid: llmsecops/llm-output-to-html-js
  return <article dangerouslySetInnerHTML={{ __html: summaryHtml }} />;
}

// ---- not flagged ----

// Sanitized with DOMPurify.
export function SafeMessages() {
  const { messages } = useChat();
  return (
    <div>
      {messages.map((m) => (
        // ok: llmsecops/llm-output-to-html-js
        <div key={m.id} dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(marked.parse(m.content) as string) }} />
      ))}
    </div>
  );
}

// Rendered as text: JSX children and textContent escape it.
export function PlainMessages() {
  const { messages } = useChat();
  return (
    <ul>
      {messages.map((m) => (
        // ok: llmsecops/llm-output-to-html-js
        <li key={m.id}>{m.content}</li>
      ))}
    </ul>
  );
}

export async function streamAsText(target: HTMLElement, question: string) {
  const { text } = await generateText({ model: openaiProvider("gpt-4o-mini"), prompt: question });
  // ok: llmsecops/llm-output-to-html-js
  target.textContent = text;
  // ok: llmsecops/llm-output-to-html-js
  target.innerHTML = "<em>done</em>";
}

// JSON response, not HTML.
app.get("/api/answer", async (req, res) => {
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [{ role: "user", content: String(req.query.q) }],
  });
  // ok: llmsecops/llm-output-to-html-js
  res.send({ answer: completion.choices[0].message.content });
});

// Hono html`` escapes interpolations.
const hono = new Hono();
hono.get("/card", async (c) => {
  const { text } = await generateText({ model: openaiProvider("gpt-4o"), prompt: "A short greeting" });
  // ok: llmsecops/llm-output-to-html-js
  return c.html(html`<div class="card">${text}</div>`);
});
