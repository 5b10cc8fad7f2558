import "server-only";
import { isIP } from "node:net";
import { env } from "@/lib/env";
import { clientIp, proxyMatcher } from "@/lib/peer";

// Who is knocking, for the sign-in limits: the TCP peer Portico's own server reports, or the client a
// trusted proxy (TRUSTED_PROXIES) names. Never a header a client can set on its own.

let matcher: { entries: string[]; matches: (ip: string) => boolean } | null =
  null;

/** The caller's IP address, or null when the server did not say (then every such caller shares one limit). */
export function clientAddressOf(headers: Headers): string | null {
  const entries = env().trustedProxies;
  // The configured proxies change only with the environment: build their matcher once.
  if (matcher?.entries !== entries)
    matcher = { entries, matches: proxyMatcher(entries) };
  return clientIp(headers, matcher.matches);
}

/**
 * The key the limits count a client under. An IPv6 host usually holds a whole /64, and could take a
 * fresh address for every guess, so IPv6 clients are counted by their /64.
 */
export function clientKey(address: string | null): string {
  if (!address) return "unknown";
  if (isIP(address) !== 6) return address;
  const groups = expandIpv6(address);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : address;
}

function expandIpv6(address: string): string[] | null {
  const [head = "", tail, ...more] = address.toLowerCase().split("::");
  if (more.length > 0) return null;
  const part = (s: string) => (s === "" ? [] : s.split(":"));
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  // An embedded IPv4 address (::ffff:192.0.2.1) fills the last two groups.
  const last = right.length ? right : left;
  const v4 = last.at(-1);
  if (v4?.includes(".")) {
    const bytes = v4.split(".").map(Number);
    last.splice(
      -1,
      1,
      (((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0)).toString(16),
      (((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)).toString(16),
    );
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return null;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((g) =>
    g.replace(/^0+(?=.)/, ""),
  );
}
