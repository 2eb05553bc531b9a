// Fixtures for llmsecops/prompt-template-injection-js. Lines after "ruleid" must
// be flagged, lines after "ok" must not.
import { ChatOpenAI } from "@langchain/openai";
import {
  ChatPromptTemplate,
  HumanMessagePromptTemplate,
  PromptTemplate,
  SystemMessagePromptTemplate,
} from "@langchain/core/prompts";
import { StructuredOutputParser } from "@langchain/core/output_parsers";
import express from "express";
import { z } from "zod";

const app = express();
app.use(express.json());
const llm = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 500 });

const GUIDELINES = "Be concise. Cite the section you used.";
const REVIEW_TEMPLATES: Record<string, string> = {
  short: "Review this code briefly:\n{code}",
  deep: "Review this code in depth:\n{code}",
};

// A function parameter interpolated into the template text.
export async function translate(text: string, targetLanguage: string) {
  // ruleid: llmsecops/prompt-template-injection-js
  const prompt = PromptTemplate.fromTemplate(`Translate into ${targetLanguage}:\n\n{text}`);
  return prompt.pipe(llm).invoke({ text });
}

// Built with + in a variable first, then compiled.
export async function rewrite(draft: string, audience: string) {
  const templateText = "Rewrite the draft for " + audience + ".\n\nDraft:\n{draft}";
  // ruleid: llmsecops/prompt-template-injection-js
  const prompt = ChatPromptTemplate.fromTemplate(templateText);
  return prompt.pipe(llm).invoke({ draft });
}

// new PromptTemplate({ template }) with an object property interpolated.
export function buildPrompt(options: { persona: string }) {
  return new PromptTemplate({
    // ruleid: llmsecops/prompt-template-injection-js
    template: `You are ${options.persona}. Answer: {question}`,
    inputVariables: ["question"],
  });
}

// Request body used as the whole template.
app.post("/api/custom", async (req, res) => {
  // ruleid: llmsecops/prompt-template-injection-js
  const tpl = HumanMessagePromptTemplate.fromTemplate(req.body.template);
  res.json(await ChatPromptTemplate.fromMessages([tpl]).pipe(llm).invoke({ topic: "billing" }));
});

// Fetched page text concatenated into a human-message template.
export async function digest(url: string) {
  const page = await (await fetch(url)).text();
  // ruleid: llmsecops/prompt-template-injection-js
  const human = HumanMessagePromptTemplate.fromTemplate("Summarize this page for {reader}:\n" + page.slice(0, 6000));
  return ChatPromptTemplate.fromMessages([human]).pipe(llm).invoke({ reader: "a new hire" });
}

// ---- not flagged ----

// The value fills a template variable.
export async function translateSafe(text: string, targetLanguage: string) {
  // ok: llmsecops/prompt-template-injection-js
  const prompt = PromptTemplate.fromTemplate("Translate into {language}:\n\n{text}");
  return prompt.pipe(llm).invoke({ text, language: targetLanguage });
}

// Constants: UPPER_CASE names, local constant strings, table lookups by key.
export async function answerWithGuidelines(question: string, depth: string) {
  const tone = "friendly";
  // ok: llmsecops/prompt-template-injection-js
  const a = ChatPromptTemplate.fromTemplate(`${GUIDELINES} Use a ${tone} tone.\n\nQuestion: {question}`);
  // ok: llmsecops/prompt-template-injection-js
  const b = PromptTemplate.fromTemplate(REVIEW_TEMPLATES[depth]);
  return [await a.pipe(llm).invoke({ question }), b];
}

// Format instructions and the current date are not caller-controlled.
export async function extract(doc: string) {
  const parser = StructuredOutputParser.fromZodSchema(z.object({ title: z.string() }));
  // ok: llmsecops/prompt-template-injection-js
  const prompt = PromptTemplate.fromTemplate(`Today is ${new Date().toISOString()}.\n${parser.getFormatInstructions()}\n{doc}`);
  return prompt.pipe(llm).pipe(parser).invoke({ doc });
}

// System-role templates are reported by llmsecops/prompt-injection-system-js.
export function systemTemplate(persona: string) {
  // ok: llmsecops/prompt-template-injection-js
  return SystemMessagePromptTemplate.fromTemplate(`You are ${persona}.`);
}
