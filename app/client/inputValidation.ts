// Checks the run input as the user types: JSON syntax first (with line and column), then the graph's
// input JSON schema through zod, so the message names the field the way the server's would. The server
// validates again; its error is shown in the same place.
import { z } from "zod";

export type InputCheck =
  | { ok: true; value: unknown }
  | { ok: false; kind: "json" | "schema"; message: string; field: string | null };

export function parseJsonText(text: string): InputCheck {
  if (text.trim() === "") return { ok: false, kind: "json", message: "Input is empty: enter a JSON value, e.g. {}", field: null };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: "json", message: `Invalid JSON: ${describeJsonError(text, raw)}`, field: null };
  }
}

/** V8 says "... at position 12" (older) or "... (line 2 column 5)"; always give line and column. */
function describeJsonError(text: string, message: string): string {
  if (/line \d+ column \d+/.test(message)) return message;
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  const position = Number(at[1]);
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  return `${message.replace(/ in JSON at position \d+.*$/, "")} (line ${line} column ${column})`;
}

/** A JSON schema as zod reads it (what `z.toJSONSchema` wrote on the server). */
export type InputJsonSchema = Exclude<Parameters<typeof z.fromJSONSchema>[0], boolean>;

const compiled = new WeakMap<InputJsonSchema, z.ZodType | null>();

function schemaFor(jsonSchema: InputJsonSchema): z.ZodType | null {
  if (compiled.has(jsonSchema)) return compiled.get(jsonSchema) ?? null;
  let schema: z.ZodType | null = null;
  try {
    schema = z.fromJSONSchema(jsonSchema);
  } catch {
    // A schema zod cannot read back: leave the check to the server.
    schema = null;
  }
  compiled.set(jsonSchema, schema);
  return schema;
}

/** Validates `value` against a JSON schema; the first issue is reported with its field path. */
export function checkAgainstSchema(jsonSchema: InputJsonSchema | null | undefined, value: unknown): InputCheck {
  if (!jsonSchema) return { ok: true, value };
  const schema = schemaFor(jsonSchema);
  if (!schema) return { ok: true, value };
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value };
  const issue = result.error.issues[0]!;
  let field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") field = [field, issue.keys.join(", ")].filter(Boolean).join(".");
  const message = field ? `${field}: ${issue.message}` : issue.message;
  return { ok: false, kind: "schema", message, field: field || null };
}

export function checkInput(text: string, jsonSchema: InputJsonSchema | null | undefined): InputCheck {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  return checkAgainstSchema(jsonSchema, parsed.value);
}
