// HTTP as an attacker writes it: bytes on a TCP socket, so that requests no client library would send
// (a Host of "[", a malformed percent-escape, an upgrade with a bad Host) reach the server as written.
import net from "node:net";

export interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  while (rest.length > 0) {
    const lineEnd = rest.indexOf("\r\n");
    if (lineEnd === -1) break;
    const size = Number.parseInt(rest.slice(0, lineEnd), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
  return out;
}

/**
 * Sends `request` (the whole request: request line, headers, blank line, body) and resolves with the
 * answer once the server closes the connection, or at once on a 101 (an upgrade the server accepted).
 * Rejects when the connection ends with no answer at all.
 */
export function rawHttp(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(request));
    let received = "";
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      fn();
    };
    const parse = (): RawAnswer | null => {
      const headerEnd = received.indexOf("\r\n\r\n");
      if (headerEnd === -1) return null;
      const head = received.slice(0, headerEnd);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
      const raw = received.slice(headerEnd + 4);
      return { status, headers: head, body: /transfer-encoding: chunked/i.test(head) ? dechunk(raw) : raw };
    };
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
      const answer = parse();
      if (answer?.status === 101) settle(() => resolve(answer));
    });
    socket.on("error", () => undefined); // a reset after the answer is still an answer; "close" decides
    socket.on("close", () => {
      const answer = parse();
      settle(() => (answer ? resolve(answer) : reject(new Error(`no answer to ${JSON.stringify(request.slice(0, 80))}`))));
    });
  });
}

/** A GET with `Connection: close` and the given Host (default 127.0.0.1). */
export function get(path: string, host = "127.0.0.1", extraHeaders = ""): string {
  return `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${extraHeaders}Connection: close\r\n\r\n`;
}

/** A WebSocket upgrade request for `path` with the given Host. */
export function upgrade(path: string, host = "127.0.0.1", version = "13"): string {
  return (
    `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: ${version}\r\n\r\n`
  );
}

/** A POST of `body` as JSON. */
export function postJson(path: string, body: string): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * Upgrades to a WebSocket by hand and writes `frame` as raw bytes (e.g. an unmasked frame, which no
 * client library sends), then resolves with the close code of the close frame the server sends back
 * (null if it just drops the connection).
 */
export function rawWebSocketFrame(port: number, path: string, frame: Buffer, host = "127.0.0.1"): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => socket.write(upgrade(path, host)));
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd === -1) return;
        upgraded = true;
        buffer = buffer.subarray(headerEnd + 4);
        socket.write(frame);
      }
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      // A close frame: 0x88, a payload length, then the code as two bytes.
      resolve(buffer.length >= 4 && buffer[0] === 0x88 ? buffer.readUInt16BE(2) : null);
    });
  });
}
