// A value held as the JSON text it serializes to. The WebSocket encoder (server/wireEncoder.ts) splices
// `json` into tRPC's envelope as it is; anything else that serializes the value (JSON.stringify, e.g.
// the HTTP adapter) goes through toJSON and gets the same JSON. `json` is an accessor so that a subclass
// can produce the text on demand instead of holding it (stores/memory/packedEvent.ts).
export class SerializedJson {
  constructor(private readonly text: string) {}

  get json(): string {
    return this.text;
  }

  /** The text's length in characters, for size budgets (a packed event gives its UTF-8 bytes: no fewer). */
  get jsonLength(): number {
    return this.text.length;
  }

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}
