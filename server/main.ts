// `npm run dev` (tsx server/main.ts --dev) and `npm start` (via scripts/start.ts): the whole app on one
// port. SIGTERM/SIGINT shut it down gracefully (see RillServer.close); a second signal exits at once.
import { AuthModuleError } from "./auth/langGraphAuth";
// `--config <langgraph.json or folder>` (or RILL_CONFIG) serves that project's graphs instead of the
// bundled examples; a config that is not valid JSON or not LangGraph's shape stops the start (exit 2).
// Project graphs reload on edits with --dev (Next in dev mode too) or --watch (production Next).
import { ConfigError, loadConfig } from "./config";
import { projectConfigArgument } from "./project/configArgument";
import { ProjectConfigError, readProjectConfig, type ProjectConfig } from "./project/projectConfig";
import { createRillServer } from "./rillServer";
import { StorageError } from "./runs/stores/openRunStore";

async function main(): Promise<void> {
  let config;
  let project: ProjectConfig | undefined;
  try {
    config = loadConfig(process.env, process.argv);
    const projectPath = projectConfigArgument(process.argv, process.env);
    if (projectPath !== undefined) project = readProjectConfig(projectPath);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ProjectConfigError) {
      process.stderr.write(`rill: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // --watch (what `rill dev` passes): reload project graphs on edits while Next serves the prebuilt playground.
  const server = await createRillServer({ next: { dev: config.dev }, project, watchProject: config.dev || process.argv.includes("--watch") }).catch(
    (error: unknown) => {
      if (!(error instanceof AuthModuleError) && !(error instanceof StorageError)) throw error;
      process.stderr.write(`rill: ${error.message}\n`);
      process.exit(2);
    },
  );
  const shown = server.config.host === "127.0.0.1" || server.config.host === "localhost"
    ? `http://localhost:${server.port}`
    : server.url;
  process.stdout.write(
    `Rill is running at ${shown} (${config.dev ? "development" : "production"})\n` +
      `Model: ${server.model.label}\n` +
      (project && server.projectWatcher ? "Graphs reload when their files change\n" : "") +
      (server.authSource ? `Access: clients authenticate (${server.authSource}); each identity sees only its own runs\n` : "") +
      (project ? projectLine(project, server.graphs.summaries()) : ""),
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

function projectLine(project: ProjectConfig, graphs: Array<{ id: string; error?: string }>): string {
  const broken = graphs.filter((graph) => graph.error !== undefined).map((graph) => graph.id);
  return `Project: ${project.file} (${graphs.length - broken.length} graphs served${broken.length ? `; not loaded: ${broken.join(", ")}` : ""})\n`;
}

main().catch((error: unknown) => {
  process.stderr.write(`rill: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
