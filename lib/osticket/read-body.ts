import "server-only";

/**
 * Reads a request body, giving up as soon as it passes `maxBytes` so an oversized upload is never
 * held in memory. A declared Content-Length over the limit is refused before anything is read.
 * A refused body is left unread, not cancelled: cancelling resets the connection, and a client still
 * sending would lose the answer with it. Portico's server reads and drops the rest once the answer is
 * out (server/unread-body.ts).
 */
export async function readBodyWithLimit(
  req: Request,
  maxBytes: number,
): Promise<Uint8Array | "too_large"> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) return "too_large";
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.releaseLock();
      return "too_large";
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
