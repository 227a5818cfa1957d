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
  const path = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys;
    const known = Object.keys((jsonSchema as { properties?: Record<string, unknown> }).properties ?? {});
    const where = path ? ` in ${path}` : "";
    const takes = known.length > 0 && !path ? ` This graph's input takes: ${known.join(", ")}.` : "";
    const message = `Unknown ${keys.length === 1 ? "field" : "fields"}${where}: ${keys.map((k) => `"${k}"`).join(", ")}.${takes}`;
    return { ok: false, kind: "schema", message, field: [path, keys.join(", ")].filter(Boolean).join(".") };
  }
  const plain = plainIssue(issue as PlainIssueInput);
  const message = path ? `${path}: ${plain}` : `The input ${plain}`;
  return { ok: false, kind: "schema", message, field: path || null };
}

interface PlainIssueInput {
  code: string;
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  values?: unknown[];
}

const A_TYPE: Record<string, string> = {
  string: "text (a JSON string)",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a JSON object",
  array: "a list (a JSON array)",
  null: "null",
};

/** A zod issue in plain words, without zod's "Invalid input:" jargon. */
function plainIssue(issue: PlainIssueInput): string {
  switch (issue.code) {
    case "invalid_type": {
      const got = /received (\w+)/.exec(issue.message)?.[1];
      if (got === "undefined") return "is required but missing";
      const expected = A_TYPE[issue.expected ?? ""] ?? issue.expected ?? "another type";
      return `must be ${expected}${got ? `, not ${got === "array" ? "a list" : got === "object" ? "an object" : `a ${got}`}` : ""}`;
    }
    case "too_small":
    case "too_big": {
      const bound = issue.code === "too_small" ? issue.minimum : issue.maximum;
      const word = issue.code === "too_small" ? "at least" : "at most";
      const strict = issue.inclusive === false ? (issue.code === "too_small" ? "more than" : "less than") : word;
      if (issue.origin === "string") return `must be ${strict} ${String(bound)} ${bound === 1 ? "character" : "characters"} long`;
      if (issue.origin === "array" || issue.origin === "set") return `must have ${strict} ${String(bound)} ${bound === 1 ? "item" : "items"}`;
      return `must be ${strict} ${String(bound)}`;
    }
    case "invalid_value":
      return issue.values && issue.values.length > 0 ? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` : issue.message;
    default:
      return issue.message.replace(/^Invalid input: /, "");
  }
}

export function checkInput(text: string, jsonSchema: InputJsonSchema | null | undefined): InputCheck {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  return checkAgainstSchema(jsonSchema, parsed.value);
}
