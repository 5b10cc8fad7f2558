// A throw-away Dovecot (real IMAP) for integration tests, e2e runs and benches, started as root without
// systemd and without touching /etc/dovecot or the system's instance.
// Each instance has its own directory, port, base_dir and state_dir, so several can run at once.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { AuthenticationFailure, ImapFlow } from "imapflow";

export type DovecotUser = { user: string; password: string };
export type Dovecot = {
  host: "127.0.0.1";
  port: number;
  dir: string;
  /** The first (default) user, `support@portico.test`. */
  user: string;
  password: string;
  /** APPEND a raw message (Buffer/string) to a folder (default INBOX) with optional flags such as ["\\Seen"]; returns the UID. Creates the folder if missing. */
  append(
    raw: Buffer | Uint8Array | string,
    options?: { folder?: string; flags?: string[]; user?: DovecotUser },
  ): Promise<number>;
  /** A connected imapflow client for the default user (caller logs out and handles its "error" events). */
  connect(user?: DovecotUser): Promise<ImapFlow>;
  /** UIDs and flags in a folder (read-only EXAMINE, sorted by UID; flags sorted, without \\Recent), for assertions. */
  list(
    folder?: string,
    user?: DovecotUser,
  ): Promise<
    Array<{
      uid: number;
      flags: string[];
      messageId: string | null;
      subject: string;
    }>
  >;
  /**
   * Makes `folder` (of the default user unless `user` is given) an empty mailbox with UIDVALIDITY + 1
   * whose UIDs start again at 1; messages, flags and UIDNEXT are gone, subfolders stay. It expunges every
   * message over IMAP, rewrites the folder's maildir `dovecot-uidlist` header (V = UIDVALIDITY + 1, N = 1),
   * then runs `doveadm force-resync`, so Dovecot resets its index as when a maildir is restored from a
   * backup, and disconnects sessions that have the folder selected, as real servers do. A missing folder
   * is just created. (IMAP DELETE + CREATE is not used: INBOX can't be deleted, and a maildir session with
   * the folder selected would go on showing the old messages.) Throws if the UIDVALIDITY did not change.
   */
  recreateFolder(folder: string, user?: DovecotUser): Promise<void>;
  /** Stops Dovecot, waits until its pid is gone and the port is closed, then removes `dir`. Idempotent. */
  stop(): Promise<void>;
};

const DOVECOT = "/usr/sbin/dovecot";
const DOVEADM = "/usr/bin/doveadm";
const HOST = "127.0.0.1";
const DEFAULT_USER = "support@portico.test";
const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 1_500;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Starts Dovecot in the foreground (`dovecot -F`) as a child process. Users: `support@portico.test`
 * with a random password, plus `options.users` (a user of the same name replaces the default's password).
 * Folder names use "/" as the hierarchy separator and can't contain ".". Must run as root (Dovecot drops
 * to its own users; mail belongs to `nobody`).
 */
