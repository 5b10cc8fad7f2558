import "server-only";
import type { MailcowConfig } from "@/lib/env";
import type {
  MailClientSettings,
  MailServerSettings,
} from "@/lib/mailcow/types";

// What a customer's mail client needs for their Mailcow mailbox (docs/mailcow.md §7),
// as plain data for the settings panel and as the two files clients can import.

export type MailClientConfig = Pick<
  MailcowConfig,
  "domain" | "imapHost" | "smtpHost" | "webmailUrl" | "ports"
>;

export function mailClientSettings(
  config: MailClientConfig,
  address: string,
): MailClientSettings {
  return {
    address,
    domain: config.domain,
    username: address,
    authentication: "normal-password",
    imap: {
      host: config.imapHost,
      sslPort: config.ports.imap,
      starttlsPort: config.ports.imapStarttls,
    },
    smtp: {
      host: config.smtpHost,
      sslPort: config.ports.smtp,
      starttlsPort: config.ports.submission,
    },
    // Dovecot serves POP3 on the IMAP host.
    pop3: {
      host: config.imapHost,
      sslPort: config.ports.pop3,
      starttlsPort: config.ports.pop3Starttls,
    },
    webmailUrl: config.webmailUrl,
  };
}

/**
 * Thunderbird's autoconfig file (clientConfig 1.1) for one mailbox. The username is the literal
 * address rather than %EMAILADDRESS%, since the file is made for this customer.
 */
export function thunderbirdAutoconfig(
  settings: MailClientSettings,
  options: { displayName: string },
): string {
  const server = (
    element: "incomingServer" | "outgoingServer",
    type: "imap" | "pop3" | "smtp",
    s: MailServerSettings,
  ) =>
    (
      [
        [s.sslPort, "SSL"],
        [s.starttlsPort, "STARTTLS"],
      ] as const
    ).map(([port, socketType]) =>
      [
        `    <${element} type="${xml(type)}">`,
        `      <hostname>${xml(s.host)}</hostname>`,
        `      <port>${xml(port)}</port>`,
        `      <socketType>${socketType}</socketType>`,
        `      <username>${xml(settings.username)}</username>`,
        `      <authentication>password-cleartext</authentication>`,
        `    </${element}>`,
      ].join("\n"),
    );

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<clientConfig version="1.1">`,
    `  <emailProvider id="${xml(settings.domain)}">`,
    `    <domain>${xml(settings.domain)}</domain>`,
    `    <displayName>${xml(options.displayName)}</displayName>`,
    ...server("incomingServer", "imap", settings.imap),
    ...server("incomingServer", "pop3", settings.pop3),
    ...server("outgoingServer", "smtp", settings.smtp),
    `  </emailProvider>`,
    `</clientConfig>`,
    ``,
  ].join("\n");
}

/**
 * An Apple configuration profile (.mobileconfig) that adds the mailbox to Mail over IMAP and SMTP
 * with implicit TLS. It holds no password: the device asks for it once, on install. Identifiers
 * are stable per address so installing it again replaces the earlier profile; UUIDs are fresh.
 */
export function appleMobileconfig(
  settings: MailClientSettings,
  options: { displayName: string; organisation: string },
): string {
  const profileId = profileIdentifier(settings.address);
  const mail: PlistDict = {
    EmailAccountDescription: options.displayName,
    EmailAccountType: "EmailTypeIMAP",
    EmailAddress: settings.address,
    IncomingMailServerAuthentication: "EmailAuthPassword",
    IncomingMailServerHostName: settings.imap.host,
    IncomingMailServerPortNumber: integer(settings.imap.sslPort),
    IncomingMailServerUseSSL: true,
    IncomingMailServerUsername: settings.username,
    OutgoingMailServerAuthentication: "EmailAuthPassword",
    OutgoingMailServerHostName: settings.smtp.host,
    OutgoingMailServerPortNumber: integer(settings.smtp.sslPort),
    OutgoingMailServerUseSSL: true,
    OutgoingMailServerUsername: settings.username,
    // Apple defines only this direction; the device then asks for one password, not two.
    OutgoingPasswordSameAsIncomingPassword: true,
    PayloadDescription: `Adds the mailbox ${settings.address} to Mail.`,
    PayloadDisplayName: `${options.displayName} (${settings.address})`,
    PayloadIdentifier: `${profileId}.mail`,
    PayloadType: "com.apple.mail.managed",
    PayloadUUID: newPayloadUuid(),
    PayloadVersion: integer(1),
  };
  const profile: PlistDict = {
    PayloadContent: [mail],
    PayloadDescription: `Mail settings for ${settings.address}. You enter the mailbox password when you install it.`,
    PayloadDisplayName: options.displayName,
    PayloadIdentifier: profileId,
    PayloadOrganization: options.organisation,
    PayloadRemovalDisallowed: false,
    PayloadType: "Configuration",
    PayloadUUID: newPayloadUuid(),
    PayloadVersion: integer(1),
  };
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
    `<plist version="1.0">`,
    plistValue(profile, ""),
    `</plist>`,
    ``,
  ].join("\n");
}

// Reverse-DNS of the address's domain plus the local part, e.g. "test.example.mailbox.jane.doe".
// Portico only creates local parts of [a-z0-9._-] (docs/mailcow.md §5.1); anything else is flattened.
function profileIdentifier(address: string): string {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, Math.max(at, 0));
  const domain = address.slice(at + 1);
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]/g, "-");
  const reversed = clean(domain).split(".").filter(Boolean).reverse().join(".");
  return `${reversed}.mailbox.${clean(local) || "mailbox"}`;
}

// Apple's own profiles use upper-case UUIDs.
function newPayloadUuid(): string {
  return crypto.randomUUID().toUpperCase();
}

// A number needs its own type: a plist tells <integer> from <real>, and ports must be integers.
class PlistInteger {
  constructor(readonly value: number) {}
}
type PlistValue = string | boolean | PlistInteger | PlistValue[] | PlistDict;
type PlistDict = { [key: string]: PlistValue };

const integer = (n: number) => new PlistInteger(Math.trunc(n));

function plistValue(value: PlistValue, indent: string): string {
  if (typeof value === "string")
    return `${indent}<string>${xml(value)}</string>`;
  if (typeof value === "boolean") return `${indent}<${value}/>`;
  if (Array.isArray(value)) {
    return [
      `${indent}<array>`,
      ...value.map((v) => plistValue(v, `${indent}  `)),
      `${indent}</array>`,
    ].join("\n");
  }
  if (value instanceof PlistInteger)
    return `${indent}<integer>${value.value}</integer>`;
  return [
    `${indent}<dict>`,
    ...Object.entries(value).flatMap(([key, v]) => [
      `${indent}  <key>${xml(key)}</key>`,
      plistValue(v, `${indent}  `),
    ]),
    `${indent}</dict>`,
  ].join("\n");
}

// Escapes markup and drops characters XML 1.0 cannot carry at all (most C0 controls, lone
// surrogates, U+FFFE/U+FFFF), which no escaping can make well-formed.
function xml(value: string | number): string {
  return String(value)
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "",
    )
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}
