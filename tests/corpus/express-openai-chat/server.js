// Express chat backend on the OpenAI Node SDK, with one function-calling route.
import express from "express";
import https from "node:https";
import { exec, execFile } from "node:child_process";
import OpenAI from "openai";

const app = express();
app.use(express.json());

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const internal = new OpenAI({
  apiKey: process.env.INTERNAL_LLM_KEY,
  baseURL: "https://llm.internal.example.com/v1",
  httpAgent: new https.Agent({ rejectUnauthorized: false }), // vuln: client-config
});
const staging = new OpenAI({ apiKey: process.env.STAGING_LLM_KEY, baseURL: "http://llm-staging.example.com:8080/v1" }); // vuln: client-config

const SYSTEM = "You are Acme's shopping assistant. Answer questions about orders and products.";
const MODEL = "gpt-4o-mini";

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

app.post("/chat", async (req, res) => {
  const { message, persona } = req.body;
  const completion = await openai.chat.completions.create({ // vuln: prompt-injection
    model: MODEL,
    max_tokens: 500,
    messages: [
      { role: "system", content: `${SYSTEM} Adopt this persona: ${persona}` },
      { role: "user", content: message },
    ],
  });
  console.log("chat request", JSON.stringify(req.body), "->", completion.choices[0].message.content); // vuln: client-config
  res.json({ answer: completion.choices[0].message.content });
});

app.post("/chat/safe", async (req, res) => {
  const completion = await openai.chat.completions.create({ // safe: prompt-injection
    model: MODEL,
    max_tokens: 500,
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: String(req.body.message) },
    ],
  });
  console.log("chat ok", completion.id, completion.usage?.total_tokens); // safe: client-config
  res.json({ answer: completion.choices[0].message.content });
});

app.get("/product-blurb", async (req, res) => {
  const completion = await internal.chat.completions.create({
    model: MODEL,
    max_tokens: 200,
    messages: [
      { role: "system", content: "Write a two-sentence product blurb." },
      { role: "user", content: String(req.query.product ?? "") },
    ],
  });
  const blurb = completion.choices[0].message.content;
  if (req.query.escape === "1") {
    res.send(`<div class="blurb">${escapeHtml(blurb)}</div>`); // safe: output-handling
  } else {
    res.send(`<div class="blurb">${blurb}</div>`); // vuln: output-handling
  }
});

const tools = [
  { type: "function", function: { name: "disk_usage", parameters: { type: "object", properties: { path: { type: "string" } }, required: ["path"] } } },
];

app.post("/ops", async (req, res) => {
  const messages = [{ role: "system", content: "You answer ops questions with the tools." }, { role: "user", content: String(req.body.question) }];
  const first = await staging.chat.completions.create({ model: MODEL, max_tokens: 300, messages, tools });
  const call = first.choices[0].message.tool_calls?.[0];
  if (!call) return res.json({ answer: first.choices[0].message.content });
  const args = JSON.parse(call.function.arguments);
  if (req.query.strict === "1") {
    if (!/^\/srv\/[\w\/-]+$/.test(args.path)) return res.status(400).json({ error: "bad path" });
    execFile("du", ["-sh", args.path], (err, stdout) => res.json({ answer: stdout })); // safe: tool-output-sinks
  } else {
    exec(`du -sh ${args.path}`, (err, stdout) => res.json({ answer: stdout })); // vuln: tool-output-sinks
  }
});

app.listen(3000);
