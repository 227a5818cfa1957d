// Coalesces the messages a subscriber sends within one turn of the event loop into one write.
//
// tRPC sends each subscription event with its own ws.send(), from a chain of promise callbacks. Node
// writes to the kernel at once when the socket is idle, so without this each event costs a syscall
// (measured: over a third of the server's time at 20k events/s). Corking the TCP socket until the
// current run of microtasks is over lets a follower's burst — up to 512 events per turn — go out in one
// writev. (Uncorking later, at setImmediate, batches more across timers but lets a fast replay outrun
// the socket: measured slower.)
import type { Socket } from "node:net";
import type { WebSocket } from "ws";
import type { SubscriberSocket } from "./subscriberPacing";

const corked = new WeakSet<Socket>();

function uncork(socket: Socket): void {
  corked.delete(socket);
  socket.uncork();
}

/** The SubscriberSocket view of a `ws` server-side socket, with per-turn write batching. */
export function subscriberSocketOf(ws: WebSocket): SubscriberSocket {
  // `_socket` is ws's underlying net.Socket (not in its typings): the only handle that can cork.
  const tcp = (ws as unknown as { _socket?: Socket })._socket;
  return {
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    get readyState() {
      return ws.readyState;
    },
    terminate: () => ws.terminate(),
    batchThisTurn: () => {
      if (!tcp || corked.has(tcp) || tcp.destroyed) return;
      corked.add(tcp);
      tcp.cork();
      process.nextTick(uncork, tcp);
    },
  };
}
