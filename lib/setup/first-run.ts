import "server-only";
import { asc, sql } from "drizzle-orm";
import {
  departments,
  helpTopics,
  installation,
  setupTokens,
  slaPlans,
  users,
  type Department,
  type HelpTopic,
  type SlaPlan,
  type User,
} from "@/db/schema";
import { isUniqueViolation } from "@/db/errors";
import type { Db } from "@/db/types";
import { recordAudit } from "@/lib/audit/record-audit";
import type { SessionSubject } from "@/lib/auth/authenticate";
import { hashPassword } from "@/lib/auth/password";
import { issuePasswordLink } from "@/lib/auth/password-reset";
import type { Viewer } from "@/lib/auth/viewer";
import {
  addDepartmentMember,
  createDepartment,
} from "@/lib/helpdesk/departments";
import { createHelpTopic } from "@/lib/helpdesk/help-topics";
import { createSlaPlan } from "@/lib/helpdesk/sla-plans";
import { fail, ok, type Result } from "@/lib/result";
import { hasAdmin } from "@/lib/setup/queries";
import type { FirstAdminInput, SetupFormInput } from "@/lib/setup/schemas";
import { isSetupTokenValid, SETUP_LOCK } from "@/lib/setup/setup-token";
import { getUserByEmail } from "@/lib/users/queries";

// The first run of a real install: the first administrator, and a department, help topic and SLA
// plan (osTicket's defaults) so tickets can arrive at once. From the command line the admin gets a
// link to choose a password; in the browser, /setup asks for the start-up token and the password.

/** How long a set-password link printed by the command line works. */
export const ADMIN_LINK_TTL_MINUTES = 24 * 60;

export const ALREADY_SET_UP =
  "Portico is already set up: an administrator exists (to add another or get back in, use the admin create or admin reset-password command).";
const EMAIL_TAKEN =
  "An account with this address already exists; choose another address for the administrator.";
const BAD_TOKEN =
  "This setup token is not valid. Copy it again from the server's output, the line that starts with Setup token.";

/** What setup made (or found already there) for tickets to arrive. */
export type HelpdeskDefaults = {
  department: Department;
  helpTopic: HelpTopic;
  slaPlan: SlaPlan;
  /** Which of the three were created now, rather than found. */
  created: Array<"department" | "help topic" | "SLA plan">;
};

export type FirstRun = {
  admin: Pick<User, "id" | "name" | "email" | "role" | "sessionVersion">;
  helpdesk: HelpdeskDefaults;
};

/**
 * `npm run cli -- setup`: the first admin, without a password, and a single-use link (valid
 * ADMIN_LINK_TTL_MINUTES) to choose one. The link is returned for the operator's terminal only:
 * it is neither logged nor mailed. Refused once any admin exists.
 */
export async function setUpFromCommandLine(
  db: Db,
  input: FirstAdminInput,
  opts: { appUrl: string; now?: Date },
): Promise<Result<FirstRun & { link: string }>> {
  const now = opts.now ?? new Date();
  return emailRace(() =>
    db.transaction(async (tx) => {
      const done = await setUp(tx, input, {
        passwordHash: null,
        via: "cli",
        now,
      });
      if (!done.ok) return done;
      const link = await issuePasswordLink(tx, done.value.admin.id, {
        appUrl: opts.appUrl,
        ttlMinutes: ADMIN_LINK_TTL_MINUTES,
        now,
      });
      return ok({ ...done.value, link });
    }),
  );
}

/**
 * /setup: the same, with the password chosen on the page, for whoever holds a setup token the
 * server printed. Every token is spent; the admin is signed in by the caller.
 */
export async function setUpFromBrowser(
  db: Db,
  input: SetupFormInput,
  now = new Date(),
): Promise<Result<SessionSubject>> {
  // A cheap check first, so guessing costs no password hash.
  if (!(await isSetupTokenValid(db, input.token))) return badToken(db);
  const passwordHash = await hashPassword(input.password);
  const done = await emailRace(() =>
    db.transaction((tx) =>
      setUp(tx, input, {
        passwordHash,
        via: "browser",
        now,
        token: input.token,
      }),
    ),
  );
  return done.ok ? ok(done.value.admin) : done;
}

// Someone signed up with the same address while setup ran: the unique index decides.
async function emailRace<T>(
  work: () => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return fail("conflict", EMAIL_TAKEN, { fields: { email: [EMAIL_TAKEN] } });
  }
}

// Once an admin exists every token is gone, so a late or replayed form learns that instead.
async function badToken(db: Db): Promise<Result<never>> {
  return (await hasAdmin(db))
    ? fail("conflict", ALREADY_SET_UP)
    : fail("invalid_input", BAD_TOKEN, { fields: { token: [BAD_TOKEN] } });
}

