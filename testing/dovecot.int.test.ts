import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDovecot, type Dovecot, type DovecotUser } from "./dovecot";

const mail = (id: string, subject: string) =>
  `From: Customer <customer@example.com>\r\nTo: support@portico.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}@example.com>\r\nDate: Sat, 21 Nov 2026 07:00:00 +0000\r\n\r\nHello.\r\n`;

const agent: DovecotUser = {
  user: "agent@portico.test",
  password: "agent-pass",
};

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The master's pid, from base_dir/master.pid. */
const masterPid = (d: Dovecot) =>
  Number(fs.readFileSync(`${d.dir}/run/master.pid`, "utf8").trim());

describe("startDovecot", () => {
  let dovecot: Dovecot;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: [agent] });
  });
  afterAll(() => dovecot?.stop());

  it("starts on a loopback port with a default user", async () => {
    expect(dovecot.host).toBe("127.0.0.1");
    expect(dovecot.user).toBe("support@portico.test");
    expect(dovecot.password).toMatch(/^[0-9a-f]{24}$/);
    expect(fs.statSync(dovecot.dir).mode & 0o777).toBe(0o755);
    const client = await dovecot.connect();
    expect(client.usable).toBe(true);
    await client.logout();
  });

  it("appends messages and lists them with their flags", async () => {
    const first = await dovecot.append(mail("one", "First"));
    const second = await dovecot.append(Buffer.from(mail("two", "Second")), {
      flags: ["\\Seen"],
    });
    expect(second).toBeGreaterThan(first);
    expect(await dovecot.list()).toEqual([
      {
        uid: first,
        flags: [],
        messageId: "<one@example.com>",
        subject: "First",
      },
      {
        uid: second,
        flags: ["\\Seen"],
        messageId: "<two@example.com>",
        subject: "Second",
      },
    ]);
  });

  it("creates a missing folder on append", async () => {
    const uid = await dovecot.append(mail("three", "Filed"), {
      folder: "Portico/Processed",
    });
    expect(uid).toBe(1);
    expect(await dovecot.list("Portico/Processed")).toHaveLength(1);
  });

  it("keeps a second user's mailbox separate", async () => {
    expect(await dovecot.list("INBOX", agent)).toEqual([]);
    const uid = await dovecot.append(mail("agent", "For the agent"), {
      user: agent,
    });
    expect(await dovecot.list("INBOX", agent)).toEqual([
      {
        uid,
        flags: [],
        messageId: "<agent@example.com>",
        subject: "For the agent",
      },
    ]);
    expect((await dovecot.list()).map((m) => m.subject)).not.toContain(
      "For the agent",
    );
  });

  it.each(["INBOX", "Archive"])(
    "recreateFolder(%s) gives a new UIDVALIDITY, no messages and UIDs from 1",
    async (folder) => {
      await dovecot.append(mail(`old-${folder}`, "Old"), { folder });
      await dovecot.append(mail(`old2-${folder}`, "Old 2"), { folder });
      const client = await dovecot.connect();
      const before = await client.status(folder, {
        uidValidity: true,
        uidNext: true,
      });
      await client.logout();

      await dovecot.recreateFolder(folder);

      // A fresh session, so nothing is served from the old one's cache.
      const fresh = await dovecot.connect();
      const after = await fresh.status(folder, {
        uidValidity: true,
        uidNext: true,
        messages: true,
      });
      await fresh.logout();
      expect(before && after).toBeTruthy();
      if (!before || !after) return;
      expect(after.uidValidity).toBeGreaterThan(before.uidValidity!);
      expect(after.messages).toBe(0);
      expect(after.uidNext).toBe(1);
      expect(await dovecot.list(folder)).toEqual([]);
      expect(
        await dovecot.append(mail(`new-${folder}`, "New"), { folder }),
      ).toBe(1);
    },
  );

  it("recreateFolder on INBOX keeps subfolders and other users", async () => {
    expect(await dovecot.list("Portico/Processed")).toHaveLength(1);
    expect(await dovecot.list("INBOX", agent)).toHaveLength(1);
  });

  it.each(["INBOX", "Archive"])(
    "recreateFolder(%s) disconnects a session that has it selected, as a real server does",
    async (folder) => {
      const client = await dovecot.connect();
      client.on("error", () => {});
      const closed = new Promise<void>((resolve) =>
        client.once("close", resolve),
      );
      await client.mailboxOpen(folder);
      await dovecot.recreateFolder(folder);
      await client.noop().catch(() => {});
      await closed;
      expect(client.usable).toBe(false);
    },
  );

  it("recreateFolder works on a user's INBOX that never had mail", async () => {
    const fresh: DovecotUser = { user: "fresh@portico.test", password: "x" };
    const other = await startDovecot({ users: [fresh] });
    try {
      await other.recreateFolder("INBOX", fresh);
      expect(await other.append(mail("f", "F"), { user: fresh })).toBe(1);
    } finally {
      await other.stop();
    }
  });
});

describe("two instances at once, and stop()", () => {
  it("run side by side on their own ports and directories, and stop cleans up", async () => {
    const t0 = Date.now();
    const [a, b] = await Promise.all([startDovecot(), startDovecot()]);
    const startMs = Date.now() - t0;
    expect(a.port).not.toBe(b.port);
    expect(a.dir).not.toBe(b.dir);
    expect(a.password).not.toBe(b.password);

    await a.append(mail("a", "Only in A"));
    expect((await a.list()).map((m) => m.subject)).toEqual(["Only in A"]);
    expect(await b.list()).toEqual([]);

    const pids = [masterPid(a), masterPid(b)];
    const t1 = Date.now();
    await Promise.all([a.stop(), b.stop()]);
    const stopMs = Date.now() - t1;
    await a.stop(); // idempotent

    for (const d of [a, b]) {
      expect(fs.existsSync(d.dir)).toBe(false);
      expect(await accepts(d.port)).toBe(false);
    }
    for (const pid of pids) expect(alive(pid)).toBe(false);
    console.log(`two instances: start ${startMs} ms, stop ${stopMs} ms`);
  });

  it("starts on a given port, and refuses one that is taken", async () => {
    const first = await startDovecot();
    try {
      await expect(startDovecot({ port: first.port })).rejects.toThrow(
        /port is already in use/,
      );
    } finally {
      await first.stop();
    }
    const again = await startDovecot({ port: first.port });
    expect(again.port).toBe(first.port);
    await again.stop();
  });

  it("refuses a TMPDIR that Dovecot's users can't traverse", async () => {
    const closed = fs.mkdtempSync(path.join(os.tmpdir(), "portico-closed-")); // 0700
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = closed;
    try {
      await expect(startDovecot()).rejects.toThrow(/lacks o\+x/);
    } finally {
      process.env.TMPDIR = saved;
      if (saved === undefined) delete process.env.TMPDIR;
      fs.rmSync(closed, { recursive: true });
    }
  });
});
