"use client";
// The chat of a run whose state holds messages, in the tokens panel's place: the newest state's messages
// plus the ones still streaming (client/chatTranscript.ts), rendered by ChatView.
import { memo, useCallback, useMemo, type ReactNode } from "react";
import { chatTranscript, stateMessages } from "../client/chatTranscript";
import { isMessageLive, type TaskLookup } from "../client/messageLabel";
import type { MessageGroup, ValuesEntry } from "../client/runStore";
import { ChatView } from "./ChatView";
import { Panel } from "./Panel";

interface ChatPanelProps {
  /** The newest state (paced), or undefined before the first. */
  state: ValuesEntry | undefined;
  messages: readonly MessageGroup[];
  /** Bumped on every message chunk: the streaming reply re-renders on it. */
  version: number;
  lookup: TaskLookup;
  tasksVersion: number;
  streaming: boolean;
  valuesRequested: boolean;
  viewSwitch: ReactNode;
  onSend?: (text: string) => void;
  sendBlocked?: string | null;
}

export const ChatPanel = memo(function ChatPanel({ state, messages, version, lookup, tasksVersion, streaming, valuesRequested, viewSwitch, onSend, sendBlocked }: ChatPanelProps) {
  const turns = useMemo(
    () => chatTranscript(stateMessages(state?.values), messages, state?.eventIndex ?? -1),
    // The message groups are appended to in place: `version` says they moved.
    [state, messages, version],
  );
  const isLive = useCallback((group: MessageGroup) => isMessageLive(group, lookup, streaming), [lookup, streaming, tasksVersion]);
  const count = turns.length > 0 ? `${turns.length} ${turns.length === 1 ? "message" : "messages"}` : undefined;
  return (
    <Panel id="chat" title="Chat" mode="messages" count={count} className="area-tokens" actions={viewSwitch}>
      <ChatView
        turns={turns}
        isLive={isLive}
        empty={valuesRequested ? "The conversation appears here as the run streams." : "Turn on values to see the whole conversation; without it only streamed messages show."}
        onSend={onSend}
        sendBlocked={sendBlocked}
      />
    </Panel>
  );
});
