"use client";
// A conversation as chat: the user's messages on the right, the assistant's on the left with its text
// streaming in (a cursor while it is written), each tool call it makes as a call with its arguments, and
// each tool's result as a result card under it. It receives the turns and renders them; it fetches
// nothing. `onSend`, when given, adds a message box below (continuing a thread: the page passes it once
// threads exist); without it there is no box.
import { memo, useState, type FormEvent } from "react";
import type { ChatToolCall, ChatTurn } from "../client/chatTranscript";
import { useFollowBottom } from "../client/useFollowBottom";
import type { MessageGroup } from "../client/runStore";
import { TokenText } from "./TokenText";

export interface ChatViewProps {
  turns: readonly ChatTurn[];
  /** Whether a streamed message is still being written (it gets the typing cursor). */
  isLive: (group: MessageGroup) => boolean;
  /** Shown when there are no turns yet. */
  empty: string;
  /** Sends the next user message; the box is shown only when given. */
  onSend?: (text: string) => void;
  /** Why sending is not possible now (a run going), or null. */
  sendBlocked?: string | null;
}

export function ChatView({ turns, isLive, empty, onSend, sendBlocked = null }: ChatViewProps) {
  const hasTurns = turns.length > 0;
  // Stick to the newest turn while the user is at the bottom (see followBottom).
  const { scroller, content } = useFollowBottom<HTMLDivElement, HTMLOListElement>(hasTurns);

  return (
    <div className="chat">
      {hasTurns ? (
        <div ref={scroller} className="chat-scroller">
          <ol ref={content} className="chat-turns" aria-label="Conversation">
            {turns.map((turn) => (
              <Turn key={turn.key} turn={turn} live={turn.kind === "assistant" && turn.group !== null && isLive(turn.group)} tokens={turn.kind === "assistant" && turn.group ? turn.group.tokens.length : 0} />
            ))}
          </ol>
        </div>
      ) : (
        <div className="panel-empty chat-empty">{empty}</div>
      )}
      {onSend && <MessageBox onSend={onSend} blocked={sendBlocked} />}
    </div>
  );
}

/** One turn; a streamed assistant turn renders again as its token count grows (`tokens`). */
const Turn = memo(function Turn({ turn, live }: { turn: ChatTurn; live: boolean; tokens: number }) {
  switch (turn.kind) {
    case "user":
      return (
        <li className="chat-turn chat-user" data-testid="chat-turn" data-kind="user">
          <div className="chat-bubble">{turn.text}</div>
        </li>
      );
    case "system":
      return (
        <li className="chat-turn chat-system" data-testid="chat-turn" data-kind="system">
          <span className="chat-role">system</span> {turn.text}
        </li>
      );
    case "tool":
      return (
        <li className={`chat-turn chat-tool${turn.failed ? " failed" : ""}`} data-testid="chat-turn" data-kind="tool" aria-label={`Result of tool ${turn.name ?? ""}`.trim()}>
          <div className="chat-tool-head">
            <span className="chat-role">{turn.failed ? "tool error" : "tool result"}</span>
            {turn.name && <span className="chip chip-node">{turn.name}</span>}
          </div>
          <pre className="chat-tool-text" data-testid="chat-tool-result">{turn.text}</pre>
        </li>
      );
    case "assistant": {
      const streamed = turn.group;
      const hasText = streamed ? streamed.tokens.length > 0 : turn.text !== "";
      return (
        <li className="chat-turn chat-assistant" data-testid="chat-turn" data-kind="assistant" data-live={live || undefined}>
          {(hasText || live) && (
            <p className="chat-bubble" data-testid="chat-assistant-text">
              {streamed ? <TokenText tokens={streamed.tokens} count={streamed.tokens.length} /> : turn.text}
              {live && <span className="cursor" aria-hidden="true" />}
            </p>
          )}
          {turn.toolCalls.map((call, i) => (
            <ToolCall key={call.id ?? i} call={call} />
          ))}
        </li>
      );
    }
  }
});

function ToolCall({ call }: { call: ChatToolCall }) {
  return (
    <div className="chat-tool-call" data-testid="chat-tool-call" data-tool={call.name}>
      <span className="chat-role">calls</span> <span className="chip chip-node">{call.name || "…"}</span>
      <code className="chat-tool-args">{call.args}</code>
    </div>
  );
}

function MessageBox({ onSend, blocked }: { onSend: (text: string) => void; blocked: string | null }) {
  const [text, setText] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (message === "" || blocked) return;
    onSend(message);
    setText("");
  };
  return (
    <form className="chat-box" onSubmit={submit}>
      <label className="visually-hidden" htmlFor="chat-message">
        Message
      </label>
      <textarea id="chat-message" rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder="Send a message" />
      <button type="submit" className="btn btn-primary" disabled={blocked !== null || text.trim() === ""} title={blocked ?? undefined}>
        Send
      </button>
    </form>
  );
}
