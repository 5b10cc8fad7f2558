import "server-only";
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
} from "node:crypto";
import { authSecret, env } from "@/lib/env";

// Secrets Portico must read back later (authenticator seeds) are sealed with AES-256-GCM before they
// reach the database, so a dump or a backup alone does not give away anyone's second factor.
// The key is ENCRYPTION_KEY, or one derived from NEXTAUTH_SECRET when that is unset. Rotation: set
// ENCRYPTION_KEY to the new key and ENCRYPTION_KEY_PREVIOUS to the old one; values sealed with the
// old key still open and are sealed again with the new one the next time they are used.

const VERSION = "v1";

function keyFrom(material: string): Buffer {
  return Buffer.from(
    hkdfSync("sha256", material, "", "portico sealed secrets v1", 32),
  );
}

/** A short name for a key, stored beside what it sealed, so opening knows which key to use. */
const keyId = (key: Buffer) =>
  createHash("sha256").update(key).digest("base64url").slice(0, 8);

function keys(): { current: Buffer; previous: Buffer | null } {
  const { encryptionKey, encryptionKeyPrevious } = env();
  return {
    current: keyFrom(encryptionKey ?? authSecret()),
    previous: encryptionKeyPrevious ? keyFrom(encryptionKeyPrevious) : null,
  };
}

export function seal(plain: string): string {
  const { current } = keys();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", current, iv);
  const body = Buffer.concat([
    iv,
    cipher.update(plain, "utf8"),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `${VERSION}:${keyId(current)}:${body.toString("base64url")}`;
}

export type Opened = {
  plain: string;
  /** Sealed with the previous key: the caller should store seal(plain) again. */
  stale: boolean;
};

/** The sealed value opened, or null when no configured key opens it (or it was altered). */
export function open(sealed: string): Opened | null {
  const [version, id, body] = sealed.split(":");
  if (version !== VERSION || !id || !body) return null;
  const { current, previous } = keys();
  const key =
    keyId(current) === id
      ? current
      : previous && keyId(previous) === id
        ? previous
        : null;
  if (!key) return null;
  const bytes = Buffer.from(body, "base64url");
  try {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      key,
      bytes.subarray(0, 12),
    );
    decipher.setAuthTag(bytes.subarray(-16));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(12, -16)),
      decipher.final(),
    ]).toString("utf8");
    return { plain, stale: key !== current };
  } catch {
    return null;
  }
}

/** The stored form of a single-use link's token: links are random, so a plain digest hides them. */
export const hashToken = (token: string): string =>
  createHash("sha256").update(token).digest("hex");
