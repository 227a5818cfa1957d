// The SubscriberSocket of a `ws` server-side socket: what pacing reads (unsent bytes, drain), and write
// batching.
//
// Batching: tRPC sends each subscription event with its own ws.send(), from a chain of promise
// callbacks, and Node writes to the kernel at once when the socket is idle, so each event would cost a
// syscall (measured: over a third of the server's time at 20k events/s). Instead the TCP socket is corked
// at a subscriber's first event in a loop iteration and uncorked in the check phase (setImmediate): the
// events of many runs whose timers fired together go out in one writev (measured: about 20% less CPU
// with 1,000 live runs than uncorking at the end of each microtask burst), and a long burst (a replay)
// is flushed every 64 KiB so it never piles up. A pending immediate keeps the poll phase from blocking,
// so corked bytes wait at most one loop iteration.
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import type { SubscriberSocket } from "./subscriberPacing";

const corked = new WeakSet<Socket>();
const FLUSH_BYTES = 64 * 1024;

function uncork(socket: Socket): void {
  corked.delete(socket);
  socket.uncork();
}

// Every congested subscription on a socket waits for the same "drain": one listener pair per socket
// wakes them all (a listener per subscription would pass Node's limit of 10 and warn).
const drainWaiters = new WeakMap<Socket, Array<() => void>>();

function waitForDrain(tcp: Socket, resolve: () => void): void {
  const waiting = drainWaiters.get(tcp);
  if (waiting) {
    waiting.push(resolve);
    return;
  }
  const waiters = [resolve];
  drainWaiters.set(tcp, waiters);
  const wake = () => {
    tcp.off("drain", wake);
    tcp.off("close", wake);
    drainWaiters.delete(tcp);
    for (const waiter of waiters) waiter();
  };
  tcp.on("drain", wake);
  tcp.on("close", wake);
}

/** The SubscriberSocket view of a `ws` server-side socket, with per-turn write batching. */
export function subscriberSocketOf(ws: WebSocket): SubscriberSocket {
  // `_socket` is ws's underlying net.Socket (not in its typings): the only handle that can cork, and
  // the one that says when its buffered bytes have gone to the kernel ("drain").
  const tcp = (ws as unknown as { _socket?: Socket })._socket;
  return {
    whenDrained: () =>
      new Promise<void>((resolve) => {
        if (!tcp || tcp.destroyed || tcp.writableLength === 0) return resolve();
        waitForDrain(tcp, resolve);
      }),
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    get readyState() {
      return ws.readyState;
    },
    terminate: () => ws.terminate(),
    batchThisTurn: () => {
      if (!tcp || tcp.destroyed) return;
      if (corked.has(tcp)) {
        // A long burst (a replay) goes out in slices rather than all at the end of the turn.
        if (tcp.writableLength >= FLUSH_BYTES) {
          tcp.uncork();
          tcp.cork();
        }
        return;
      }
      corked.add(tcp);
      tcp.cork();
      setImmediate(uncork, tcp);
    },
  };
}
