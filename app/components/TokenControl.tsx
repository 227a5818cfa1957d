"use client";
// The access token of a protected server (RILL_TOKEN), in the top bar: shown when the server says it
// requires one or refuses a call for want of one. Kept for this tab only (sessionStorage): entering it
// reconnects the page with it; "Forget" drops it.
import { useState, type FormEvent } from "react";

export interface TokenControlProps {
  /** The token this tab uses, if any. */
  token: string | null;
  /** The server requires a token (system.info) or refused the last calls (UNAUTHORIZED / FORBIDDEN). */
  required: boolean;
  /** The server refused the calls made with the current token (or without one). */
  refused: boolean;
  /** Why, as the server said it. */
  refusal: string | null;
  onToken(token: string | null): void;
}

export function TokenControl({ token, required, refused, refusal, onToken }: TokenControlProps) {
  const [draft, setDraft] = useState("");
  if (!required && !refused && !token) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = draft.trim();
    if (value === "") return;
    setDraft("");
    onToken(value);
  };
  if (token && !refused) {
    return (
      <span className="token-control" data-testid="token-control" data-state="set">
        <span className="token-chip" title="This tab sends its access token with every call (kept for this tab only)">
          token set
        </span>
        <button type="button" className="token-forget" onClick={() => onToken(null)}>
          Forget
        </button>
      </span>
    );
  }
  return (
    <form className="token-control" data-testid="token-control" data-state={token ? "refused" : "needed"} onSubmit={submit} aria-label="Access token">
      <input
        type="password"
        aria-label="Access token"
        placeholder={token ? "token refused: try another" : "this server needs a token"}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" disabled={draft.trim() === ""}>
        Use
      </button>
      {refused && refusal && (
        <span className="token-refusal" role="alert" title={refusal}>
          {token ? "refused" : "token required"}
        </span>
      )}
    </form>
  );
}
