import type { ServerResponse } from "node:http";

// osTicket answers with a Content-Length (docs/api.md §3) and Next streams every route handler's body
// chunked, dropping the header. The API's answers are a few bytes, so for those paths the body is
// held back until the end and sent with its length.

/** osTicket's API paths: /api/tickets.* and /api/http.php/… */
export function isOsTicketPath(url: string | undefined): boolean {
  return /^\/api\/(tickets\.|http\.php\/)/.test(url ?? "");
}

type Callback = (error?: Error | null) => void;

export function sendWithContentLength(res: ServerResponse): void {
  const chunks: Buffer[] = [];
  const collect = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function")
      return;
    chunks.push(
      typeof chunk === "string"
        ? Buffer.from(
            chunk,
            typeof encoding === "string"
              ? (encoding as BufferEncoding)
              : "utf8",
          )
        : Buffer.from(chunk as Uint8Array),
    );
  };
  const callbackOf = (...args: unknown[]) =>
    args.find((a): a is Callback => typeof a === "function");
  const end = res.end.bind(res) as (body: Buffer, cb?: Callback) => void;
  const writeHead = res.writeHead.bind(res);

  // Headers go out with the body, once its length is known: writeHead would commit them now.
  res.flushHeaders = () => {};
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    res.statusCode = status;
    for (const arg of rest) {
      if (typeof arg === "string") res.statusMessage = arg;
      else if (Array.isArray(arg))
        for (let i = 0; i + 1 < arg.length; i += 2)
          res.setHeader(String(arg[i]), arg[i + 1] as string);
      else if (arg && typeof arg === "object")
        for (const [name, value] of Object.entries(arg))
          if (value !== undefined)
            res.setHeader(name, value as string | number | string[]);
    }
    return res;
  }) as ServerResponse["writeHead"];
  res.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
    collect(chunk, encoding);
    const callback = callbackOf(encoding, cb);
    if (callback) process.nextTick(callback);
    return true;
  }) as ServerResponse["write"];
  res.end = ((chunk?: unknown, encoding?: unknown, cb?: unknown) => {
    collect(chunk, encoding);
    const body = Buffer.concat(chunks);
    if (!res.headersSent) {
      res.removeHeader("transfer-encoding");
      res.setHeader("content-length", body.byteLength);
    }
    // Node's own end() writes the headers through writeHead.
    res.writeHead = writeHead;
    end(body, callbackOf(chunk, encoding, cb));
    return res;
  }) as ServerResponse["end"];
}
