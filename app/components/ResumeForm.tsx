"use client";
// Shown while a run is interrupted: what the interrupted node asked, and a value to resume it with.
// A yes/no question gets Approve and Reject (they send "yes" and "no"). The box sends JSON when it
// parses ("yes" → "yes", {"approved": true} → an object), plain words as text, and refuses text that
// starts like JSON but is broken; the hint under it says which.
import { useState } from "react";
import { asksYesNo, interruptDetails, interruptQuestion, parseResumeText } from "../client/interruptQuestion";

interface ResumeFormProps {
  interrupts: ReadonlyArray<{ id: string; value?: unknown }>;
  onResume: (value: unknown) => void;
  busy: boolean;
  error: string | null;
}

export function ResumeForm({ interrupts, onResume, busy, error }: ResumeFormProps) {
  const [text, setText] = useState('"yes"');
  const parsed = parseResumeText(text);
  const yesNo = interrupts.length === 1 && asksYesNo(interruptQuestion(interrupts[0]!.value));
  return (
    <form
      className="resume-form"
      aria-label="Resume the interrupted run"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.ok) onResume(parsed.value);
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
      {yesNo && (
        <div className="actions" role="group" aria-label="Answer">
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onResume("yes")} title='Resume with "yes"'>
            Approve
          </button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => onResume("no")} title='Resume with "no"'>
            Reject
          </button>
        </div>
      )}
      <div className="field">
        <label htmlFor="resume-value">{yesNo ? "Or resume with" : "Resume with"}</label>
        <input
          id="resume-value"
          type="text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className="mono"
          aria-invalid={!parsed.ok}
          aria-describedby="resume-hint"
        />
        <span id="resume-hint" className={parsed.ok ? "field-hint" : "field-error"} role={parsed.ok ? undefined : "alert"}>
          {!parsed.ok ? parsed.message : parsed.asJson ? "Sent as JSON." : "Not JSON: sent as the text string."}
        </span>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy || !parsed.ok}>
        Resume
      </button>
    </form>
  );
}

function InterruptValue({ value }: { value: unknown }) {
  const question = interruptQuestion(value);
  const details = interruptDetails(value);
  if (question === null) return <pre data-testid="interrupt-question">{JSON.stringify(value, null, 2)}</pre>;
  return (
    <>
      <p className="question" data-testid="interrupt-question">
        {question}
      </p>
      {details && <pre>{JSON.stringify(details, null, 2)}</pre>}
    </>
  );
}