export async function startDovecot(
  options: { users?: DovecotUser[]; port?: number } = {},
): Promise<Dovecot> {
  if (!fs.existsSync(DOVECOT))
    throw new Error(
      `${DOVECOT} is missing: install Dovecot with "apt-get install dovecot-imapd".`,
    );
  const users = new Map([[DEFAULT_USER, randomBytes(12).toString("hex")]]);
  for (const u of options.users ?? []) users.set(u.user, u.password);
  for (const [user, password] of users) {
    // passwd-file is colon-separated, and the user name becomes a directory.
    if (!/^[\w.+@-]+$/.test(user))
      throw new Error(`Unsupported Dovecot user name: ${JSON.stringify(user)}`);
    if (/[:\r\n]/.test(password))
      throw new Error(`The password of ${user} can't contain ":" or newlines.`);
  }

  // Otherwise a login could reach whatever holds the port before our Dovecot gives up binding it.
  // (Probed by binding, not connecting: a connection just before stop() can hold Dovecot's exit ~5 s.)
  if (options.port !== undefined && !(await bindable(options.port)))
    throw new Error(
      `Dovecot can't start on ${HOST}:${options.port}: the port is already in use.`,
    );
  assertTraversable(os.tmpdir());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portico-dovecot-"));
  // mkdtemp makes 0700; Dovecot's auth (user dovecot) and mail (nobody) processes must get in.
  fs.chmodSync(dir, 0o755);
  fs.mkdirSync(path.join(dir, "run"));
  fs.mkdirSync(path.join(dir, "mail"));
  fs.chmodSync(path.join(dir, "mail"), 0o777);
  const usersFile = path.join(dir, "users");
  fs.writeFileSync(
    usersFile,
    [...users].map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(""),
  );
  fs.chmodSync(usersFile, 0o644);
  const log = path.join(dir, "dovecot.log");
  const [user, password] = [...users][0]!;
  const defaultUser: DovecotUser = { user, password };

  let server: Server | undefined;
  // A port picked by listening on 0 can be taken again before Dovecot binds it: retry with another.
  for (let attempt = 1; !server; attempt++) {
    const port = options.port ?? (await freePort());
    fs.writeFileSync(path.join(dir, "dovecot.conf"), config(dir, port));
    const started = await launch(dir, port, defaultUser);
    if (started.ok) server = started.server;
    else if (
      options.port !== undefined ||
      attempt >= 3 ||
      !/Address already in use/.test(started.logTail)
    ) {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      throw new Error(
        `Dovecot did not start on ${HOST}:${port}: ${started.reason}\n--- ${log} (tail) ---\n${started.logTail}`,
      );
    }
  }
  const running: Server = server;
  const { port } = running;

  const client = (u: DovecotUser) =>
    new ImapFlow({
      host: HOST,
      port,
      secure: false,
      auth: { user: u.user, pass: u.password },
      logger: false,
    });
  // Short-lived helper sessions: errors surface through the rejected command, not an "error" event.
  async function session<T>(
    u: DovecotUser | undefined,
    work: (c: ImapFlow) => Promise<T>,
  ): Promise<T> {
    const c = client(u ?? defaultUser);
    c.on("error", () => {});
    await c.connect();
    try {
      return await work(c);
    } finally {
      await c.logout().catch(() => c.close());
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    host: HOST,
    port,
    dir,
    user,
    password,

    append(raw, opts = {}) {
      const folder = opts.folder ?? "INBOX";
      return session(opts.user, async (c) => {
        if (!isInbox(folder)) await c.mailboxCreate(folder); // { created: false } when it exists
        const content = typeof raw === "string" ? raw : Buffer.from(raw);
        const res = await c.append(folder, content, opts.flags ?? []);
        if (!res || res.uid === undefined)
          throw new Error(`APPEND to ${folder} returned no UID`);
        return res.uid;
      });
    },

    async connect(u) {
      const c = client(u ?? defaultUser);
      await c.connect();
      return c;
    },

    list(folder = "INBOX", u) {
      return session(u, async (c) => {
        // EXAMINE, so listing doesn't change \Recent or anything else under test.
        const box = await c.mailboxOpen(folder, { readOnly: true });
        if (box.exists === 0) return [];
        const messages = await c.fetchAll("1:*", {
          uid: true,
          flags: true,
          envelope: true,
        });
        return messages
          .map((m) => ({
            uid: m.uid,
            // \Recent depends on which session saw the message first: useless in assertions.
            flags: [...(m.flags ?? [])].filter((f) => f !== "\\Recent").sort(),
            messageId: m.envelope?.messageId ?? null,
            subject: m.envelope?.subject ?? "",
          }))
          .sort((a, b) => a.uid - b.uid);
      });
    },

    async recreateFolder(folder, u) {
      const owner = u ?? defaultUser;
      const before = await session(owner, async (c) => {
        const old = await uidValidity(c, folder);
        if (old === null) await c.mailboxCreate(folder);
        else {
          const box = await c.mailboxOpen(folder);
          if (box.exists > 0) await c.messageDelete("1:*");
          await c.mailboxClose();
        }
        return old;
      });
      if (before !== null)
        await resetUidValidity(dir, owner.user, folder, before + 1n);
      // A new session: one that had the folder open may still report the old values.
      const after = await session(owner, (c) => uidValidity(c, folder));
      if (after === null || after === before)
        throw new Error(
          `UIDVALIDITY of ${folder} did not change (${before} → ${after})`,
        );
    },

    stop() {
      stopping ??= stopServer(running, dir);
      return stopping;
    },
  };
}

type Server = {
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  watchdog: ChildProcess;
};

type Launch =
  { ok: true; server: Server } | { ok: false; reason: string; logTail: string };

/** Spawns `dovecot -F` and waits until an IMAP login succeeds, the process exits, or the timeout passes. */
async function launch(
  dir: string,
  port: number,
  user: DovecotUser,
): Promise<Launch> {
  const log = path.join(dir, "dovecot.log");
  // Config errors are printed before log_path is in use: send stderr to the same file.
  const stderr = fs.openSync(log, "a");
  const child = spawn(DOVECOT, ["-F", "-c", path.join(dir, "dovecot.conf")], {
    stdio: ["ignore", "ignore", stderr],
  });
  fs.closeSync(stderr);
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitedWith = signal ?? `code ${code}`;
      resolve();
    });
    child.once("error", (err) => {
      exitedWith = err.message;
      resolve();
    });
  });
  // Dovecot ignores its stdin, so nothing stops it when this process dies (a crash, a killed vitest
  // worker). The watchdog waits for EOF on a pipe from us, then stops Dovecot and removes the directory.
  const watchdog = spawn(
    "/bin/sh",
    [
      "-c",
      'read x; kill -TERM "$1" 2>/dev/null; i=0; while [ $i -lt 30 ] && kill -0 "$1" 2>/dev/null; do sleep 0.1; i=$((i+1)); done; rm -rf "$2"',
      "dovecot-watchdog",
      String(child.pid),
      dir,
    ],
    { stdio: ["pipe", "ignore", "ignore"], detached: true },
  );
  watchdog.on("error", () => {});
  // Neither keeps the event loop alive: a script that forgets stop() still exits, and the watchdog cleans up.
  child.unref();
  watchdog.unref();
  (watchdog.stdin as net.Socket | null)?.unref();

  const server: Server = { port, child, exited, watchdog };
  const deadline = Date.now() + START_TIMEOUT_MS;
  let reason = "timed out";
  for (;;) {
    if (exitedWith !== null) {
      reason = `dovecot exited (${exitedWith})`;
      break;
    }
    if (Date.now() > deadline) break;
    const c = new ImapFlow({
      host: HOST,
      port,
      secure: false,
      auth: { user: user.user, pass: user.password },
      logger: false,
      connectionTimeout: 2_000,
      greetingTimeout: 2_000,
    });
    c.on("error", () => {});
    try {
      await c.connect();
      await c.logout();
      return { ok: true, server };
    } catch (err) {
      c.close();
      reason = `last IMAP login: ${err instanceof Error ? err.message : String(err)}`;
      // The port answers but the login is refused: a configuration or permission problem, not a wait.
      if (err instanceof AuthenticationFailure) break;
    }
    await sleep(50);
  }
  // Don't wait for the port here: after "Address already in use" someone else holds it.
  watchdog.kill("SIGKILL");
  child.kill("SIGKILL");
  await exited;
  return { ok: false, reason, logTail: tail(log, 40) };
}

