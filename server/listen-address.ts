// Where Portico's server listens. Like `next start`, on every interface unless told otherwise; but the
// demo data's accounts share a published password, so while they may exist and nobody chose an
// address, only this machine may connect.

type ListenEnv = {
  HOSTNAME?: string;
  DATABASE_URL?: string;
  SEED_DEMO_DATA?: string;
};

export type ListenAddress = {
  /** undefined: every interface, IPv4 and IPv6. */
  hostname: string | undefined;
  /** One line for the operator when the choice was made for them. */
  notice: string | null;
};

/** Whether start-up may seed the demo accounts (db/prepare.ts): an empty embedded database, or "always". */
export function mayHaveDemoData(env: ListenEnv): boolean {
  const mode = env.SEED_DEMO_DATA?.trim() || "auto";
  const embedded = !env.DATABASE_URL?.trim();
  return mode === "always" || (mode === "auto" && embedded);
}

export function listenAddress(
  flag: string | undefined,
  env: ListenEnv,
): ListenAddress {
  const chosen = flag?.trim() || env.HOSTNAME?.trim();
  if (chosen) return { hostname: chosen, notice: null };
  if (!mayHaveDemoData(env)) return { hostname: undefined, notice: null };
  return {
    hostname: "127.0.0.1",
    notice:
      "Portico: the demo accounts' password is public, so only this machine may connect (127.0.0.1); " +
      "to listen on every interface, set HOSTNAME=0.0.0.0 or pass -H 0.0.0.0.",
  };
}
