import { describe, expect, it } from "vitest";
import { parseForm } from "@/lib/forms";
import {
  agentReplyInput,
  openTicketInput,
  queueFiltersInput,
  ticketUpdateInput,
} from "@/lib/tickets/schemas";

describe("ticket forms", () => {
  it("reads what the properties form was based on, with None as null", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      number: "123456",
      assigneeId: "",
      status: "open",
      priority: "low",
      departmentId: "2",
      helpTopicId: "",
      seenVersion: "3",
      seenAssigneeId: "",
      seenStatus: "open",
      seenPriority: "high",
      seenDepartmentId: "1",
      seenHelpTopicId: "7",
    }))
      form.set(k, v);
    const r = parseForm(ticketUpdateInput, form);
    expect(r.ok && r.value).toEqual({
      number: "123456",
      assigneeId: null,
      status: "open",
      priority: "low",
      departmentId: 2,
      helpTopicId: null,
      seen: {
        version: 3,
        assigneeId: null,
        status: "open",
        priority: "high",
        departmentId: 1,
        helpTopicId: 7,
      },
    });
  });

  it("treats a post without all of what it saw as a plain change, and refuses a bad one by field", () => {
    const partial = ticketUpdateInput.parse({
      number: "123456",
      priority: "low",
      seenVersion: "3",
    });
    expect(partial.seen).toBeUndefined();
    const form = new FormData();
    form.set("number", "123456");
    form.set("seenVersion", "zero");
    form.set("seenDepartmentId", "-1");
    const r = parseForm(ticketUpdateInput, form);
    expect(!r.ok && Object.keys(r.error.fields ?? {}).sort()).toEqual([
      "seenDepartmentId",
      "seenVersion",
    ]);
  });

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