async function stopServer(server: Server, dir: string): Promise<void> {
  const { child, exited, watchdog, port } = server;
  watchdog.kill("SIGKILL");
  if (child.exitCode === null && child.signalCode === null) {
    // Dovecot needs about 1 s, but waits ~5 s more for a login process with a client that just
    // connected. Its children exit by themselves when the master is killed.
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  // The listening socket is shared with imap-login processes, which may outlive the master briefly.
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while ((child.pid && isAlive(child.pid)) || (await accepts(port))) {
    if (Date.now() > deadline)
      throw new Error(`Dovecot (pid ${child.pid}) still holds port ${port}`);
    await sleep(50);
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
}

/** Sets an empty maildir folder's UIDVALIDITY and next UID 1, and makes Dovecot notice. */
async function resetUidValidity(
  dir: string,
  user: string,
  folder: string,
  uidValidity: bigint,
): Promise<void> {
  const control = await doveadm(dir, [
    "mailbox",
    "path",
    "-u",
    user,
    "-t",
    "control",
    folder,
  ]);
  const file = path.join(control.trim(), "dovecot-uidlist");
  const header = fs.readFileSync(file, "utf8").split("\n")[0] ?? "";
  if (!/^3 .*\bV\d+ .*\bN\d+/.test(header))
    throw new Error(`Unexpected ${file} header: ${header}`);
  const next = header
    .replace(/\bV\d+/, `V${uidValidity}`)
    .replace(/\bN\d+/, "N1");
  // Written aside and renamed, owned like the original (mail processes run as nobody).
  const { uid, gid, mode } = fs.statSync(file);
  const tmp = `${file}.portico`;
  fs.writeFileSync(tmp, `${next}\n`, { mode: mode & 0o777 });
  fs.chownSync(tmp, uid, gid);
  fs.renameSync(tmp, file);
  await doveadm(dir, ["force-resync", "-u", user, folder]);
}

function doveadm(dir: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      DOVEADM,
      ["-c", path.join(dir, "dovecot.conf"), ...args],
      (err, stdout, stderr) =>
        err
          ? reject(
              new Error(`doveadm ${args.join(" ")}: ${stderr || err.message}`),
            )
          : resolve(stdout),
    ),
  );
}

function config(dir: string, port: number): string {
  return `# Throw-away instance written by testing/dovecot.ts; nothing here reads /etc/dovecot.
protocols = imap
listen = ${HOST}
base_dir = ${dir}/run
state_dir = ${dir}/run/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# Tests and benches open many sessions from one address; the default limit is 10.
mail_max_userip_connections = 1000
mail_fsync = never
mail_location = maildir:${dir}/mail/%u
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/users
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
}
`;
}

/** Dovecot's own users must traverse every parent of the directory (a 0700 parent fails every login). */
function assertTraversable(dir: string): void {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const mode = fs.statSync(d).mode;
    if (!(mode & 0o001))
      throw new Error(
        `${d} (mode ${(mode & 0o777).toString(8)}) lacks o+x, so Dovecot's users can't reach a directory under ${dir}; set TMPDIR to one they can traverse, such as /tmp.`,
      );
    if (d === path.dirname(d)) return;
  }
}

async function uidValidity(c: ImapFlow, folder: string) {
  try {
    const status = await c.status(folder, { uidValidity: true });
    return status ? (status.uidValidity ?? null) : null;
  } catch {
    return null; // the folder doesn't exist
  }
}

const isInbox = (folder: string) => folder.toUpperCase() === "INBOX";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, HOST);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
