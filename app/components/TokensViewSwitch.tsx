"use client";
// For graphs whose state holds messages: the tokens panel's place shows the raw token stream or the chat.
export type TokensView = "tokens" | "chat";

export function TokensViewSwitch({ view, onChange }: { view: TokensView; onChange: (view: TokensView) => void }) {
  return (
    <span className="segmented" role="group" aria-label="Show tokens or chat">
      <button type="button" aria-pressed={view === "tokens"} onClick={() => onChange("tokens")}>
        tokens
      </button>
      <button type="button" aria-pressed={view === "chat"} onClick={() => onChange("chat")}>
        chat
      </button>
    </span>
  );
}
