// The WebSocket's state as people read it: connected, connecting, reconnecting (lost, retrying), offline.
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";

const LABELS: Record<ConnectionStatus, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

export function ConnectionIndicator({ status, detail }: { status: ConnectionStatus; detail?: string | null }) {
  return (
    <span className={`connection connection-${status}`} role="status" aria-live="polite" data-testid="connection" data-status={status} title={detail ?? undefined}>
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