/** The first run itself, inside the caller's transaction. */
async function setUp(
  tx: Db,
  input: FirstAdminInput,
  how: {
    passwordHash: string | null;
    via: "cli" | "browser";
    now: Date;
    /** The browser's setup token, checked again under the lock. */
    token?: string;
  },
): Promise<Result<FirstRun>> {
  const { now } = how;
  // Two setups at once (two browsers, or the command line and a browser): one waits here and
  // then finds the admin the other made.
  await tx.execute(sql`select pg_advisory_xact_lock(${SETUP_LOCK})`);
  if (await hasAdmin(tx)) return fail("conflict", ALREADY_SET_UP);
  // Every refusal comes before the first write, so a refused form spends nothing.
  if (how.token !== undefined && !(await isSetupTokenValid(tx, how.token)))
    return fail("invalid_input", BAD_TOKEN, {
      fields: { token: [BAD_TOKEN] },
    });
  if (await getUserByEmail(tx, input.email))
    return fail("conflict", EMAIL_TAKEN, {
      fields: { email: [EMAIL_TAKEN] },
    });

  const [admin] = await tx
    .insert(users)
    .values({
      email: input.email,
      name: input.name,
      role: "admin",
      passwordHash: how.passwordHash,
      lastSignInAt: how.passwordHash ? now : null,
      // The person installing Portico names their own address; there is no one to hide tickets from.
      emailVerifiedAt: now,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!admin) throw new Error("admin insert returned nothing");
  await recordAudit(tx, {
    actor: { kind: "system" },
    action: "user.created",
    entityType: "user",
    entityId: admin.id,
    data: { email: admin.email, role: admin.role, via: `setup (${how.via})` },
    at: now,
  });
  const viewer: Viewer = {
    id: admin.id,
    email: admin.email,
    name: admin.name,
    role: admin.role,
    emailVerified: true,
  };
  const helpdesk = await ensureHelpdesk(tx, viewer, input.supportAddress, now);
  await tx
    .insert(installation)
    .values({
      companyName: input.companyName,
      supportAddress: input.supportAddress,
      setUpById: admin.id,
      setUpAt: now,
    })
    .onConflictDoUpdate({
      target: installation.id,
      set: {
        companyName: input.companyName,
        supportAddress: input.supportAddress,
        setUpById: admin.id,
        setUpAt: now,
      },
    });
  // The token used and every other server's: /setup is closed from now on.
  await tx.delete(setupTokens);
  await recordAudit(tx, {
    actor: { kind: "user", id: admin.id },
    action: "installation.set_up",
    entityType: "installation",
    entityId: "1",
    data: {
      via: how.via,
      companyName: input.companyName,
      supportAddress: input.supportAddress,
      created: helpdesk.created,
    },
    at: now,
  });
  return ok({
    admin: {
      id: admin.id,
      name: admin.name,
      email: admin.email,
      role: admin.role,
      sessionVersion: admin.sessionVersion,
    },
    helpdesk,
  });
}

/**
 * A department (with the support address), a help topic and an SLA plan, as a fresh osTicket has:
 * each made only when none exists. The admin joins the department, so new tickets alert them.
 */
async function ensureHelpdesk(
  tx: Db,
  admin: Viewer,
  supportAddress: string | null,
  now: Date,
): Promise<HelpdeskDefaults> {
  const created: HelpdeskDefaults["created"] = [];
  let [slaPlan] = await tx
    .select()
    .from(slaPlans)
    .orderBy(asc(slaPlans.id))
    .limit(1);
  if (!slaPlan) {
    slaPlan = must(
      await createSlaPlan(
        tx,
        admin,
        { name: "Default SLA", gracePeriodHours: 18, isActive: true },
        now,
      ),
    );
    created.push("SLA plan");
  }
  let [department] = await tx
    .select()
    .from(departments)
    .orderBy(asc(departments.id))
    .limit(1);
  if (!department) {
    department = must(
      await createDepartment(
        tx,
        admin,
        {
          name: "Support",
          email: supportAddress,
          slaPlanId: slaPlan.id,
          isPublic: true,
          signature: "{{agent.name}}\n{{department.name}}",
        },
        now,
      ),
    );
    created.push("department");
  }
  let [helpTopic] = await tx
    .select()
    .from(helpTopics)
    .orderBy(asc(helpTopics.id))
    .limit(1);
  if (!helpTopic) {
    helpTopic = must(
      await createHelpTopic(
        tx,
        admin,
        {
          name: "General Inquiry",
          departmentId: department.id,
          priority: "normal",
          slaPlanId: null,
          isPublic: true,
          isActive: true,
        },
        now,
      ),
    );
    created.push("help topic");
  }
  must(
    await addDepartmentMember(
      tx,
      admin,
      { departmentId: department.id, userId: admin.id },
      now,
    ),
  );
  return { department, helpTopic, slaPlan, created };
}

// The settings functions refuse only what setup has ruled out (a name in use, a missing reference).
function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`setup: ${result.error.message}`);
  return result.value;
}
