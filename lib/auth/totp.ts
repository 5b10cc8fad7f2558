import "server-only";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

// Authenticator-app codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), the parameters every
// common authenticator app supports. otpauth does the arithmetic; this file fixes the parameters
// and adds what sign-in needs: which time step a code belongs to, so it is accepted once only.

export const TOTP_PERIOD = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that still count, for a phone clock a little off. */
const WINDOW = 1;
const ISSUER = "Portico";

const totp = (secret: string, label = "") =>
  new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });

/** A new random secret (160 bits, as RFC 4226 recommends), in base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export const isTotpSecret = (value: string): boolean =>
  /^[A-Z2-7]{32}$/.test(value);

/** The otpauth:// link an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: string): string {
  return totp(secret, account).toString();
}

/** The QR code of the link as an SVG document, drawn on the server: no image leaves the page. */
export function totpQrSvg(secret: string, account: string): Promise<string> {
  return QRCode.toString(totpUri(secret, account), {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 1,
  });
}

/**
 * The time step a code is valid for around `now` (within one step either way), or null. Callers
 * accept it only if it is later than the last step accepted for the account.
 */
export function totpStep(
  secret: string,
  code: string,
  now = Date.now(),
): number | null {
  const token = code.replace(/\s+/g, "");
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return null;
  const delta = totp(secret).validate({
    token,
    timestamp: now,
    window: WINDOW,
  });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD) + delta;
}

/** The current code, for tests and the enrolment page's own check. */
export function totpCode(secret: string, now = Date.now()): string {
  return totp(secret).generate({ timestamp: now });
}
