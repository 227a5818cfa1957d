// LangGraph's serializer protocol (`saver.serde`): how a saver that stores bytes turns values into
// them and back. Rill's MemorySaver keeps values by reference and does not call it; the default
// here is plain JSON, with LangChain objects in it (messages) revived on the way back (langchainRevival.ts).

import { holdsLangChainObjects, reviveLangChainObjects } from "./langchainRevival";

export interface SerializerProtocol {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  dumpsTyped(data: any): Promise<[string, Uint8Array]>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  loadsTyped(type: string, data: Uint8Array | string): Promise<any>;
}

export class JsonSerializer implements SerializerProtocol {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  async dumpsTyped(data: unknown): Promise<[string, Uint8Array]> {
    if (data instanceof Uint8Array) return ["bytes", data];
    return ["json", this.encoder.encode(JSON.stringify(data))];
  }

  async loadsTyped(type: string, data: Uint8Array | string): Promise<unknown> {
    if (type === "bytes") return typeof data === "string" ? this.encoder.encode(data) : data;
    if (type !== "json") throw new Error(`JsonSerializer: unknown serialization type "${type}" (expected "json" or "bytes")`);
    const json = typeof data === "string" ? data : this.decoder.decode(data);
    return holdsLangChainObjects(json) ? reviveLangChainObjects(json) : JSON.parse(json);
  }
}
