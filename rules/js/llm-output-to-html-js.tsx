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

// ---- round 2: model output arriving through props, streams and SSE ----

type ChatMsg = { id: string; role: "user" | "assistant"; content: string };

// A chat bubble receives the assistant message from its parent.
export function ReplyCard({ reply, heading }: { reply: ChatMsg; heading: string }) {
  const rendered = marked(reply.content) as string;
  const head = (
    // ok: llmsecops/llm-output-to-html-js
    <h2 dangerouslySetInnerHTML={{ __html: heading }} />
  );
  return (
    // ruleid: llmsecops/llm-output-to-html-js
    <div dangerouslySetInnerHTML={{ __html: rendered }}>{head}</div>
  );
}

// props.* access and an arrow component.
export const AnswerPanel = (props: { answerMarkdown: string }) => (
  // ruleid: llmsecops/llm-output-to-html-js
  <div dangerouslySetInnerHTML={{ __html: marked.parse(props.answerMarkdown) as string }} />
);

// A list of messages passed down as a prop.
export function Transcript({ chatMessages }: { chatMessages: ChatMsg[] }) {
  return (
    <ol>
      {chatMessages.map((msg) => (
        // ruleid: llmsecops/llm-output-to-html-js
        <li key={msg.id} dangerouslySetInnerHTML={{ __html: msg.content }} />
      ))}
    </ol>
  );
}

// Escaped before rendering: htmlEscape / filterXSS count as sanitizers.
export function EscapedReply({ botReply }: { botReply: string }) {
  // ok: llmsecops/llm-output-to-html-js
  return <p dangerouslySetInnerHTML={{ __html: htmlEscape(botReply) }} />;
}

// Streaming: the response body of the chat endpoint read chunk by chunk.
export async function streamAnswer(box: HTMLElement, question: string) {
  const res = await fetch("/api/chat", { method: "POST", body: JSON.stringify({ question }) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let acc = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    acc += decoder.decode(value, { stream: true });
    // ruleid: llmsecops/llm-output-to-html-js
    box.innerHTML = acc;
    // ok: llmsecops/llm-output-to-html-js
    box.title = acc;
  }
}

// Non-streaming JSON answer of the app's own completion endpoint.
export async function askOnce(box: HTMLElement, q: string) {
  const data = await (await fetch(`/api/ask?q=${encodeURIComponent(q)}`)).json();
  // ruleid: llmsecops/llm-output-to-html-js
  box.insertAdjacentHTML("afterbegin", data.answer);
  // ok: llmsecops/llm-output-to-html-js
  box.append(document.createTextNode(data.answer));
}

// Server-sent events carrying generated tokens.
export function followGeneration(box: HTMLElement, jobId: string) {
  const events = new EventSource(`/api/generate/${jobId}`);
  events.onmessage = (ev) => {
    // ruleid: llmsecops/llm-output-to-html-js
    box.innerHTML += ev.data;
  };
}

// A settings page fetch is not model output.
export async function loadBanner(box: HTMLElement) {
  const cfg = await (await fetch("/api/settings")).json();
  // ok: llmsecops/llm-output-to-html-js
  box.innerHTML = cfg.bannerHtml;
}
