// A value held as the JSON text it serializes to. The WebSocket encoder (server/wireEncoder.ts) splices
// `json` into tRPC's envelope as it is; anything else that serializes the value (JSON.stringify, e.g.
// the HTTP adapter) goes through toJSON and gets the same JSON.
export class SerializedJson {
  constructor(readonly json: string) {}

  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}
