// The server's log: one line per event on stderr, `level msg key=value ...`, filtered by RILL_LOG_LEVEL.
import type { LogLevel } from "./config";

export interface LogLine {
  level: "info" | "warn" | "error";
  msg: string;
  [key: string]: unknown;
}

export type Logger = (line: LogLine) => void;

const RANK: Record<LogLevel, number> = { info: 0, warn: 1, error: 2, silent: 3 };

function formatValue(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

export function createLogger(level: LogLevel, write: (text: string) => void = (text) => process.stderr.write(text)): Logger {
  return (line) => {
    if (RANK[line.level] < RANK[level]) return;
    const { level: lineLevel, msg, ...fields } = line;
    const rest = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${formatValue(value)}`)
      .join(" ");
    write(`[rill] ${lineLevel} ${msg}${rest ? ` ${rest}` : ""}\n`);
  };
}
