import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

// The only reader of process.env. Parsed once, lazily, so `next build` needs no secrets.

const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const envSchema = z.object({
  NODE_ENV: z
    .enum(["development", "production", "test"])
    .default("development"),
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  PGLITE_DIR: optionalString,
  NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
  NEXTAUTH_SECRET: optionalString.pipe(
    z.string().min(32, "must be at least 32 characters").optional(),
  ),
  SMTP_URL: optionalString.pipe(z.url().optional()),
  MAIL_FROM: optionalString,
  SEED_DEMO_DATA: z.enum(["auto", "always", "never"]).default("auto"),
  ATTACHMENT_MAX_MB: z.coerce.number().positive().max(100).default(10),
  ATTACHMENT_TYPES: z
    .string()
    .default(
      "image/*,application/pdf,text/plain,text/csv,application/zip,application/x-zip-compressed",
    ),
  CRON_SECRET: optionalString.pipe(
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error", "silent"])
    .default("info"),
});

export type Env = {
  nodeEnv: "development" | "production" | "test";
  databaseUrl: string | undefined;
  pgliteDir: string;
  appUrl: string;
  nextAuthSecret: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  seedDemoData: "auto" | "always" | "never";
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  attachments: { maxBytes: number; types: string[] };
  cronSecret: string | undefined;
  /** 0 turns the in-process scheduler off (an external cron calls /api/cron/mail instead). */
  jobsIntervalSeconds: number;
};

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) => `  ${i.path.join(".")}: ${i.message}`,
    );
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.join(/*turbopackIgnore: true*/ process.cwd(), ".data");
  const appUrl = (e.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
  cached = {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: path.resolve(
      /*turbopackIgnore: true*/ e.PGLITE_DIR ?? path.join(dataDir, "pglite"),
    ),
    appUrl,
    nextAuthSecret: e.NEXTAUTH_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom:
      e.MAIL_FROM ?? `Portico Support <support@${new URL(appUrl).hostname}>`,
    seedDemoData: e.SEED_DEMO_DATA,
    logLevel: e.LOG_LEVEL,
    cronSecret: e.CRON_SECRET,
    jobsIntervalSeconds: e.JOBS_INTERVAL_SECONDS,
    attachments: {
      maxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
      types: e.ATTACHMENT_TYPES.split(",")
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    },
  };
  return cached;
}

/** For tests that change the environment between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

/** The key that signs session cookies. Resolved on first use, so CLI jobs never need it. */
export function authSecret(): string {
  const e = env();
  return (
    e.nextAuthSecret ??
    localAuthSecret(
      path.join(/*turbopackIgnore: true*/ process.cwd(), ".data"),
      e.databaseUrl,
    )
  );
}

// A single-machine install on the embedded database needs no configuration: the secret is made once
// and kept beside the data. Several instances on PostgreSQL must share one, so there it is required.
function localAuthSecret(
  dataDir: string,
  databaseUrl: string | undefined,
): string {
  if (databaseUrl) {
    throw new Error(
      "NEXTAUTH_SECRET must be set when DATABASE_URL is set (every instance must share it).",
    );
  }
  const file = path.join(dataDir, "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(dataDir, { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      return secret;
    } catch {
      return fs.readFileSync(file, "utf8").trim(); // another process won the race
    }
  }
}
