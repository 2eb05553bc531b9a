// Fixtures for llmsecops/llm-output-to-sql-js. Lines after "ruleid" must be
// flagged, lines after "ok" must not.
import { openai as openaiProvider } from "@ai-sdk/openai";
import { generateObject, generateText, tool } from "ai";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { PrismaClient, Prisma } from "@prisma/client";
import { ChatOpenAI } from "@langchain/openai";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import knexFactory from "knex";
import { Sequelize, QueryTypes } from "sequelize";
import { Pool } from "pg";
import OpenAI from "openai";
import { z } from "zod";

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const prisma = new PrismaClient();
const knex = knexFactory({ client: "pg", connection: process.env.DATABASE_URL });
const sequelize = new Sequelize(process.env.DATABASE_URL!);
const sqlite = new Database("app.db");
const openai = new OpenAI();
const db = drizzle(pool);
const llm = new ChatOpenAI({ model: "gpt-4o-mini" });

// Text-to-SQL: the model writes the query and the app runs it.
export async function POST(req: Request) {
  const { question } = await req.json();
  const completion = await openai.chat.completions.create({
    model: "gpt-4o",
    messages: [
      { role: "system", content: "Translate the question into one PostgreSQL SELECT statement. Tables: orders(id, customer, total)." },
      { role: "user", content: question },
    ],
  });
  const query = completion.choices[0].message.content ?? "";
  // ruleid: llmsecops/llm-output-to-sql-js
  const { rows } = await pool.query(query);
  return Response.json(rows);
}

// Vercel AI SDK tool: the model's argument is templated into SQL.
export const lookupOrders = tool({
  description: "Look up a customer's orders",
  parameters: z.object({ customer: z.string() }),
  execute: async ({ customer }) => {
    // ruleid: llmsecops/llm-output-to-sql-js
    const res = await pool.query(`SELECT * FROM orders WHERE customer = '${customer}'`);
    return res.rows;
  },
});

// MCP server: Prisma raw unsafe.
const server = new McpServer({ name: "db", version: "1.0.0" });
server.tool("run_sql", "Run a read-only query", { query: z.string() }, async ({ query }) => {
  // ruleid: llmsecops/llm-output-to-sql-js
  const rows = await prisma.$queryRawUnsafe(query);
  return { content: [{ type: "text", text: JSON.stringify(rows) }] };
});

// Structured output used to build ORDER BY with knex.raw.
export async function sortedProducts(instruction: string) {
  const { object } = await generateObject({
    model: openaiProvider("gpt-4o-mini"),
    schema: z.object({ column: z.string(), direction: z.string() }),
    prompt: `Which column should products be sorted by? ${instruction}`,
  });
  // ruleid: llmsecops/llm-output-to-sql-js
  return knex.raw("SELECT * FROM products ORDER BY " + object.column + " " + object.direction);
}

// LangChain.js model output into Sequelize.
export async function countWhere(filterText: string) {
  const reply = await llm.invoke(`Write a SQL WHERE clause (no WHERE keyword) for: ${filterText}`);
  const where = String(reply.content);
  // ruleid: llmsecops/llm-output-to-sql-js
  return sequelize.query(`SELECT COUNT(*) FROM tickets WHERE ${where}`, { type: QueryTypes.SELECT });
}

// OpenAI tool call arguments into better-sqlite3.
export async function handleToolCalls(messages: OpenAI.ChatCompletionMessageParam[]) {
  const res = await openai.chat.completions.create({ model: "gpt-4o", messages });
  for (const call of res.choices[0].message.tool_calls ?? []) {
    const { table, id } = JSON.parse(call.function.arguments);
    // ruleid: llmsecops/llm-output-to-sql-js
    const row = sqlite.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id);
    console.log(row);
  }
}

// ---- not flagged ----

// Bind parameters.
export const safeLookup = tool({
  description: "Look up a customer's orders",
  parameters: z.object({ customer: z.string() }),
  execute: async ({ customer }) => {
    // ok: llmsecops/llm-output-to-sql-js
    const res = await pool.query("SELECT * FROM orders WHERE customer = $1", [customer]);
    return res.rows;
  },
});

