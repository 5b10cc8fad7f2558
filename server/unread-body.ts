import type { IncomingMessage, ServerResponse } from "node:http";

// A request can be answered before its body has arrived: a refusal (too large, no API key) never reads
// it. Many clients (Python's http.client and urllib among them) write the whole body before they read
// anything. Left alone, the handler's body stream stops reading, the client blocks writing and never
// sees the answer; closing the connection while the body still arrives resets it, and a reset loses
// the answer too. So after the answer the rest of the body is read and thrown away, within a bound, and
// only then does the connection close.

/** How much of an unread body is read after the answer, and how long a pause in it is waited out,
 * before hanging up (Node's requestTimeout bounds the whole). */
export const DRAIN_LIMITS = { maxBytes: 64 * 1024 * 1024, idleMs: 10_000 };

/** Arranges for whatever of `req`'s body is still unread when `res` is sent to be read and dropped. */
export function discardBodyAfterAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  limits = DRAIN_LIMITS,
): void {
  // "prefinish": the answer is complete; Node has not yet closed a connection marked "close".
  res.once("prefinish", () => {
    if (!req.complete && !req.destroyed) discardRest(req, limits);
  });
}

function discardRest(
  req: IncomingMessage,
  { maxBytes, idleMs }: typeof DRAIN_LIMITS,
): void {
  const socket = req.socket;
  // Whoever was reading the body is done with it: stop feeding them.
  req.unpipe();
  req.removeAllListeners("data");
  req.removeAllListeners("readable");
  // Node closes a "Connection: close" exchange as soon as the answer is out; with the body still
  // arriving that close is a reset. Half-close instead: our side ends, the reading goes on.
  socket.destroySoon = () => socket.end();
  const hangUp = () => socket.destroy();
  const timer = setTimeout(hangUp, idleMs);
  timer.unref();
  let read = 0;
  req.on("data", (chunk: Buffer) => {
    read += chunk.byteLength;
    if (read > maxBytes) hangUp();
    else timer.refresh();
  });
  req.once("end", () => {
    clearTimeout(timer);
    // Everything the client sent has been read, so closing now resets nothing.
    if (socket.writableEnded) socket.destroy();
  });
  req.once("close", () => clearTimeout(timer));
  req.resume();
}
