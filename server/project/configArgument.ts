// Which langgraph.json the server serves: `--config <path>` (or `--config=<path>`) on the command line, else
// RILL_CONFIG, else none (Rill's bundled examples). A path may name the file or the folder holding it;
// a relative one is taken from where the command was typed (npm's INIT_CWD, else the working directory).
import path from "node:path";
import { ConfigError } from "../config";

export function projectConfigArgument(argv: readonly string[], env: Record<string, string | undefined>): string | undefined {
  let given: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--config") {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new ConfigError("--config needs a path: --config ./langgraph.json (or a folder holding one)");
      given = value;
      i++;
    } else if (arg.startsWith("--config=")) {
      given = arg.slice("--config=".length);
      if (given === "") throw new ConfigError("--config= needs a path: --config=./langgraph.json (or a folder holding one)");
    }
  }
  given ??= env.RILL_CONFIG?.trim() || undefined;
  if (given === undefined) return undefined;
  return path.resolve(env.INIT_CWD ?? process.cwd(), given);
}
