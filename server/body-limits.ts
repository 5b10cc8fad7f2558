import type { IncomingHttpHeaders } from "node:http";
import { isOsTicketPath } from "@/server/content-length";

// How large a request body Portico's server lets through to Next, decided from the request line and
// headers before a byte of the body is read. Every page URL takes server-action posts, and Next holds
// an action's whole body in memory while it parses it, so only the signed-in upload forms may send
// large ones. The osTicket API reads its body itself, within its own limit (lib/osticket/read-body.ts).

const MB = 1024 * 1024;

/** Sign-in, sign-up and every other form or route that uploads no files. */
export const SMALL_BODY_BYTES = MB;

// The pages whose forms carry files: a new ticket and a reply (customer and agent), a product image.
const UPLOAD_FORM_PATHS = [
  /^\/tickets\/[^/]+$/,
  /^\/staff\/tickets\/[^/]+$/,
  /^\/staff\/settings\/products\/(?!new$)[^/]+$/,
];

// The contact form takes a file from anyone: it is how visitors reach support, and it limits how
// often one address or client may send (lib/customers/contact.ts).
const PUBLIC_UPLOAD_FORM_PATHS = [/^\/contact$/];

export function isUploadFormPath(pathname: string): boolean {
  return [...UPLOAD_FORM_PATHS, ...PUBLIC_UPLOAD_FORM_PATHS].some((re) =>
    re.test(pathname),
  );
}

// next-auth's session cookie (lib/auth/options.ts), "__Secure-" over HTTPS, split into ".0", ".1"…
// when it grows past a cookie's size.
const SESSION_COOKIE = /^(?:__Secure-)?next-auth\.session-token(?:\.\d+)?$/;

/** Whether the request carries a session cookie; whether the session is valid is the page's business. */
export function hasSessionCookie(cookieHeader: string | undefined): boolean {
  return (cookieHeader ?? "").split(";").some((pair) => {
    const eq = pair.indexOf("=");
    return (
      eq > 0 &&
      SESSION_COOKIE.test(pair.slice(0, eq).trim()) &&
      pair.slice(eq + 1).trim() !== ""
    );
  });
}

type RequestHead = {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
};

/** The most a request's body may hold, in bytes; null for the osTicket API, which has its own. */
export function bodyLimitFor(
  req: RequestHead,
  uploadLimit: number,
): number | null {
  if (isOsTicketPath(req.url)) return null;
  const pathname = (req.url ?? "/").split("?")[0] ?? "/";
  const isUpload =
    req.method === "POST" &&
    (PUBLIC_UPLOAD_FORM_PATHS.some((re) => re.test(pathname)) ||
      (isUploadFormPath(pathname) && hasSessionCookie(req.headers.cookie)));
  return isUpload ? uploadLimit : SMALL_BODY_BYTES;
}

export type BodyRefusal = { status: 411 | 413; message: string };

/**
 * Why a request's body is refused before it is read, or null when it may go on. A body of unknown
 * length (chunked) is refused too: browsers always declare one, and Next would read it whole.
 */
export function refuseBody(
  req: RequestHead,
  uploadLimit: number,
): BodyRefusal | null {
  const limit = bodyLimitFor(req, uploadLimit);
  if (limit === null) return null;
  const declared = req.headers["content-length"];
  if (declared === undefined) {
    return req.headers["transfer-encoding"] === undefined
      ? null
      : {
          status: 411,
          message: "Length Required: send the body with a Content-Length.\n",
        };
  }
  return Number(declared) > limit
    ? {
        status: 413,
        message: `Request body too large: at most ${formatMb(limit)} here.\n`,
      }
    : null;
}

function formatMb(bytes: number): string {
  const mb = bytes / MB;
  return `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB`;
}
