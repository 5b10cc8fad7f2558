import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as NextAuth from "next-auth";
import type { Session } from "next-auth";
import type * as NextServer from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, outboundMail } from "@/db/schema";
import type { FormState } from "@/lib/forms";
import { buildDepartment, buildUser } from "@/testing/builders";
import { sessionOf, thrownDigest } from "@/testing/actions";
import {
  appDatabase,
  forgetAppDatabase,
  provideAppDatabase,
} from "@/testing/app-db";
import { createTestDb, type TestDb } from "@/testing/db";
import { setTestEnv } from "@/testing/env";
import * as agents from "./agents/actions";
import * as apiKeys from "./api-keys/actions";
import * as banList from "./ban-list/actions";
import * as cannedReplies from "./canned-replies/actions";
import * as departments from "./departments/actions";
import * as helpTopics from "./help-topics/actions";
import * as security from "./security/actions";
import * as shopify from "./shopify/actions";
import * as slaPlans from "./sla-plans/actions";

// Server actions are public POST endpoints: every settings action must refuse anyone who is not a
// signed-in, active admin before it reads the form or changes anything. Each exported action is
// collected here, so a new one is covered without editing this file.

const session = vi.hoisted(() => ({ current: null as Session | null }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: async () => session.current,
}));
// connection() only marks a render as dynamic, and outside Next there is no request for it to mark.
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof NextServer>()),
  connection: async () => {},
}));

type Action = (prev: FormState, form: FormData) => Promise<FormState>;
const actions = Object.entries({
  ...departments,
  ...helpTopics,
  ...slaPlans,
  ...cannedReplies,
  ...agents,
  ...apiKeys,
  ...banList,
  ...shopify,
  ...security,
}) as Array<[string, Action]>;

let restoreEnv: () => void;
let t: TestDb;
let tmp: string;

beforeAll(async () => {
  // next.config.ts turns on authInterrupts, which forbidden() checks for at run time.
  process.env.__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS = "true";
  // Should an action reach the database anyway, it must not open the developer's data directory.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "portico-settings-actions-"));
  restoreEnv = setTestEnv({ PGLITE_DIR: path.join(tmp, "db") });
  t = await createTestDb();
});

afterAll(async () => {
  forgetAppDatabase();
  restoreEnv();
  await t.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A form an admin could have sent to any of these actions: it passes every schema it meets. */
async function plausibleForm(): Promise<FormData> {
  const department = await buildDepartment(t.db);
  const agent = await buildUser(t.db, { role: "agent" });
  const form = new FormData();
  const fields: Record<string, string> = {
    id: String(department.id),
    name: "Intruder",
    title: "Intruder",
    body: "Hello {{customer.name}}",
    email: "intruder@example.com",
    role: "admin",
    departmentId: String(department.id),
    departmentIds: String(department.id),
    userId: agent.id,
    priority: "high",
    gracePeriodHours: "4",
    isActive: "false",
    ipAddress: "203.0.113.9",
    active: "0",
    notes: "Intruder",
    kind: "orders",
    required: "on",
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  return form;
}

describe("settings actions", () => {
  it("are all collected here", () => {
    expect(actions.map(([name]) => name).sort()).toEqual([
      "addDepartmentMemberAction",
      "addSlaHolidayAction",
      "banEmailAction",
      "createApiKeyAction",
      "createCannedReplyAction",
      "createDepartmentAction",
      "createHelpTopicAction",
      "createSlaPlanAction",
      "deactivateAgentAction",
      "deleteCannedReplyAction",
      "deleteDepartmentAction",
      "inviteAgentAction",
      "reactivateAgentAction",
      "removeDepartmentMemberAction",
      "removeSlaHolidayAction",
      "resendAgentInviteAction",
      "resetTwoFactorAction",
      "revokeApiKeyAction",
      "saveSlaHoursAction",
      "saveStaffPolicyAction",
      "setApiKeyActiveAction",
      "setCannedReplyActiveAction",
      "setHelpTopicActiveAction",
      "startShopifyImportAction",
      "unbanEmailAction",
      "updateAgentAction",
      "updateCannedReplyAction",
      "updateDepartmentAction",
      "updateHelpTopicAction",
      "updateSlaPlanAction",
    ]);
  });

  it("send a signed-out caller to sign in, without opening the database", async () => {
    session.current = null;
    forgetAppDatabase();
    const form = await plausibleForm();
    for (const [name, action] of actions) {
      const digest = await thrownDigest(action({ ok: false }, form));
      expect(digest, name).toMatch(
        /^NEXT_REDIRECT;(push|replace);\/sign-in\?callbackUrl=%2Fstaff%2Fsettings%2F/,
      );
    }
    expect(appDatabase()).toBeUndefined();
  });

  describe("with a session", () => {
    beforeAll(() => {
      provideAppDatabase(t);
    });

    it.each(["agent", "customer"] as const)(
      "answer 403 to a signed-in %s and change nothing",
      async (role) => {
        const user = await buildUser(t.db, { role });
        session.current = sessionOf(user);
        const form = await plausibleForm();
        for (const [name, action] of actions) {
          expect(await thrownDigest(action({ ok: false }, form)), name).toBe(
            "NEXT_HTTP_ERROR_FALLBACK;403",
          );
        }
        expect(await t.db.select().from(auditLog)).toEqual([]);
        expect(await t.db.select().from(outboundMail)).toEqual([]);
      },
    );

    it("treat a deactivated admin's leftover session as signed out", async () => {
      const gone = await buildUser(t.db, {
        role: "admin",
        deactivatedAt: new Date(),
      });
      session.current = sessionOf(gone);
      const form = await plausibleForm();
      for (const [name, action] of actions) {
        expect(await thrownDigest(action({ ok: false }, form)), name).toMatch(
          /^NEXT_REDIRECT;.*\/sign-in/,
        );
      }
      expect(await t.db.select().from(auditLog)).toEqual([]);
    });
  });
});
