import type { DirectHandler } from "@/lib/direct-handler";
import type { IncomingMessage, ServerResponse } from "node:http";
import { refuseBody } from "@/server/body-limits";
import { isOsTicketPath, sendWithContentLength } from "@/server/content-length";
import { isCrossSiteAction } from "@/server/cross-site";
import { isDirectRequest, serveDirect } from "@/server/direct";
import { PEER_HEADER } from "@/lib/peer";
import {
  dropUntrustedProxyHeaders,
  setRequestHeader,
} from "@/server/request-headers";
import {
  contentSecurityPolicy,
  createNonce,
  isPagePath,
  SECURITY_HEADERS,
} from "@/server/security-headers";
import { discardBodyAfterAnswer } from "@/server/unread-body";

// What Portico's server does with each request before (or instead of) Next's handler: who the peer
// is, which proxy headers to believe, how large a body may be, and the page's script nonce.

export type EdgeOptions = {
  /** Next's request handler. */
  next: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The osTicket API's handler, once offered (server/direct.ts); undefined sends it through Next. */
  direct: () => DirectHandler | undefined;
  isTrustedProxy: (ip: string) => boolean;
  /** Bytes a signed-in upload form may post (server/body-limits.ts). */
  uploadBodyLimit: number;
  dev: boolean;
};

export function createEdgeHandler(
  options: EdgeOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    discardBodyAfterAnswer(req, res);
    // Route handlers cannot see the TCP peer; the osTicket API binds keys to it.
    setRequestHeader(req, PEER_HEADER, req.socket.remoteAddress ?? "");
    dropUntrustedProxyHeaders(req, options.isTrustedProxy);
    // Next takes the page's nonce from this request header: only ours may be there.
    setRequestHeader(req, "content-security-policy", undefined);
    setRequestHeader(req, "content-security-policy-report-only", undefined);

    const refusal = isCrossSiteAction(req)
      ? {
          status: 403,
          message: "Forbidden: a form on another site posted here.\n",
        }
      : hasUndecodablePath(req.url)
        ? {
            status: 400,
            message:
              "Bad Request: the address holds a %-escape that is not UTF-8 text.\n",
          }
        : refuseBody(req, options.uploadBodyLimit);
    if (refusal) {
      refuse(res, refusal);
      return;
    }
    // Not under `next dev`, which recompiles the routes on edits.
    const direct = options.dev ? undefined : options.direct();
    if (direct && isDirectRequest(req)) {
      void serveDirect(req, res, direct);
      return;
    }
    if (isOsTicketPath(req.url)) sendWithContentLength(res);
    else if (isPagePath(req.url)) {
      const policy = contentSecurityPolicy(createNonce(), { dev: options.dev });
      setRequestHeader(req, "content-security-policy", policy);
      res.setHeader("Content-Security-Policy", policy);
    }
    void options.next(req, res);
  };
}

/** Next decodes dynamic segments and throws (a 500) on `%ZZ` or bytes that are not UTF-8. */
export function hasUndecodablePath(url: string | undefined): boolean {
  const path = (url ?? "/").split("?", 1)[0]!;
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

function refuse(
  res: ServerResponse,
  { status, message }: { status: number; message: string },
): void {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  // The connection ends after the answer; the body still arriving is read first (unread-body.ts).
  res.setHeader("Connection", "close");
  res.setHeader("Content-Length", Buffer.byteLength(message));
  res.statusCode = status;
  res.end(message);
}
