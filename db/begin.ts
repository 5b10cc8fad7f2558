import type { ReservedSql, Sql } from "postgres";
import { errorCodes } from "@/lib/errors";

// postgres.js's `begin` sends BEGIN and waits for its answer before the transaction's first
// statement goes out: a round trip per transaction that carries nothing. Under load each of those
// waits for both event loops, and on the Stripe webhook it was a fifth of a transaction's time
// (docs/benchmarks.md). This `begin` sends BEGIN together with the first statements on a reserved
// connection (PostgreSQL runs them in the order they were sent) and keeps postgres.js's rules:
// rollback when the work throws or a statement it did not wait for failed, the first failure
// reported rather than the "transaction is aborted" errors that follow it, savepoints for nested
// transactions.

type Work = (scoped: Sql) => unknown;
type Failure = { error: unknown };
type Transaction = {
  savepoints: number;
  /** A statement failed because the connection is gone. */
  lost: boolean;
};

/** `sql.begin` for `pool`, with each scoped handle passed through `wrap` before the work gets it. */
export function pipelinedBegin(
  pool: Sql,
  wrap: (scoped: Sql) => Sql,
): (...args: unknown[]) => Promise<unknown> {
  return async (...args) => {
    const work = args.pop() as Work;
    const mode = typeof args[0] === "string" ? args[0] : "";
    const reserved = await pool.reserve();
    const transaction: Transaction = { savepoints: 0, lost: false };
    // Back to the pool only once the transaction has ended on a live connection. A closed one is
    // neither sent anything more (postgres.js would write to its missing socket and never answer)
    // nor released (it would be handed out as open); the pool reconnects it when it is needed.
    let ended = false;
    try {
      const root = new Scope(reserved, wrap, transaction);
      const result = await root.run(
        `begin ${mode.replace(/[^a-z ]/gi, "")}`,
        work,
      );
      await reserved.unsafe("commit");
      ended = true;
      // A statement the work left running failed before the commit: PostgreSQL then rolls back
      // and answers COMMIT without an error.
      root.check();
      return result;
    } catch (error) {
      if (isConnectionLost(error)) transaction.lost = true;
      // After a failed commit PostgreSQL has ended the transaction already; rollback only warns.
      if (!transaction.lost)
        ended = await reserved.unsafe("rollback").then(
          () => true,
          () => false,
        );
      throw error;
    } finally {
      if (ended) reserved.release();
    }
  };
}

/** The statements of one transaction or savepoint, and the first of them that failed. */
class Scope {
  private failure: Failure | null = null;
  readonly sql: Sql;

  constructor(
    private readonly reserved: ReservedSql,
    private readonly wrap: (scoped: Sql) => Sql,
    private readonly transaction: Transaction,
  ) {
    this.sql = new Proxy(reserved as unknown as Sql, {
      get: (target, property, receiver) => {
        if (property === "unsafe")
          return ((...a: Parameters<Sql["unsafe"]>) =>
            this.watch(target.unsafe(...a))) as Sql["unsafe"];
        if (property === "savepoint") return this.savepoint;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
  }

  /**
   * Sends `opening` (BEGIN or SAVEPOINT) and then the work's statements without waiting between
   * them; resolves with the work's result once the opening has succeeded and no statement failed.
   */
  async run(opening: string, work: Work): Promise<unknown> {
    const opened = this.watch(this.reserved.unsafe(opening).execute());
    try {
      const result = await work(this.wrap(this.sql));
      await opened;
      this.check();
      return result;
    } catch (error) {
      // A statement after a failed one only says the transaction is aborted: report the cause.
      throw isAborted(error) && this.failure ? this.failure.error : error;
    }
  }

  /** Throws the first failure of the scope's statements, if any. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  private savepoint = async (...args: unknown[]): Promise<unknown> => {
    const work = args.pop() as Work;
    const name = `s${this.transaction.savepoints++}`;
    const inner = new Scope(this.reserved, this.wrap, this.transaction);
    try {
      return await inner.run(`savepoint ${name}`, work);
    } catch (error) {
      if (!this.transaction.lost)
        await this.sql.unsafe(`rollback to savepoint ${name}`);
      throw error;
    }
  };

  /** Notes the statement's failure (which also keeps it from going unhandled) and returns it. */
  private watch<Q extends Promise<unknown>>(query: Q): Q {
    query.catch((error: unknown) => {
      this.failure ??= { error };
      if (isConnectionLost(error)) this.transaction.lost = true;
    });
    return query;
  }
}

// postgres.js's connection errors, a socket's, and PostgreSQL's "connection exception" class and
// its shutdown codes (the server ends the connection after them).
const LOST = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNRESET",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
]);
const isConnectionLost = (error: unknown) =>
  errorCodes(error).some((code) => LOST.has(code) || code.startsWith("08"));

// postgres.js's error, or drizzle's around it.
const isAborted = (error: unknown) => errorCodes(error).includes("25P02");
