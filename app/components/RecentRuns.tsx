"use client";
// The runs list with its data: fetches through useRecentRuns and hands the rows to RunsList, so a list
// refresh re-renders this section only, not the whole page.
import { memo } from "react";
import type { RillConnection } from "../client/trpcClient";
import { useRecentRuns } from "../client/useRecentRuns";
import { RunsList } from "./RunsList";

interface RecentRunsProps {
  connection: RillConnection | null;
  /** Changes when the shown run starts or ends in this tab: the list refreshes. */
  refreshKey: string;
  currentRunId: string | null;
  onOpen(runId: string): void;
}

export const RecentRuns = memo(function RecentRuns({ connection, refreshKey, currentRunId, onOpen }: RecentRunsProps) {
  const recent = useRecentRuns(connection, refreshKey);
  return <RunsList runs={recent.runs} loaded={recent.loaded} error={recent.error} currentRunId={currentRunId} onOpen={onOpen} />;
});
