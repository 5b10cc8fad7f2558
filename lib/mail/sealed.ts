import "server-only";
import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
} from "node:crypto";
import { authSecret } from "@/lib/env";

// A password link (reset or invitation) signs in whoever opens it, and an address link (verify-email)
// proves ownership of an address, so each must reach its recipient and
// no one else: not an admin reading the outbox, not someone holding a database dump. The outbox keeps
// such a link's token sealed (AES-256-GCM under a key derived from NEXTAUTH_SECRET); only delivery
// opens it, as it hands the mail to SMTP, and every staff view shows it hidden.

const PASSWORD_LINK_TOKEN =
  /(\/(?:reset-password|verify-email)\/)([A-Za-z0-9_-]{20,200})/g;
const SEALED = /\[\[sealed:([A-Za-z0-9_-]+)\]\]/g;

/** What staff see where a sealed token stands. */
export const HIDDEN_SECRET = "[hidden: sent to the recipient only]";

function key(): Buffer {
  return Buffer.from(
    hkdfSync("sha256", authSecret(), "", "portico outbox secrets v1", 32),
  );
}

/** `text` with every password link's token sealed; text without one is returned as it is. */
export function sealSecrets(text: string): string {
  if (text.search(PASSWORD_LINK_TOKEN) === -1) return text;
  const k = key();
  return text.replace(PASSWORD_LINK_TOKEN, (_all, prefix: string, token) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", k, iv);
    const sealed = Buffer.concat([
      iv,
      cipher.update(token, "utf8"),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return `${prefix}[[sealed:${sealed.toString("base64url")}]]`;
  });
}

/**
 * `text` as the recipient must get it, every sealed token opened; null when one cannot be opened
 * (NEXTAUTH_SECRET changed since the mail was queued, or the row was altered).
 */
export function openSecrets(text: string): string | null {
  if (text.search(SEALED) === -1) return text;
  const k = key();
  let failed = false;
  const opened = text.replace(SEALED, (_all, sealed: string) => {
    const bytes = Buffer.from(sealed, "base64url");
    try {
      const decipher = createDecipheriv(
        "aes-256-gcm",
        k,
        bytes.subarray(0, 12),
      );
      decipher.setAuthTag(bytes.subarray(-16));
      return Buffer.concat([
        decipher.update(bytes.subarray(12, -16)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      failed = true;
      return "";
    }
  });
  return failed ? null : opened;
}

/** `text` for staff eyes: sealed tokens, and any password link stored before sealing, hidden. */
export function redactSecrets(text: string): string {
  return text
    .replace(SEALED, HIDDEN_SECRET)
    .replace(
      PASSWORD_LINK_TOKEN,
      (_all, prefix: string) => `${prefix}${HIDDEN_SECRET}`,
    );
}
