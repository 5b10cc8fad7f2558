import { MAILCOW_STOCK_PORTS, type MailcowConfig } from "@/lib/env";
import type { FakeMailcow } from "@/testing/mailcow/fake";

/** Portico's Mailcow configuration pointed at an in-process fake, as env() would build it. */
export function fakeMailcowConfig(
  fake: FakeMailcow,
  domain: string,
  overrides: Partial<MailcowConfig> = {},
): MailcowConfig {
  return {
    apiUrl: fake.url,
    apiKey: fake.apiKey,
    domain,
    quotaMb: 1024,
    retrySeconds: 60,
    webmailUrl: "https://mail.example.test/SOGo/",
    imapHost: "mail.example.test",
    smtpHost: "mail.example.test",
    ports: MAILCOW_STOCK_PORTS,
    ...overrides,
  };
}
