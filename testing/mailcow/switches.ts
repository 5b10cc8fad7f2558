import type { Reply } from "@/testing/mailcow/routes";

// The failures a test can make the fake Mailcow show (docs/mailcow.md §1, §9): each armed fault is
// spent on the next request that matches it, so a test says exactly which call fails and how.

export type FaultKind =
  | "delay" // §9: answer only after `delayMs` (default: after commit)
  | "empty-200" // §1: PHP crash with display_errors on
  | "empty-500" // §1: PHP crash with display_errors off
  | "html-500" // §1: database or Docker helper down
  | "drop" // connection closed without an answer
  | "redirect"; // §1: plain HTTP answered with 301

export type FaultOptions = {
  /** Only requests to this route, e.g. "add/mailbox"; default any. */
  route?: string;
  /** Whether a write is applied before the fault; default "after-commit" for delay, else "before-commit". */
  when?: "before-commit" | "after-commit";
  delayMs?: number;
};

type Fault = FaultOptions & { kind: FaultKind };

/** One request as the switches see it: how to answer it normally, send an answer, or hang up. */
export type Exchange = {
  /** The path as requested, e.g. "/api/v1/add/mailbox". */
  pathname: string;
  /** Routes the request and applies its write; call at most once. */
  answer: () => Reply;
  send: (reply: Reply) => void;
  drop: () => void;
  /** Whether the caller has gone, so a late answer is not written. */
  gone: () => boolean;
};

export type Switches = {
  failNext: (kind: FaultKind, options?: FaultOptions) => void;
  /** Answers the exchange, through the first armed fault matching its route if there is one. */
  serve: (exchange: Exchange) => void;
  /** Cancels delayed answers still pending. */
  close: () => void;
};

export function createSwitches(): Switches {
  const faults: Fault[] = [];
  const timers = new Set<NodeJS.Timeout>();

  function serve(exchange: Exchange) {
    const routeName = exchange.pathname.replace(/^\/api\/v1\//, "");
    const index = faults.findIndex(
      (f) => f.route === undefined || routeName.startsWith(f.route),
    );
    const fault = index >= 0 ? faults.splice(index, 1)[0] : undefined;
    if (!fault) return exchange.send(exchange.answer());
    const when =
      fault.when ?? (fault.kind === "delay" ? "after-commit" : "before-commit");
    let reply: Reply | undefined;
    if (when === "after-commit") reply = exchange.answer();
    switch (fault.kind) {
      case "delay": {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!exchange.gone()) exchange.send(reply ?? exchange.answer());
        }, fault.delayMs ?? 30_000);
        timers.add(timer);
        return;
      }
      case "empty-200":
        return exchange.send({ status: 200, body: "" });
      case "empty-500":
        return exchange.send({ status: 500, body: "" });
      case "html-500":
        return exchange.send({
          status: 500,
          body: "<html><body><h1>500 Internal Server Error</h1></body></html>",
          contentType: "text/html",
        });
      case "drop":
        return exchange.drop();
      case "redirect":
        return exchange.send({
          status: 301,
          body: "",
          contentType: "text/html",
          headers: {
            Location: `https://mail.example.net${exchange.pathname}`,
          },
        });
    }
  }

  return {
    failNext: (kind, options = {}) => {
      faults.push({ kind, ...options });
    },
    serve,
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
