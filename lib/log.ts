import "server-only";
import { env } from "@/lib/env";

// Structured one-line JSON logs. Pass ids and outcomes only: never secrets, tokens or message bodies.

type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
};

function write(
  level: Level,
  event: string,
  fields: Record<string, unknown> = {},
): void {
  if (order[level] < order[env().logLevel]) return;
  const line = JSON.stringify(
    { at: new Date().toISOString(), level, event, ...fields },
    errorReplacer,
  );
  (level === "error" || level === "warn"
    ? process.stderr
    : process.stdout
  ).write(line + "\n");
}

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error
    ? { name: value.name, message: value.message, stack: value.stack }
    : value;
}

export const log = {
  debug: (event: string, fields?: Record<string, unknown>) =>
    write("debug", event, fields),
  info: (event: string, fields?: Record<string, unknown>) =>
    write("info", event, fields),
  warn: (event: string, fields?: Record<string, unknown>) =>
    write("warn", event, fields),
  error: (event: string, fields?: Record<string, unknown>) =>
    write("error", event, fields),
};
