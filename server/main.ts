// `npm run dev` (tsx server/main.ts --dev) and `npm start` (via scripts/start.ts): the whole app on one
// port. SIGTERM/SIGINT shut it down gracefully (see RillServer.close); a second signal exits at once.
import { AuthModuleError } from "./auth/langGraphAuth";
import { ConfigError, loadConfig } from "./config";
import { createRillServer } from "./rillServer";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, process.argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`rill: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const server = await createRillServer({ next: { dev: config.dev } }).catch((error: unknown) => {
    if (!(error instanceof AuthModuleError)) throw error;
    process.stderr.write(`rill: ${error.message}\n`);
    process.exit(2);
  });
  const shown = server.config.host === "127.0.0.1" || server.config.host === "localhost"
    ? `http://localhost:${server.port}`
    : server.url;
  process.stdout.write(
    `Rill is running at ${shown} (${config.dev ? "development" : "production"})\n` +
      `Model: ${server.model.label}\n` +
      (server.authSource ? `Access: clients authenticate (${server.authSource}); each identity sees only its own runs\n` : ""),
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`rill: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`rill: ${signal}, shutting down (at most ${server.config.shutdownTimeoutMs} ms)\n`);
    server.close(`the server is shutting down (${signal})`).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`rill: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`rill: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
