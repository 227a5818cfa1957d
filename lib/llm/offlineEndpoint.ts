// The offline model's URL for models in this process: the one the run server registered, or, in a plain
// script, a server started here on first use (once, on 127.0.0.1 and a free port, unref'd so it never keeps
// the process alive).
import { getOfflineModelURL, setOfflineModelURL } from "./modelConfig";
import { startOfflineModelServer } from "./offline/offlineModelServer";

let starting: Promise<string> | undefined;

export function ensureOfflineModelURL(): Promise<string> {
  const registered = getOfflineModelURL();
  if (registered !== undefined) return Promise.resolve(registered);
  starting ??= startOfflineModelServer({ host: "127.0.0.1", port: 0, unref: true }).then(
    (server) => {
      // The run server may have registered its own endpoint meanwhile; keep that one.
      if (getOfflineModelURL() === undefined) setOfflineModelURL(server.url);
      else void server.close();
      return getOfflineModelURL() as string;
    },
    (error: unknown) => {
      starting = undefined;
      throw new Error(`Could not start Rill's offline model server: ${(error as Error).message}`, { cause: error });
    },
  );
  return starting;
}
