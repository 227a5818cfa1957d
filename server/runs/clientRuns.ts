// Per-client bookkeeping of the runs that hold resources: how many of a client's runs are running, and
// which of them are parked (interrupted, waiting for a resume), oldest first. A "client" is the key the
// router gives the run manager (server/trpc.ts clientKeyOf: the identity when there is one, else the
// connection). A client's entry lives as long as it has such runs, not as long as its connection, so an
// identified client that reconnects finds its counts where it left them.
//
// Every operation is O(1) except `mostParked`, which looks at each client holding parked runs (at most
// the store's run slots); it runs only when the parked pool is over its size.
import type { ActiveRun } from "./activeRun";

interface ClientEntry {
  running: number;
  /** Insertion order = the order they were parked: the first is the oldest. */
  parked: Map<string, ActiveRun>;
}

export class ClientRuns {
  private readonly clients = new Map<string, ClientEntry>();
  private parkedTotal = 0;

  /** Parked runs over all clients. */
  get parkedCount(): number {
    return this.parkedTotal;
  }

  running(client: string): number {
    return this.clients.get(client)?.running ?? 0;
  }

  parked(client: string): number {
    return this.clients.get(client)?.parked.size ?? 0;
  }

  enterRunning(client: string): void {
    this.entry(client).running += 1;
  }

  leaveRunning(client: string): void {
    const entry = this.clients.get(client);
    if (!entry) return;
    entry.running = Math.max(0, entry.running - 1);
    this.forgetIfEmpty(client, entry);
  }

  park(run: ActiveRun): void {
    const entry = this.entry(run.owner);
    if (entry.parked.has(run.runId)) return;
    entry.parked.set(run.runId, run);
    this.parkedTotal += 1;
  }

  unpark(run: ActiveRun): void {
    const entry = this.clients.get(run.owner);
    if (!entry || !entry.parked.delete(run.runId)) return;
    this.parkedTotal -= 1;
    this.forgetIfEmpty(run.owner, entry);
  }

  /** The client's oldest parked run. */
  oldestParked(client: string): ActiveRun | undefined {
    const entry = this.clients.get(client);
    return entry ? entry.parked.values().next().value : undefined;
  }

  /** The client with the most parked runs (the first such client on a tie), and how many. */
  mostParked(): { client: string; count: number } | undefined {
    let best: { client: string; count: number } | undefined;
    for (const [client, entry] of this.clients) {
      if (entry.parked.size > (best?.count ?? 0)) best = { client, count: entry.parked.size };
    }
    return best;
  }

  private entry(client: string): ClientEntry {
    let entry = this.clients.get(client);
    if (!entry) {
      entry = { running: 0, parked: new Map() };
      this.clients.set(client, entry);
    }
    return entry;
  }

  private forgetIfEmpty(client: string, entry: ClientEntry): void {
    if (entry.running === 0 && entry.parked.size === 0) this.clients.delete(client);
  }
}
