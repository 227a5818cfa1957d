// Values as a durable saver stores them: a serializer type and its data. With Rill's default serializer
// (plain JSON) this is synchronous and yields a string (no promise, no byte copy per value); any other
// serializer (e.g. LangGraph's JsonPlusSerializer, which revives LangChain objects) goes through its
// async dumpsTyped/loadsTyped.
import { holdsLangChainObjects, reviveLangChainObjects } from "../langchainRevival";
import { JsonSerializer, type SerializerProtocol } from "../serde";
import { valueJson } from "./stepJson";

/** [type, data]: what a serializer returned (data is a JSON string on the fast path). */
export type Encoded = [type: string, data: string | Uint8Array];

export class ValueCodec {
  private readonly plainJson: boolean;

  constructor(private readonly serde: SerializerProtocol) {
    this.plainJson = serde instanceof JsonSerializer;
  }

  /** True when encode never returns a promise (Rill's default serializer, plain JSON). */
  get synchronous(): boolean {
    return this.plainJson;
  }

  encode(value: unknown): Encoded | Promise<Encoded> {
    if (this.plainJson) {
      if (value instanceof Uint8Array) return ["bytes", value];
      return ["json", valueJson(value) ?? "null"];
    }
    return this.serde.dumpsTyped(value);
  }

  decode(type: string, data: string | Uint8Array): unknown | Promise<unknown> {
    if (this.plainJson && type === "json") {
      const json = typeof data === "string" ? data : Buffer.from(data).toString("utf8");
      return holdsLangChainObjects(json) ? reviveLangChainObjects(json) : JSON.parse(json);
    }
    return this.serde.loadsTyped(type, data);
  }
}

/** Resolves every promise among the encoded values of `items` in place (for async serializers). */
export async function settle<T extends { ready?: Promise<void> }>(items: T[]): Promise<void> {
  for (const item of items) if (item.ready !== undefined) await item.ready;
}
