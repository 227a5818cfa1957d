// Several WebSocket messages produced by one encode (a replayed run of events, server/runs/serializedEventRun.ts).
// tRPC hands what the encoder returns to the socket's send(); the server's WebSocket class (wsServer.ts)
// sends each text as its own frame, in order, in the same call.
export class WireFrames {
  constructor(readonly texts: readonly string[]) {}
}
