import { describe, expect, it } from "vitest";
import {
  clientIp,
  PEER_HEADER,
  proxyMatcher,
  trustedProxyList,
} from "@/lib/peer";

const headers = (peer: string | null, xff?: string) => {
  const h = new Headers();
  if (peer !== null) h.set(PEER_HEADER, peer);
  if (xff !== undefined) h.set("x-forwarded-for", xff);
  return h;
};

describe("clientIp", () => {
  const none = proxyMatcher([]);
  const proxies = proxyMatcher(["10.0.0.0/8", "192.0.2.1", "fd00::/8"]);

  it("is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientIp(headers("203.0.113.5", "198.51.100.1"), none)).toBe(
      "203.0.113.5",
    );
  });

  it("normalises IPv4-mapped IPv6 peers", () => {
    expect(clientIp(headers("::ffff:127.0.0.1"), none)).toBe("127.0.0.1");
  });

  it("fails closed without the peer header or with garbage in it", () => {
    expect(clientIp(headers(null, "198.51.100.1"), proxies)).toBeNull();
    expect(clientIp(headers("not-an-ip"), proxies)).toBeNull();
  });

  it("takes the nearest untrusted hop behind trusted proxies", () => {
    expect(
      clientIp(
        headers("10.0.0.2", "1.2.3.4, 198.51.100.7, 192.0.2.1"),
        proxies,
      ),
    ).toBe("198.51.100.7");
    expect(clientIp(headers("fd00::1", "2001:db8::9"), proxies)).toBe(
      "2001:db8::9",
    );
  });

  it("refuses a malformed hop rather than guessing", () => {
    expect(clientIp(headers("10.0.0.2", "1.2.3.4, junk"), proxies)).toBeNull();
  });

  it("is the proxy itself when it forwards nothing", () => {
    expect(clientIp(headers("10.0.0.2"), proxies)).toBe("10.0.0.2");
  });
});

describe("proxyMatcher", () => {
  it("matches single addresses and CIDR ranges and ignores junk entries", () => {
    const m = proxyMatcher(["10.0.0.0/8", "192.0.2.1", "nonsense", ""]);
    expect(m("10.200.1.1")).toBe(true);
    expect(m("192.0.2.1")).toBe(true);
    expect(m("192.0.2.2")).toBe(false);
    expect(m("not-an-ip")).toBe(false);
  });
});

describe("trustedProxyList", () => {
  it("reads TRUSTED_PROXIES as lib/env.ts does", () => {
    expect(trustedProxyList(undefined)).toEqual([]);
    expect(trustedProxyList(" 10.0.0.0/8, ,192.0.2.1 ")).toEqual([
      "10.0.0.0/8",
      "192.0.2.1",
    ]);
  });
});
