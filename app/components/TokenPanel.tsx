"use client";
// LLM tokens as they stream, one block per message with its node, step and model; the metadata of each
// message is one click away. Tokens render in fixed-size chunks so that, while a message grows, React
// touches only its last chunk; the newest messages are shown and older ones are a click away.
import { memo, useState, type ReactNode } from "react";
import { streamedToolCalls } from "../client/chatTranscript";
import { isMessageLive, messageTaskLabel, type TaskLookup } from "../client/messageLabel";
import type { MessageGroup } from "../client/runStore";
import { useFollowBottom } from "../client/useFollowBottom";
import { JsonTree } from "./JsonTree";
import { NamespaceChip } from "./NamespaceChip";
import { Panel, PanelEmpty } from "./Panel";
import { TokenText } from "./TokenText";

interface TokenPanelProps {
  messages: readonly MessageGroup[];
  /** Bumped on every message chunk: the panel re-renders on it. */
  version: number;
  tokenCount: number;
  streaming: boolean;
  /** The run has ended (done, error, cancelled): an empty panel then says there were no tokens. */
  ended: boolean;
  /** Tasks and nodes of the run: which task each message is from and whether it is still streaming. */
  lookup: TaskLookup;
  /** Bumped when a task starts or ends: a card's typing cursor follows its task. */
  tasksVersion: number;
  modeRequested: boolean;
  /** The Tokens / Chat switch, for graphs whose state holds messages (a stable element: the panel is memoized). */
  viewSwitch?: ReactNode;
}

// About what the panel's height shows at once: a flood of short messages creates every shown card, so
// cards scrolled out of view would cost as much as the visible ones. Earlier ones are a click away.
const SHOWN_MESSAGES = 6;

export const TokenPanel = memo(function TokenPanel({ messages, tokenCount, streaming, ended, lookup, modeRequested, viewSwitch }: TokenPanelProps) {
  const [boundaries, setBoundaries] = useState(false);
  const [shown, setShown] = useState(SHOWN_MESSAGES);
  const hasMessages = messages.length > 0;
  // Stick to the newest token while the user is at the bottom (see followBottom).
  const { scroller, content } = useFollowBottom<HTMLDivElement, HTMLDivElement>(hasMessages);

  const first = Math.max(0, messages.length - shown);
  const visible = messages.slice(first);
  const count = messages.length > 0 ? `${tokenCount} ${tokenCount === 1 ? "token" : "tokens"} · ${messages.length} ${messages.length === 1 ? "msg" : "msgs"}` : undefined;
  const more = Math.min(first, SHOWN_MESSAGES * 4);

  return (
    <Panel
      id="tokens"
      title="Tokens"
      mode="messages"
      count={count}
      className="area-tokens"
      actions={
        <>
          {viewSwitch}
          <button type="button" className="btn btn-small btn-ghost" aria-pressed={boundaries} onClick={() => setBoundaries(!boundaries)} title="Token boundaries: show where each streamed token starts and ends" aria-label="Token boundaries">
            <svg width="14" height="12" viewBox="0 0 14 12" aria-hidden="true">
              <path d="M1 1v10M7 1v10M13 1v10" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
            </svg>
          </button>
        </>
      }
    >
      {messages.length === 0 ? (
        <PanelEmpty>
          {!modeRequested ? (
            <>Turn on <b>messages</b> to see LLM tokens as they stream.</>
          ) : ended ? (
            "This run streamed no tokens: none of its nodes called an LLM."
          ) : (
            "Tokens from the graph's LLM calls stream here."
          )}
        </PanelEmpty>
      ) : (
        <div ref={scroller} className="tokens-scroller">
          <div ref={content} className={`tokens-body${boundaries ? " boundaries" : ""}`}>
            {first > 0 && (
              <button type="button" className="btn btn-small older" onClick={() => setShown(shown + SHOWN_MESSAGES * 4)}>
                Show {more} earlier {more === 1 ? "message" : "messages"} ({first} hidden)
              </button>
            )}
            {visible.map((group) => (
              // Keyed by message: when short messages stream, a frame adds the new cards and drops the
              // oldest, and every card in between stays as it is (memoized, laid out from cache). Keying
              // by slot would instead rewrite every card on screen each frame.
              <Message key={group.firstEventIndex} group={group} tokens={group.tokens.length} live={isMessageLive(group, lookup, streaming)} task={messageTaskLabel(group, lookup)} />
            ))}
          </div>
        </div>
      )}
    </Panel>
  );
});

// A card is created for every message, and a flood of short messages adds several per frame: it is kept
// to a few elements (the header's facts are one line of text, tokens sit directly in the paragraph), and
// the metadata tree is built only when opened.
const Message = memo(function Message({ group, tokens, live, task }: { group: MessageGroup; tokens: number; live: boolean; task: string | null }) {
  const [metaOpen, setMetaOpen] = useState(false);
  const model = typeof group.metadata.ls_model_name === "string" ? group.metadata.ls_model_name : typeof group.metadata.ls_provider === "string" ? group.metadata.ls_provider : null;
  const toolCalls = group.toolCallChunks.length > 0 ? summarizeToolCalls(group) : null;
  const facts = [
    `step ${group.step}`,
    ...(task ? [task] : []),
    ...(group.type !== "AIMessageChunk" ? [group.type] : []),
    ...(model ? [model] : []),
    `${tokens} ${tokens === 1 ? "token" : "tokens"}${group.usage ? ` · ${group.usage.input_tokens} in / ${group.usage.output_tokens} out` : ""}`,
  ].join(" · ");
  return (
    <article className="message" data-testid="message" data-node={group.node} data-namespace={group.scope?.label} aria-label={`Message from ${group.node}${group.scope ? ` in ${group.scope.label}` : ""}, step ${group.step}${task ? `, ${task}` : ""}`} data-live={live || undefined}>
      <header className="message-head">
        <NamespaceChip scope={group.scope} />
        <span className="chip chip-node">{group.node}</span>
        <span className="message-facts">{facts}</span>
        <button type="button" className="message-meta-toggle" aria-expanded={metaOpen} onClick={() => setMetaOpen(!metaOpen)}>
          metadata
        </button>
      </header>
      <p className="message-text" data-testid="message-text">
        <TokenText tokens={group.tokens} count={tokens} />
        {live && <span className="cursor" aria-hidden="true" />}
      </p>
      {toolCalls && <div className="tool-calls">{toolCalls}</div>}
      {metaOpen && (
        <div className="message-meta">
          <JsonTree value={{ id: group.id, ...group.metadata }} openDepth={1} />
        </div>
      )}
    </article>
  );
});

function summarizeToolCalls(group: MessageGroup): string {
  return streamedToolCalls(group).map((c) => `${c.name}(${c.args})`).join("\n");
}
