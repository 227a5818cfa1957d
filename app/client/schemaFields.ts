// The fields of a graph's input form, read from its input JSON schema (what the server wrote with
// z.toJSONSchema): one per property, with its description, default and limits. The form edits the same
// JSON text as the JSON view, so the two never disagree: a field's change rewrites that text.

export type FieldKind = "text" | "number" | "integer" | "boolean" | "choice" | "json";

export interface SchemaField {
  key: string;
  kind: FieldKind;
  required: boolean;
  description: string | null;
  /** The schema's default, as JSON text shown as the placeholder. */
  defaultText: string | null;
  /** Limits in words, e.g. "1 to 200 characters", "at most 5". */
  limits: string | null;
  choices: readonly unknown[];
  min?: number;
  max?: number;
}

type JsonSchemaNode = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  anyOf?: JsonSchemaNode[];
};

/** The form's fields, or null when the schema is not an object with properties (the JSON view is used). */
export function schemaFields(schema: unknown): SchemaField[] | null {
  if (typeof schema !== "object" || schema === null) return null;
  const root = schema as JsonSchemaNode;
  if (!root.properties || Object.keys(root.properties).length === 0) return null;
  const required = new Set(root.required ?? []);
  return Object.entries(root.properties).map(([key, node]) => fieldOf(key, node, required.has(key)));
}

function fieldOf(key: string, node: JsonSchemaNode, required: boolean): SchemaField {
  const type = Array.isArray(node.type) ? node.type.find((t) => t !== "null") : node.type;
  const kind: FieldKind = node.enum
    ? "choice"
    : type === "string"
      ? "text"
      : type === "integer"
        ? "integer"
        : type === "number"
          ? "number"
          : type === "boolean"
            ? "boolean"
            : "json";
  const field: SchemaField = {
    key,
    kind,
    required,
    description: node.description ?? null,
    defaultText: node.default === undefined ? null : JSON.stringify(node.default),
    limits: limitsOf(node, kind),
    choices: node.enum ?? [],
  };
  const min = node.minimum ?? node.exclusiveMinimum;
  const max = node.maximum ?? node.exclusiveMaximum;
  if (min !== undefined && Number.isFinite(min) && Math.abs(min) < 1e15) field.min = min;
  if (max !== undefined && Number.isFinite(max) && Math.abs(max) < 1e15) field.max = max;
  return field;
}

/** Bounds zod writes for "any safe integer" say nothing to a person. */
const meaningful = (n: number | undefined): n is number => n !== undefined && Math.abs(n) < 1e15;

function limitsOf(node: JsonSchemaNode, kind: FieldKind): string | null {
  const range = (lo: number | undefined, hi: number | undefined, unit: string) => {
    const suffix = unit ? ` ${unit}` : "";
    if (meaningful(lo) && meaningful(hi)) return `${lo} to ${hi}${suffix}`;
    if (meaningful(lo)) return `at least ${lo}${suffix}`;
    if (meaningful(hi)) return `at most ${hi}${suffix}`;
    return null;
  };
  if (kind === "text") return range(node.minLength, node.maxLength, "characters");
  if (kind === "number" || kind === "integer") {
    const numbers = range(node.minimum ?? node.exclusiveMinimum, node.maximum ?? node.exclusiveMaximum, "");
    return kind === "integer" ? [numbers, "a whole number"].filter(Boolean).join(", ") : numbers;
  }
  if (node.type === "array") return range(node.minItems, node.maxItems, "items");
  return null;
}

/** The JSON text read as an object for the form, or null when it is not one (the form then says so). */
export function formValues(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What a field shows for its value. */
export function fieldText(field: SchemaField, value: unknown): string {
  if (value === undefined) return "";
  if (field.kind === "text" && typeof value === "string") return value;
  if ((field.kind === "number" || field.kind === "integer") && typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/**
 * The JSON text after a field changed. An empty optional field is left out; a number field's text that is
 * not a number is kept as a string so the check names the field; a JSON field's text is parsed when it can be.
 */
export function withField(text: string, field: SchemaField, raw: string | boolean): string {
  const values = { ...(formValues(text) ?? {}) };
  if (typeof raw === "boolean") values[field.key] = raw;
  else if (raw === "" && (!field.required || field.kind !== "text")) delete values[field.key];
  else if (field.kind === "number" || field.kind === "integer") values[field.key] = raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  else if (field.kind === "choice") values[field.key] = field.choices.find((c) => JSON.stringify(c) === raw) ?? raw;
  else if (field.kind === "json") {
    try {
      values[field.key] = JSON.parse(raw);
    } catch {
      values[field.key] = raw;
    }
  } else values[field.key] = raw;
  return JSON.stringify(values, null, 2);
}
