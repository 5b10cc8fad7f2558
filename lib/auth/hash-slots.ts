import "server-only";

// argon2 runs on libuv's thread pool (four threads by default), which file and DNS work share. A flood
// of sign-ins holding every thread stalled everything else (a real sign-in took 4.8 s instead of
// 141 ms), so at most HASHING.running hashes run at once per process and the rest wait in line. The
// line and each client's place in it are bounded, so a flood is refused rather than queued for ever.
// This is per-process state by nature: it guards this process's threads.

export const HASHING = {
  /** Hashes running at once: half the default pool, leaving the rest to files and DNS. */
  running: 2,
  /** Anonymous callers (sign-in, sign-up, reset) waiting or running, across all clients. */
  admitted: 32,
  /** Of those, from one client. */
  perClient: 2,
};

let running = 0;
const waiting: Array<() => void> = [];
let admitted = 0;
const perClient = new Map<string, number>();

/** Runs `work` (one argon2 hash or verify) once one of the few hashing slots is free. */
export async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= HASHING.running)
    await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, so `running` never drops and rises again.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export type Admission = { release: () => void };

/** What a refused caller is told. */
export const HASHING_BUSY =
  "Too many requests are being checked right now. Try again in a moment.";

/**
 * Lets an anonymous caller (`client`, from clientKey) queue for hashing, or null when that client
 * already has its share in line or the line is full: the caller answers "try again" without hashing.
 */
export function admitHashing(client: string): Admission | null {
  const mine = perClient.get(client) ?? 0;
  if (mine >= HASHING.perClient || admitted >= HASHING.admitted) return null;
  perClient.set(client, mine + 1);
  admitted++;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      admitted--;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    },
  };
}
