// Drivers and fetch wrap the error that says what happened in one or more generic ones
// ("Failed query: …", "fetch failed"); these walk the `cause` chain so callers need not.

const MAX_DEPTH = 5;

/** The error and its causes, outermost first (bounded, so a cycle of causes cannot hang). */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let e: unknown = error;
    e !== undefined && e !== null && chain.length < MAX_DEPTH;
    e = (e as { cause?: unknown }).cause
  )
    chain.push(e);
  return chain;
}

/** The innermost error's message: the driver's or the socket's own words. */
export function rootMessage(error: unknown): string {
  const chain = errorChain(error);
  const root = chain.findLast((e) => e instanceof Error) ?? error;
  return root instanceof Error ? root.message : String(root);
}

/** Every string `code` along the chain (a SQLSTATE, a Node errno name, a driver's own), outermost first. */
export function errorCodes(error: unknown): string[] {
  return errorChain(error).flatMap((e) => {
    const code = (e as { code?: unknown } | null)?.code;
    return typeof code === "string" ? [code] : [];
  });
}

/** Whether a fetch gave up because its AbortSignal.timeout (or another abort) fired. */
export function isTimeout(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "TimeoutError" || error.name === "AbortError")
  );
}
