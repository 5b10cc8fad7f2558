import { describe, expect, it } from "vitest";
import { parseForm } from "@/lib/forms";
import {
  agentReplyInput,
  openTicketInput,
  queueFiltersInput,
} from "@/lib/tickets/schemas";

describe("ticket forms", () => {
  it("ignores the empty file an untouched file input posts", () => {
    const form = new FormData();
    form.set("number", "123456");
    form.set("message", "Hello");
    form.append(
      "attachments",
      new File([], "undefined", { type: "application/octet-stream" }),
    );
    const r = parseForm(agentReplyInput, form);
    expect(r.ok && r.value.attachments).toEqual([]);
    expect(r.ok && r.value.status).toBe("pending");
  });

  it("keeps real files and reports missing fields by name", () => {
    const form = new FormData();
    form.append(
      "attachments",
      new File(["log"], "error.log", { type: "text/plain" }),
    );
    const r = parseForm(openTicketInput, form);
    expect(r.ok).toBe(false);
    expect(Object.keys(r.ok ? {} : (r.error.fields ?? {})).sort()).toEqual([
      "helpTopicId",
      "message",
      "subject",
    ]);
  });

  it("reads queue filters from search params, with defaults and blanks ignored", () => {
    expect(queueFiltersInput.parse({ view: "", q: "", page: "" })).toEqual({
      view: "open",
      sort: "activity",
      page: 1,
    });
    expect(queueFiltersInput.safeParse({ view: "everything" }).success).toBe(
      false,
    );
  });
});
