import { BlockList, isIP } from "node:net";

// Next's own server fills X-Forwarded-For from the socket only when the client sent none, so a route
// handler cannot tell a forged header from the real peer. Portico's server (server/main.ts) writes
// the TCP peer into this header on every request, replacing whatever the client sent.
export const PEER_HEADER = "x-portico-peer";

/** Node reports IPv4 peers on dual-stack sockets as ::ffff:a.b.c.d; everything else compares as a.b.c.d. */
export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().toLowerCase();
  return /^::ffff:\d+\.\d+\.\d+\.\d+$/.test(trimmed)
    ? trimmed.slice(7)
    : trimmed;
}

/** A matcher for TRUSTED_PROXIES entries: single addresses or CIDR ranges, IPv4 or IPv6. */
export function proxyMatcher(entries: string[]): (ip: string) => boolean {
  const list = new BlockList();
  let any = false;
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (!family) continue;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
    any = true;
  }
  if (!any) return () => false;
  return (ip) => {
    const family = isIP(ip);
    return family !== 0 && list.check(ip, family === 4 ? "ipv4" : "ipv6");
  };
}

/**
 * The caller's address: the TCP peer, or, when the peer is a trusted proxy, the nearest address in
 * X-Forwarded-For that is not itself a trusted proxy. Null when the server did not say who the peer
 * is (a server other than Portico's): callers must then fail closed.
 */
export function clientIp(
  headers: Headers,
  isTrustedProxy: (ip: string) => boolean,
): string | null {
  const raw = headers.get(PEER_HEADER);
  if (!raw) return null;
  const peer = normalizeIp(raw);
  if (!isIP(peer)) return null;
  if (!isTrustedProxy(peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => normalizeIp(h))
    .filter((h) => h !== "");
  // Walk from the nearest hop outwards; each trusted proxy vouches for the one before it.
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (!isIP(hop)) return null;
    if (!isTrustedProxy(hop)) return hop;
  }
  return hops[0] ?? peer;
}

/** TRUSTED_PROXIES as written: a comma-separated list, read the way lib/env.ts reads it. */
export function trustedProxyList(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}
