"""Data-flow traces rebuilt for JavaScript and TypeScript taint findings."""

from __future__ import annotations

from llmsecops.model import Location
from llmsecops.trace_js import build

ROUTE = """\
import OpenAI from "openai";
const client = new OpenAI();
// const fake = question; a comment must not count as code

app.post("/ask", async (req, res) => {
  const { question, persona: who } = req.body;
  let prompt = `You are ${who}. Be brief.`;
  prompt += " Answer: " + question;
  const label = "question + who"; // a string is not a read
  const reply = await client.chat.completions.create({
    model: "gpt-4o-mini",
    messages: [{ role: "system", content: prompt }],
  });
  res.json({ answer: reply.choices[0].message.content, label });
});
"""


def test_js_trace_follows_destructuring_templates_and_compound_assignment() -> None:
    line = ROUTE.splitlines()[11]
    col = line.index("prompt }") + 1
    steps = build(ROUTE, "route.js", Location("route.js", 12, col, 12, col + 6))
    assert [(s.location.start_line, s.message) for s in steps] == [
        (5, "source: parameter 'req'"),
        (6, "const { question, persona: who } = req.body;"),
        (7, "let prompt = `You are ${who}. Be brief.`;"),
        (8, 'prompt += " Answer: " + question;'),
        (12, 'sink: messages: [{ role: "system", content: prompt }],'),
    ]


TS = """\
export async function POST(request: Request): Promise<Response> {
  const body = (await request.json()) as { q: string };
  const q: string = body.q
    .trim();
  if (q) {
    return Response.json(await generateText({ model, system: "Answer " + q }));
  }
}
"""


def test_ts_trace_handles_type_annotations_and_continued_lines() -> None:
    line = TS.splitlines()[5]
    col = line.index('"Answer') + 1
    steps = build(TS, "r.ts", Location("r.ts", 6, col, 6, col + 13))
    assert [s.message for s in steps] == [
        "source: parameter 'request'",
        "const body = (await request.json()) as { q: string };",
        "const q: string = body.q",
        'sink: return Response.json(await generateText({ model, system: "Answer " + q }));',
    ]
    assert steps[2].location.last_line == 4  # the declaration spans two lines


def test_nothing_is_claimed_outside_a_function_or_without_local_inputs() -> None:
    top = 'const x = process.argv[2];\nexec("ls " + x);\n'
    assert build(top, "t.js", Location("t.js", 2, 6, 2, 15)) == ()
    constant = 'function f() {\n  exec("ls");\n}\n'
    assert build(constant, "c.js", Location("c.js", 2, 8, 2, 12)) == ()
    assert build("function f( {", "broken.js", Location("broken.js", 9, 1, 9, 2)) == ()