// Prisma tagged template binds the value.
server.tool("find_user", "Find a user by email", { email: z.string() }, async ({ email }) => {
  // ok: llmsecops/llm-output-to-sql-js
  const users = await prisma.$queryRaw`SELECT id, name FROM users WHERE email = ${email}`;
  return { content: [{ type: "text", text: JSON.stringify(users) }] };
});

// drizzle sql tagged template passed to db.execute.
server.tool("orders_by_status", "Orders by status", { status: z.string() }, async ({ status }) => {
  // ok: llmsecops/llm-output-to-sql-js
  const { rows } = await db.execute(sql`SELECT * FROM orders WHERE status = ${status}`);
  return { content: [{ type: "text", text: JSON.stringify(rows) }] };
});

// Column name checked against an allowlist.
const SORTABLE = new Set(["price", "name", "created_at"]);
export async function sortBy(instruction: string) {
  const { text } = await generateText({ model: openaiProvider("gpt-4o-mini"), prompt: instruction });
  const column = text.trim();
  if (!SORTABLE.has(column)) throw new Error("bad column");
  // ok: llmsecops/llm-output-to-sql-js
  return knex.raw(`SELECT * FROM products ORDER BY ${column}`);
}

// Numeric conversion and a parameterized knex query.
export const getInvoice = tool({
  description: "Fetch an invoice",
  parameters: z.object({ id: z.string() }),
  execute: async ({ id }) => {
    const invoiceId = parseInt(id, 10);
    // ok: llmsecops/llm-output-to-sql-js
    const rows = await pool.query(`SELECT * FROM invoices WHERE id = ${invoiceId}`);
    // ok: llmsecops/llm-output-to-sql-js
    const more = await knex("invoices").where({ id }).first();
    return { rows, more };
  },
});

// ---- round 2 ----

// better-sqlite3 prepared statement: constant SQL, the argument is bound.
const notesDb = new Database("notes.db", { readonly: true });
const lookupServer = new McpServer({ name: "notes", version: "1.0.0" });
lookupServer.tool("find_note", { text: z.string().max(100) }, async ({ text }) => {
  // ok: llmsecops/llm-output-to-sql-js
  const rows = notesDb.prepare("SELECT id, title FROM notes WHERE title LIKE ? LIMIT 20").all(`%${text}%`);
  // ruleid: llmsecops/llm-output-to-sql-js
  const more = notesDb.prepare(`SELECT id FROM notes WHERE body LIKE '%${text}%'`).all();
  return { content: [{ type: "text" as const, text: JSON.stringify([rows, more]) }] };
});

// A database handle held on `this`, and a tagged Prisma.sql template.
class ReportService {
  constructor(private readonly db: Pool) {}
  async byRegion(question: string) {
    const { object } = await generateObject({
      model: openaiProvider("gpt-4o-mini"),
      schema: z.object({ region: z.string() }),
      prompt: question,
    });
    // ruleid: llmsecops/llm-output-to-sql-js
    const res = await this.db.query(`SELECT * FROM sales WHERE region = '${object.region}'`);
    // ok: llmsecops/llm-output-to-sql-js
    const safe = await prisma.$queryRaw(Prisma.sql`SELECT * FROM sales WHERE region = ${object.region}`);
    return [res.rows, safe];
  }
}

// Tool parameter restricted to an enum in the tool's own schema.
export const salesTools = {
  sortedSales: tool({
    description: "List sales sorted by a column",
    parameters: z.object({ column: z.enum(["amount", "created_at", "region"]), note: z.string() }),
    execute: async ({ column, note }) => {
      // ok: llmsecops/llm-output-to-sql-js
      const sorted = await pool.query(`SELECT * FROM sales ORDER BY ${column} DESC LIMIT 50`);
      // ruleid: llmsecops/llm-output-to-sql-js
      await pool.query(`INSERT INTO audit (note) VALUES ('${note}')`);
      return sorted.rows;
    },
  }),
};
