"use client";
// The run input as a form generated from the graph's input JSON schema: one labelled field per property,
// with its description, default (as the placeholder) and limits. It edits the same JSON text as the JSON
// view (see client/schemaFields.ts), so switching views never loses anything.
import { fieldText, formValues, withField, type SchemaField } from "../client/schemaFields";

interface SchemaFormProps {
  fields: readonly SchemaField[];
  inputText: string;
  onInputChange: (text: string) => void;
  /** The field the input check complains about, marked invalid. */
  invalidField: string | null;
}

export function SchemaForm({ fields, inputText, onInputChange, invalidField }: SchemaFormProps) {
  const values = formValues(inputText);
  if (!values) return <p className="field-hint">The input is not a JSON object: edit it in the JSON view.</p>;
  return (
    <div className="schema-form" data-testid="schema-form">
      {fields.map((field) => {
        const id = `input-field-${field.key}`;
        const hintId = `${id}-hint`;
        const value = values[field.key];
        const hint = [field.description, field.limits, field.defaultText !== null ? `default ${field.defaultText}` : null].filter(Boolean).join(" · ");
        const change = (raw: string | boolean) => onInputChange(withField(inputText, field, raw));
        const invalid = invalidField !== null && (invalidField === field.key || invalidField.startsWith(`${field.key}.`));
        const common = { id, "aria-describedby": hint ? hintId : undefined, "aria-invalid": invalid };
        return (
          <div className={`field${field.kind === "boolean" ? " field-inline" : ""}`} key={field.key}>
            {field.kind === "boolean" ? (
              <label htmlFor={id}>
                <input type="checkbox" {...common} checked={value === true} onChange={(e) => change(e.target.checked)} /> {field.key}
              </label>
            ) : (
              <span className="field-label-row">
                <label htmlFor={id}>{field.key}</label>
                {field.required && (
                  <span className="required-mark" aria-hidden="true" title="required">
                    *
                  </span>
                )}
              </span>
            )}
            {field.kind === "choice" ? (
              <select {...common} value={value === undefined ? "" : JSON.stringify(value)} onChange={(e) => change(e.target.value)}>
                {!field.required && <option value="">(not set)</option>}
                {field.choices.map((choice) => (
                  <option key={JSON.stringify(choice)} value={JSON.stringify(choice)}>
                    {typeof choice === "string" ? choice : JSON.stringify(choice)}
                  </option>
                ))}
              </select>
            ) : field.kind === "boolean" ? null : (
              <input
                {...common}
                type={field.kind === "number" || field.kind === "integer" ? "number" : "text"}
                className={field.kind === "json" ? "mono" : undefined}
                inputMode={field.kind === "integer" ? "numeric" : field.kind === "number" ? "decimal" : undefined}
                step={field.kind === "integer" ? 1 : "any"}
                min={field.min}
                max={field.max}
                required={field.required}
                placeholder={field.defaultText ?? undefined}
                value={fieldText(field, value)}
                onChange={(e) => change(e.target.value)}
              />
            )}
            {hint && (
              <span id={hintId} className="field-hint" data-testid="field-description">
                {hint}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}
