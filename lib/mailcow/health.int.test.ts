import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMailcowClient } from "@/lib/mailcow/client";
import { startFakeMailcow, type FakeMailcow } from "@/testing/mailcow/fake";
import { mailcowHealth } from "@/lib/mailcow/health";

// The health report an admin reads on the Mailboxes (Mailcow) settings page, against the
// in-process Mailcow: reachability, the domain's room, and what will stop new mailboxes.

const DOMAIN = "example.net";
const MIB = 1024 * 1024;
let fake: FakeMailcow;

beforeAll(async () => {
  fake = await startFakeMailcow({ domain: DOMAIN });
  // Four mailboxes of 1 GiB each, so the domain's room can be set around them.
  const client = clientFor(fake.apiKey);
  for (const localPart of ["ann", "bob", "cy", "dee"]) {
    const made = await client.createMailbox({
      localPart,
      domain: DOMAIN,
      name: localPart,
      password: "Violet-Harbour-42",
      quotaMb: 1024,
    });
    expect(made.ok).toBe(true);
  }
});
afterAll(async () => {
  await fake?.close();
});
// Each test sets the limits it is about; this is a roomy, healthy domain.
afterEach(() => {
  fake.setDomainLimits(DOMAIN, {
    isActive: true,
    maxMailboxes: 100,
    maxQuotaMib: 10_240,
    totalQuotaMib: 102_400,
  });
});

function clientFor(apiKey: string, apiUrl = fake.url) {
  return createMailcowClient({ apiUrl, apiKey });
}
const health = (quotaMb = 1024, domain = DOMAIN) =>
  mailcowHealth(clientFor(fake.apiKey), domain, { quotaMb });

describe("a healthy Mailcow", () => {
  it("reports its version and the domain's room, with nothing to warn about", async () => {
    fake.setDomainLimits(DOMAIN, { maxMailboxes: 100, totalQuotaMib: 102_400 });
    const report = await health();
    expect(report.connection).toEqual({ ok: true, version: "2026-07" });
    expect(report.capacity).toMatchObject({
      domain: DOMAIN,
      isActive: true,
      maxMailboxes: 100,
      mailboxes: 4,
      mailboxesLeft: 96,
      quotaAllocatedBytes: 4096 * MIB,
      maxQuotaForDomainBytes: 102_400 * MIB,
      quotaLeftBytes: (102_400 - 4096) * MIB,
    });
    expect(report.warnings).toEqual([]);
  });
});

describe("warnings", () => {
  it("few mailboxes left is a warning", async () => {
    fake.setDomainLimits(DOMAIN, { maxMailboxes: 6 });
    const { warnings } = await health();
    expect(warnings).toEqual([
      {
        level: "warning",
        message: expect.stringMatching(/Only 2 of 6 mailboxes left/),
      },
    ]);
  });

  it("under a tenth of the mailbox limit left is a warning, even when that is more than two", async () => {
    // 30 mailboxes in all for this test: 3 left of 33 is under a tenth, 10 left of 40 is not.
    const client = clientFor(fake.apiKey);
    const extra = Array.from({ length: 26 }, (_, i) => `extra${i}`);
    fake.setDomainLimits(DOMAIN, { maxMailboxes: 40 });
    try {
      for (const localPart of extra)
        await client.createMailbox({
          localPart,
          domain: DOMAIN,
          name: localPart,
          password: "Violet-Harbour-42",
          quotaMb: 1,
        });
      expect((await health()).warnings).toEqual([]);
      fake.setDomainLimits(DOMAIN, { maxMailboxes: 33 });
      expect((await health()).warnings).toEqual([
        {
          level: "warning",
          message: expect.stringMatching(/Only 3 of 33 mailboxes left/),
        },
      ]);
    } finally {
      for (const localPart of extra)
        fake.state.mailboxes.delete(`${localPart}@${DOMAIN}`);
    }
  });

  it("a full domain is critical: new mailboxes wait", async () => {
    fake.setDomainLimits(DOMAIN, { maxMailboxes: 4 });
    const { warnings } = await health();
    expect(warnings).toEqual([
      {
        level: "critical",
        message: expect.stringMatching(/full \(4 of 4 mailboxes\)/),
      },
    ]);
  });

  it("less than a tenth of the storage left is a warning", async () => {
    // 4 GiB given of 4.4 GiB: 400 MiB (9%) left.
    fake.setDomainLimits(DOMAIN, { totalQuotaMib: 4096 + 400 });
    const { warnings } = await health(100);
    expect(warnings).toEqual([
      {
        level: "warning",
        message: expect.stringMatching(/Only 400 MiB of the domain's 4.4 GiB/),
      },
    ]);
  });

  it("a new-mailbox quota above what Mailcow can give now is critical", async () => {
    fake.setDomainLimits(DOMAIN, { maxQuotaMib: 512 });
    const { warnings } = await health(1024);
    expect(warnings).toEqual([
      {
        level: "critical",
        message: expect.stringMatching(
          /get 1 GiB \(MAILCOW_QUOTA_MB\).*at most 512 MiB/,
        ),
      },
    ]);
    expect((await health(512)).warnings).toEqual([]);
  });

  it("an inactive domain is critical", async () => {
    fake.setDomainLimits(DOMAIN, { isActive: false });
    const { warnings } = await health();
    expect(warnings).toEqual([
      { level: "critical", message: expect.stringMatching(/inactive/) },
    ]);
  });

  it("a domain Mailcow does not have is critical, with no capacity to show", async () => {
    const report = await health(1024, "missing.example");
    expect(report.connection.ok).toBe(true);
    expect(report.capacity).toBeNull();
    expect(report.warnings).toEqual([
      {
        level: "critical",
        message: expect.stringMatching(
          /no domain missing\.example.*MAILCOW_DOMAIN/,
        ),
      },
    ]);
  });
});

describe("when Mailcow cannot be used", () => {
  it("nothing listening is explained, not thrown", async () => {
    const report = await mailcowHealth(
      clientFor(fake.apiKey, await closedMailcowUrl()),
      DOMAIN,
      { quotaMb: 1024 },
    );
    expect(report.connection).toEqual({
      ok: false,
      message: expect.stringMatching(
        /did not answer.*ECONNREFUSED.*MAILCOW_API_URL/,
      ),
    });
    expect(report.capacity).toBeNull();
  });

  it("a refused key is asked once only (fail2ban counts every refusal)", async () => {
    const before = fake.state.requests.length;
    const report = await mailcowHealth(
      clientFor("000000-000000-000000-000000-000000"),
      DOMAIN,
      { quotaMb: 1024 },
    );
    expect(report.connection).toEqual({
      ok: false,
      message: expect.stringMatching(/refused Portico's API key \(401/),
    });
    expect(fake.state.requests.length - before).toBe(1);
  });
});

/** The address of a Mailcow that has just shut down: nothing listens there any more. */
async function closedMailcowUrl(): Promise<string> {
  const gone = await startFakeMailcow();
  await gone.close();
  return gone.url;
}
