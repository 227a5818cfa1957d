import { test } from "node:test";
import assert from "node:assert/strict";
import { z } from "zod";
import { fieldText, formValues, schemaFields, withField } from "./schemaFields";

const schema = z.toJSONSchema(
  z.strictObject({
    topic: z.string().min(1).max(200).describe("What the joke is about"),
    rounds: z.number().int().min(1).max(10).default(3).describe("How many times to refine"),
    loud: z.boolean().optional(),
    tone: z.enum(["dry", "silly"]).optional(),
    tags: z.array(z.string()).max(3).optional(),
  }),
  { io: "input" },
);

test("fields come from the schema with descriptions, defaults and limits", () => {
  const fields = schemaFields(schema)!;
  assert.deepEqual(
    fields.map((f) => [f.key, f.kind, f.required, f.description, f.defaultText, f.limits]),
    [
      ["topic", "text", true, "What the joke is about", null, "1 to 200 characters"],
      ["rounds", "integer", false, "How many times to refine", "3", "1 to 10, a whole number"],
      ["loud", "boolean", false, null, null, null],
      ["tone", "choice", false, null, null, null],
      ["tags", "json", false, null, null, "at most 3 items"],
    ],
  );
  assert.equal(fields[1]!.min, 1);
  assert.equal(fields[1]!.max, 10);
  assert.equal(schemaFields({ type: "string" }), null);
});

test("a field's change rewrites the JSON text; the form reads it back", () => {
  const [topic, rounds, loud, tone, tags] = schemaFields(schema)!;
  let text = '{"topic": "ice cream"}';
  text = withField(text, rounds!, "5");
  assert.deepEqual(formValues(text), { topic: "ice cream", rounds: 5 });
  text = withField(text, rounds!, "five");
  assert.deepEqual(formValues(text), { topic: "ice cream", rounds: "five" }, "kept as text so the check names the field");
  text = withField(text, rounds!, "");
  assert.deepEqual(formValues(text), { topic: "ice cream" }, "an empty optional field is left out");
  text = withField(text, loud!, true);
  text = withField(text, tone!, '"silly"');
  text = withField(text, tags!, '["a"]');
  text = withField(text, topic!, "robots");
  assert.deepEqual(formValues(text), { topic: "robots", loud: true, tone: "silly", tags: ["a"] });
  assert.equal(fieldText(topic!, "robots"), "robots");
  assert.equal(fieldText(tags!, ["a"]), '["a"]');
  assert.equal(formValues("[1]"), null);
  assert.equal(formValues("{"), null);
});
