"use client";
// Shown while a run is interrupted: what the interrupted node asked, and a value to resume it with.
// The value is read as JSON when it parses ("yes" → "yes", {"approved": true} → an object) and sent as
// plain text otherwise, and the form says which it will send.
import { useState } from "react";

interface ResumeFormProps {
  interrupts: ReadonlyArray<{ id: string; value?: unknown }>;
  onResume: (value: unknown) => void;
  busy: boolean;
  error: string | null;
}

export function parseResumeValue(text: string): { value: unknown; asJson: boolean } {
  try {
    return { value: JSON.parse(text), asJson: true };
  } catch {
    return { value: text, asJson: false };
  }
}

export function ResumeForm({ interrupts, onResume, busy, error }: ResumeFormProps) {
  const [text, setText] = useState('"yes"');
  const parsed = parseResumeValue(text);
  return (
    <form
      className="resume-form"
      aria-label="Resume the interrupted run"
      onSubmit={(e) => {
        e.preventDefault();
        onResume(parsed.value);
      }}
    >
      <h3>
        <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
          <rect x="1" y="0.5" width="3" height="9" rx="1" fill="currentColor" />
          <rect x="6" y="0.5" width="3" height="9" rx="1" fill="currentColor" />
        </svg>
        Waiting for input
      </h3>
      {interrupts.map((interrupt) => (
        <InterruptValue key={interrupt.id} value={interrupt.value} />
      ))}
      <div className="field">
        <label htmlFor="resume-value">Resume with</label>
        <input id="resume-value" type="text" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" spellCheck={false} className="mono" aria-describedby="resume-hint" />
        <span id="resume-hint" className="field-hint">
          {parsed.asJson ? "Sent as JSON." : "Not JSON: sent as the text string."}
        </span>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        Resume
      </button>
    </form>
  );
}

function InterruptValue({ value }: { value: unknown }) {
  if (typeof value === "string") return <p className="question">{value}</p>;
  if (typeof value === "object" && value !== null && "question" in value && typeof value.question === "string") {
    const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== "question"));
    return (
      <>
        <p className="question" data-testid="interrupt-question">{value.question}</p>
        {Object.keys(rest).length > 0 && <pre>{JSON.stringify(rest, null, 2)}</pre>}
      </>
    );
  }
  return <pre data-testid="interrupt-question">{JSON.stringify(value, null, 2)}</pre>;
}
