// `npm run bench` configuration. Read here because lint allows process.env only in lib/env.ts and test
// tooling, and the app itself never needs it.

const DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres";
const LOCAL_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"];

/** The PostgreSQL server the bench creates its throw-away database on; refuses anything not local. */
export function benchServerUrl(): string {
  const url = process.env.BENCH_DATABASE_URL || DEFAULT_SERVER;
  const { hostname } = new URL(url);
  // The bench creates and drops databases: never point it at anything but this machine.
  if (!LOCAL_HOSTS.includes(hostname))
    throw new Error(
      `Refusing to run the bench against non-local database host ${hostname}.`,
    );
  return url;
}

/** `WEB_CONCURRENCY=N npm run bench -- --only api` serves the API from N app processes. */
export function benchWebConcurrency(): number {
  const n = Number(process.env.WEB_CONCURRENCY || 1);
  if (!Number.isInteger(n) || n < 1)
    throw new Error("WEB_CONCURRENCY must be a whole number ≥ 1.");
  return n;
}
