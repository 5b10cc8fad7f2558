import { describe, expect, it } from "vitest";
import {
  isForwardSubject,
  stripReplyPrefixes,
  ticketReferenceInSubject,
} from "@/lib/mail-ingest/subject-reference";

describe("ticketReferenceInSubject", () => {
  it.each([
    ["[TICKET-123456] Printer on fire", "123456"],
    ["Re: RE: AW: SV: Fwd: FW: WG: TR: [TICKET-123456] Printer", "123456"],
    ["re: [ticket-88] lower case", "88"],
    ["Ticket #123456 – access", "123456"],
    ["Re: Password reset link expired #311", "311"],
    ["#123456", "123456"],
    ["[#123456] osTicket style", "123456"],
    ["Fwd: [TCK-123456] older helpdesk", "123456"],
    ["Re: order #4411 [TICKET-123456]", "123456"],
    ["Where is my order #998877? (#123456)", "123456"],
  ])("finds the ticket in %j", (subject, number) => {
    expect(ticketReferenceInSubject(subject)).toBe(number);
  });

  it.each([
    "Re: order 123456",
    "Order #123456 not delivered",
    "Invoice nr. #123456",
    "Re: #1 priority",
    "Call me on +1 555 123456",
    "RE: [contact:106] John Greene",
    "Issue abc#12345",
    "[#12] too short for a bare tag",
    "",
  ])("finds no ticket in %j", (subject) => {
    expect(ticketReferenceInSubject(subject)).toBeNull();
  });
});

describe("stripReplyPrefixes", () => {
  it.each([
    ["Re: RE: AW: Fwd: Hello", "Hello"],
    ["  re:  fw:wg: TR : Hello ", "Hello"],
    ["Re[2]: Hello", "Hello"],
    ["SV: [TICKET-88] Delivery address", "[TICKET-88] Delivery address"],
    ["Regarding: the invoice", "Regarding: the invoice"],
    ["Hello", "Hello"],
  ])("%j → %j", (subject, stripped) => {
    expect(stripReplyPrefixes(subject)).toBe(stripped);
  });
});

describe("isForwardSubject", () => {
  it.each([
    ["Fwd: Integer consequat", true],
    ["WG: Integer consequat", true],
    ["FW: Re: thread", true],
    ["Re: Fwd: thread", false],
    ["Forward planning", false],
  ])("%j → %s", (subject, isForward) => {
    expect(isForwardSubject(subject)).toBe(isForward);
  });
});
