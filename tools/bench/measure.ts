import "server-only";

// Timing helpers for the bench: nothing here knows about tickets.

export type Timing = { runs: number; p50: number; p95: number; max: number };

/** Nearest-rank percentile of already sorted samples; `p` in 0–100. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) throw new Error("No samples.");
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Runs `job` `warmUp` times untimed, then `runs` times one after another; milliseconds. */
export async function measure(
  job: () => Promise<unknown>,
  { warmUp, runs }: { warmUp: number; runs: number },
): Promise<Timing> {
  for (let i = 0; i < warmUp; i++) await job();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await job();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    runs,
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    max: samples[samples.length - 1]!,
  };
}
