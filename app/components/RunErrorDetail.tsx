"use client";
// The run's error in full, a click away: the run bar has room for one line of it, a recursion error's
// message is several. Closed, it is one line under the run bar; nothing at all when the run has no error.
import { memo } from "react";
import type { TaskError } from "../../lib/graph/types";

export const RunErrorDetail = memo(function RunErrorDetail({ error, failure }: { error: TaskError | null; failure: string | null }) {
  const text = error ? `${error.name}: ${error.message}` : failure;
  if (!text) return <div className="run-error-slot" />;
  return (
    <div className="run-error-slot">
      <details className="run-error-detail" data-testid="run-error-detail">
        <summary>Read the whole error</summary>
        <pre className="error-box">{text}</pre>
      </details>
    </div>
  );
});
