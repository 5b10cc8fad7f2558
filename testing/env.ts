import { reloadEnv } from "@/lib/env";

// Tests that need other settings say which, here, instead of editing process.env and the env() cache
// by hand.

/** Sets these variables (`undefined` removes one) and makes env() read them; returns the function that
 * puts back what was there before. */
export function setTestEnv(
  vars: Record<string, string | undefined>,
): () => void {
  const before = Object.fromEntries(
    Object.keys(vars).map((name) => [name, process.env[name]]),
  );
  apply(vars);
  return () => apply(before);
}

function apply(vars: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  reloadEnv();
}
