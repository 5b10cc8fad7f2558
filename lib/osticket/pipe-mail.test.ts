import { describe, expect, it } from "vitest";
import type { Ticket } from "@/db/schema";
import { USER_INCOMPLETE } from "@/lib/osticket/errors";
import { pipeAnswer } from "@/lib/osticket/pipe-mail";

// Only the id and number reach the answer.
const ticket = { id: "t-1", number: "123456" } as Ticket;
const named = {
  ok: true,
  value: { kind: "ticket", id: "t-1", number: "123456" },
};
const accepted = (note: string) => ({
  ok: true,
  value: { kind: "accepted", note },
});

describe("pipeAnswer", () => {
  it("names the ticket a new mail or a reply went to", () => {
    expect(pipeAnswer({ kind: "created", ticket })).toEqual(named);
    expect(pipeAnswer({ kind: "replied", ticket })).toEqual(named);
  });

  it("names the ticket of a repeat or an ignored mail when there is one", () => {
    expect(pipeAnswer({ kind: "duplicate", ticket })).toEqual(named);
    expect(
      pipeAnswer({ kind: "ignored", reason: "auto_reply", ticket }),
    ).toEqual(named);
  });

  it("accepts, with why, what was recorded without a ticket", () => {
    expect(pipeAnswer({ kind: "duplicate", ticket: null })).toEqual(
      accepted("Message already received"),
    );
    expect(
      pipeAnswer({ kind: "ignored", reason: "own_mail", ticket: null }),
    ).toEqual(
      accepted("Message recorded without a ticket: sent by this help desk"),
    );
    expect(
      pipeAnswer({ kind: "ignored", reason: "auto_reply", ticket: null }),
    ).toEqual(accepted("Message recorded without a ticket: automatic reply"));
    expect(pipeAnswer({ kind: "bounce", failedRecipients: [] })).toEqual(
      accepted("Message recorded as a delivery failure report"),
    );
    expect(pipeAnswer({ kind: "held", reason: "unknown_sender" })).toEqual(
      accepted("Message held for review"),
    );
  });

  it("refuses a banned sender with 403's failure and a mail without one as incomplete", () => {
    expect(
      pipeAnswer({ kind: "refused", reason: "banned", email: "x@example.com" }),
    ).toEqual({
      ok: false,
      error: { kind: "ticket_denied", email: "x@example.com" },
    });
    expect(pipeAnswer({ kind: "refused", reason: "no_sender" })).toEqual({
      ok: false,
      error: { kind: "validation", errors: [USER_INCOMPLETE] },
    });
  });
});
