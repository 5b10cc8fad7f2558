import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { MAILCOW_STOCK_PORTS } from "@/lib/env";
import {
  appleMobileconfig,
  mailClientSettings,
  thunderbirdAutoconfig,
  type MailClientConfig,
} from "@/lib/mailcow/client-settings";

// Separate IMAP and SMTP hosts, so a mix-up between them shows.
const stock: MailClientConfig = {
  domain: "example.test",
  imapHost: "imap.example.test",
  smtpHost: "smtp.example.test",
  webmailUrl: "https://mail.example.test/SOGo/",
  ports: MAILCOW_STOCK_PORTS,
};

// An operator who moved every port in mailcow.conf.
const remapped: MailClientConfig = {
  ...stock,
  ports: {
    imap: 10993,
    imapStarttls: 10143,
    smtp: 10465,
    submission: 10587,
    pop3: 10995,
    pop3Starttls: 10110,
  },
};

const address = "jane.doe@example.test";

describe("mailClientSettings", () => {
  it("gives every service its host and both ports, with the full address as username", () => {
    expect(mailClientSettings(stock, address)).toEqual({
      address,
      domain: "example.test",
      username: address,
      authentication: "normal-password",
      imap: { host: "imap.example.test", sslPort: 993, starttlsPort: 143 },
      smtp: { host: "smtp.example.test", sslPort: 465, starttlsPort: 587 },
      pop3: { host: "imap.example.test", sslPort: 995, starttlsPort: 110 },
      webmailUrl: "https://mail.example.test/SOGo/",
    });
  });

  it("uses the operator's ports", () => {
    const s = mailClientSettings(remapped, address);
    expect([s.imap, s.smtp, s.pop3]).toEqual([
      { host: "imap.example.test", sslPort: 10993, starttlsPort: 10143 },
      { host: "smtp.example.test", sslPort: 10465, starttlsPort: 10587 },
      { host: "imap.example.test", sslPort: 10995, starttlsPort: 10110 },
    ]);
  });

  it("is plain data that survives serialisation to a client component", () => {
    const s = mailClientSettings(stock, address);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

type Server = {
  "@_type": string;
  hostname: string;
  port: string;
  socketType: string;
  username: string;
  authentication: string;
};

function readAutoconfig(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  const doc = new XMLParser({
    ignoreAttributes: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => name === "incomingServer" || name === "outgoingServer",
  }).parse(text) as {
    clientConfig: {
      "@_version": string;
      emailProvider: {
        "@_id": string;
        domain: string;
        displayName: string;
        incomingServer: Server[];
        outgoingServer: Server[];
      };
    };
  };
  return doc.clientConfig;
}

const summary = (servers: Server[]) =>
  servers.map((s) => [s["@_type"], s.hostname, s.port, s.socketType]);

describe("thunderbirdAutoconfig", () => {
  it("lists IMAP and POP3 in, SMTP out, implicit TLS before STARTTLS", () => {
    const config = readAutoconfig(
      thunderbirdAutoconfig(mailClientSettings(stock, address), {
        displayName: "Example Mail",
      }),
    );
    expect(config["@_version"]).toBe("1.1");
    const provider = config.emailProvider;
    expect(provider["@_id"]).toBe("example.test");
    expect(provider.domain).toBe("example.test");
    expect(provider.displayName).toBe("Example Mail");
    expect(summary(provider.incomingServer)).toEqual([
      ["imap", "imap.example.test", "993", "SSL"],
      ["imap", "imap.example.test", "143", "STARTTLS"],
      ["pop3", "imap.example.test", "995", "SSL"],
      ["pop3", "imap.example.test", "110", "STARTTLS"],
    ]);
    expect(summary(provider.outgoingServer)).toEqual([
      ["smtp", "smtp.example.test", "465", "SSL"],
      ["smtp", "smtp.example.test", "587", "STARTTLS"],
    ]);
    for (const s of [...provider.incomingServer, ...provider.outgoingServer]) {
      expect(s.username).toBe(address);
      expect(s.authentication).toBe("password-cleartext");
    }
  });

  it("uses the operator's ports", () => {
    const provider = readAutoconfig(
      thunderbirdAutoconfig(mailClientSettings(remapped, address), {
        displayName: "Example Mail",
      }),
    ).emailProvider;
    expect(provider.incomingServer.map((s) => s.port)).toEqual([
      "10993",
      "10143",
      "10995",
      "10110",
    ]);
    expect(provider.outgoingServer.map((s) => s.port)).toEqual([
      "10465",
      "10587",
    ]);
  });

  it("escapes a hostile display name and keeps it intact", () => {
    const displayName = `A & <B> "quoted" 'single' ]]>`;
    const provider = readAutoconfig(
      thunderbirdAutoconfig(mailClientSettings(stock, address), {
        displayName,
      }),
    ).emailProvider;
    expect(provider.displayName).toBe(displayName);
    expect(provider.incomingServer).toHaveLength(4);
  });

  it("escapes every value it writes, attributes included", () => {
    const hostile = {
      ...stock,
      domain: `x"&<y>.test`,
      imapHost: `imap<&>"'.test`,
      smtpHost: `smtp</hostname>.test`,
    };
    const who = `o'neil&co@x"&<y>.test`;
    const provider = readAutoconfig(
      thunderbirdAutoconfig(mailClientSettings(hostile, who), {
        displayName: "Mail",
      }),
    ).emailProvider;
    expect(provider["@_id"]).toBe(hostile.domain);
    expect(provider.domain).toBe(hostile.domain);
    expect(provider.incomingServer[0]?.hostname).toBe(hostile.imapHost);
    expect(provider.outgoingServer[0]?.hostname).toBe(hostile.smtpHost);
    expect(provider.outgoingServer[0]?.username).toBe(who);
  });

  it("drops control characters XML cannot carry instead of breaking the file", () => {
    const provider = readAutoconfig(
      thunderbirdAutoconfig(mailClientSettings(stock, address), {
        displayName: "Bell\u0007 and NUL\u0000",
      }),
    ).emailProvider;
    expect(provider.displayName).toBe("Bell and NUL");
  });
});

// A plist dict is alternating <key> and value elements, so it is read in document order.
type Plist = string | number | boolean | Plist[] | { [key: string]: Plist };
type OrderedNode = { [tag: string]: OrderedNode[] | string } & {
  "#text"?: string;
};

function readPlist(text: string): Plist {
  expect(XMLValidator.validate(text)).toBe(true);
  const nodes = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    parseTagValue: false,
    trimValues: false,
  }).parse(text) as OrderedNode[];
  const plist = elements(nodes).find((e) => e.tag === "plist");
  const [root] = elements(plist?.children ?? []);
  if (!root) throw new Error("empty plist");
  return toValue(root);
}

type Element = { tag: string; children: OrderedNode[] };

function elements(nodes: OrderedNode[]): Element[] {
  return nodes.flatMap((node) => {
    const tag = Object.keys(node).find((k) => k !== ":@" && k !== "#text");
    const children = tag ? node[tag] : undefined;
    return tag && Array.isArray(children) ? [{ tag, children }] : [];
  });
}

const text = (e: Element) => e.children.map((c) => c["#text"] ?? "").join("");

function toValue(e: Element): Plist {
  switch (e.tag) {
    case "string":
      return text(e);
    case "integer":
      return Number(text(e));
    case "true":
      return true;
    case "false":
      return false;
    case "array":
      return elements(e.children).map(toValue);
    case "dict": {
      const items = elements(e.children);
      const dict: { [key: string]: Plist } = {};
      for (let i = 0; i < items.length; i += 2) {
        const key = items[i];
        const value = items[i + 1];
        if (key?.tag !== "key" || !value) throw new Error("malformed dict");
        dict[text(key)] = toValue(value);
      }
      return dict;
    }
    default:
      throw new Error(`unexpected plist element <${e.tag}>`);
  }
}

type Dict = { [key: string]: Plist };

function readProfile(text: string): { profile: Dict; mail: Dict } {
  const profile = readPlist(text) as Dict;
  const content = profile.PayloadContent as Dict[];
  expect(content).toHaveLength(1);
  return { profile, mail: content[0] as Dict };
}

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

describe("appleMobileconfig", () => {
  const options = { displayName: "Example Mail", organisation: "Example Ltd" };

  it("adds one IMAP account over SSL with SMTP over SSL, and no password", () => {
    const { profile, mail } = readProfile(
      appleMobileconfig(mailClientSettings(stock, address), options),
    );
    expect(profile).toMatchObject({
      PayloadType: "Configuration",
      PayloadVersion: 1,
      PayloadDisplayName: "Example Mail",
      PayloadOrganization: "Example Ltd",
    });
    expect(mail).toMatchObject({
      PayloadType: "com.apple.mail.managed",
      PayloadVersion: 1,
      EmailAccountType: "EmailTypeIMAP",
      EmailAccountDescription: "Example Mail",
      EmailAddress: address,
      IncomingMailServerHostName: "imap.example.test",
      IncomingMailServerPortNumber: 993,
      IncomingMailServerUseSSL: true,
      IncomingMailServerUsername: address,
      IncomingMailServerAuthentication: "EmailAuthPassword",
      OutgoingMailServerHostName: "smtp.example.test",
      OutgoingMailServerPortNumber: 465,
      OutgoingMailServerUseSSL: true,
      OutgoingMailServerUsername: address,
      OutgoingMailServerAuthentication: "EmailAuthPassword",
      OutgoingPasswordSameAsIncomingPassword: true,
    });
    expect(mail).not.toHaveProperty("IncomingPassword");
    expect(mail).not.toHaveProperty("OutgoingPassword");
  });

  it("uses the operator's SSL ports", () => {
    const { mail } = readProfile(
      appleMobileconfig(mailClientSettings(remapped, address), options),
    );
    expect(mail.IncomingMailServerPortNumber).toBe(10993);
    expect(mail.OutgoingMailServerPortNumber).toBe(10465);
  });

  it("keeps identifiers per address and makes fresh upper-case UUIDs", () => {
    const settings = mailClientSettings(stock, address);
    const first = readProfile(appleMobileconfig(settings, options));
    const second = readProfile(appleMobileconfig(settings, options));
    const other = readProfile(
      appleMobileconfig(
        mailClientSettings(stock, "john@example.test"),
        options,
      ),
    );

    expect(first.profile.PayloadIdentifier).toBe(
      "test.example.mailbox.jane.doe",
    );
    expect(second.profile.PayloadIdentifier).toBe(
      first.profile.PayloadIdentifier,
    );
    expect(second.mail.PayloadIdentifier).toBe(first.mail.PayloadIdentifier);
    expect(first.mail.PayloadIdentifier).not.toBe(
      first.profile.PayloadIdentifier,
    );
    expect(other.profile.PayloadIdentifier).not.toBe(
      first.profile.PayloadIdentifier,
    );

    const uuids = [first, second].flatMap((p) => [
      p.profile.PayloadUUID,
      p.mail.PayloadUUID,
    ]);
    for (const uuid of uuids) expect(uuid).toMatch(UUID);
    expect(new Set(uuids).size).toBe(4);
  });

  it("escapes a hostile display name and organisation and keeps them intact", () => {
    const hostile = {
      displayName: `A & <B> "quoted"`,
      organisation: `</string></dict><dict>&amp;`,
    };
    const { profile, mail } = readProfile(
      appleMobileconfig(mailClientSettings(stock, address), hostile),
    );
    expect(profile.PayloadDisplayName).toBe(hostile.displayName);
    expect(profile.PayloadOrganization).toBe(hostile.organisation);
    expect(mail.EmailAccountDescription).toBe(hostile.displayName);
    expect(mail.IncomingMailServerHostName).toBe("imap.example.test");
  });

  it("escapes hosts and addresses too", () => {
    const who = `o'neil&co@example.test`;
    const { mail } = readProfile(
      appleMobileconfig(
        mailClientSettings({ ...stock, imapHost: `imap<&>.test` }, who),
        options,
      ),
    );
    expect(mail.IncomingMailServerHostName).toBe("imap<&>.test");
    expect(mail.EmailAddress).toBe(who);
    expect(mail.IncomingMailServerUsername).toBe(who);
  });
});
