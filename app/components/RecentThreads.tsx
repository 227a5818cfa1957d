"use client";
// The threads list with its data: fetches through useThreads and hands the rows to ThreadsList, so a
// list refresh re-renders this section only. Closed (the default) it fetches nothing.
import { memo, useState } from "react";
import type { RillConnection } from "../client/trpcClient";
import { useThreads } from "../client/useThreads";
import { ThreadsList } from "./ThreadsList";

interface RecentThreadsProps {
  connection: RillConnection | null;
  refreshKey: string;
  currentThreadId: string | null;
  onOpen(threadId: string): void;
}

export const RecentThreads = memo(function RecentThreads({ connection, refreshKey, currentThreadId, onOpen }: RecentThreadsProps) {
  const [open, setOpen] = useState(false);
  const recent = useThreads(open ? connection : null, refreshKey);
  return <ThreadsList open={open} onToggle={setOpen} threads={recent.threads} loaded={recent.loaded} error={recent.error} currentThreadId={currentThreadId} onOpen={onOpen} />;
});
