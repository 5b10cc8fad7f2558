import "server-only";
import { eq } from "drizzle-orm";
import { shopifySync } from "@/db/schema";
import type { Db } from "@/db/types";
import { log } from "@/lib/log";
import {
  ShopifyQueryError,
  ShopifyUnavailableError,
} from "@/lib/shopify/graphql";
import type { Page } from "@/lib/shopify/queries";

// The resumable page-by-page runs that bring Shopify's orders and products into Portico. Each kind
// has one row in shopify_sync: where the run under way stands (its lower bound and the cursor of
// its next page, saved after every page), and, once a run finishes, the highest updatedAt it saw,
// which is where the next run starts. An interrupted run (a crash, Shopify down, a stop) resumes at
// its cursor; THROTTLED never ends a run, it only waits.

export type ShopifySyncKind = "orders" | "products";

export type ShopifySyncState = {
  kind: ShopifySyncKind;
  /** A finished run brought in everything changed before this; null before the first one. */
  since: Date | null;
  /** A run was started and has not finished: the next one resumes it. */
  underWay: boolean;
  /** The lower bound of the run under way (null: everything). */
  runSince: Date | null;
  /** Items brought in by the run under way, or by the last one. */
  imported: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Why the last run stopped early, in plain English; null when it did not. */
  lastError: string | null;
};

type Row = typeof shopifySync.$inferSelect;

const underWay = (row: Row | null) =>
  !!row?.startedAt && (!row.finishedAt || row.finishedAt < row.startedAt);

/** Where the import of `kind` stands, for the settings page and the CLI. */
export async function shopifySyncState(
  db: Db,
  kind: ShopifySyncKind,
): Promise<ShopifySyncState> {
  const [row] = await db
    .select()
    .from(shopifySync)
    .where(eq(shopifySync.kind, kind));
  return {
    kind,
    since: row?.since ?? null,
    underWay: underWay(row ?? null),
    runSince: row?.runSince ?? null,
    imported: row?.imported ?? 0,
    startedAt: row?.startedAt ?? null,
    finishedAt: row?.finishedAt ?? null,
    lastError: row?.lastError ?? null,
  };
}

export type SyncProgress = {
  kind: ShopifySyncKind;
  /** Brought in by this run so far, counting pages done before an interruption. */
  imported: number;
  /** Pages fetched by this call. */
  pages: number;
  /** Whether this call picked up a run that an earlier one left unfinished. */
  resumed: boolean;
};

export type SyncOptions = {
  /** Restart from this time (the CLI's --since); without it, resume or continue incrementally. */
  since?: Date;
  onProgress?: (progress: SyncProgress) => void;
  /** Stops after the page in hand; the run resumes next time. */
  signal?: AbortSignal;
  now?: () => Date;
};

export type SyncRun<T> = {
  kind: ShopifySyncKind;
  fetchPage: (input: {
    since: Date | null;
    after: string | null;
    signal?: AbortSignal;
  }) => Promise<Page<T>>;
  /** Stores one item; runs once per item, in page order. */
  apply: (item: T) => Promise<void>;
  updatedAt: (item: T) => Date;
};

export type SyncOutcome = {
  /** Items this call brought in. */
  imported: number;
  /** False when stopped (signal) before the last page: the next call resumes. */
  done: boolean;
  resumed: boolean;
};

/**
 * Runs (or resumes) the import of one kind to its last page. A failure other than throttling is
 * recorded as lastError, the cursor kept, and thrown; the next call resumes where it stopped.
 */
export async function runShopifySync<T>(
  db: Db,
  run: SyncRun<T>,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date());
  const { kind } = run;
  const [existing] = await db
    .select()
    .from(shopifySync)
    .where(eq(shopifySync.kind, kind));
  const resumed = options.since === undefined && underWay(existing ?? null);
  const runSince =
    options.since ??
    (resumed ? (existing?.runSince ?? null) : (existing?.since ?? null));
  let cursor = resumed ? (existing?.cursor ?? null) : null;
  let total = resumed ? (existing?.imported ?? 0) : 0;
  const startedAt = resumed ? (existing?.startedAt ?? now()) : now();
  const save = async (fields: Partial<Row>) => {
    await db
      .insert(shopifySync)
      .values({ kind, ...fields, updatedAt: now() })
      .onConflictDoUpdate({
        target: shopifySync.kind,
        set: { ...fields, updatedAt: now() },
      });
  };
  await save({
    runSince,
    cursor,
    imported: total,
    startedAt,
    finishedAt: null,
    lastError: null,
  });

  let imported = 0;
  let pages = 0;
  let highest: Date | null = null;
  let restarted = false;
  for (;;) {
    if (options.signal?.aborted) return { imported, done: false, resumed };
    let page: Page<T>;
    try {
      page = await run.fetchPage({
        since: runSince,
        after: cursor,
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal?.aborted) return { imported, done: false, resumed };
      // The wrapper waited out THROTTLED as long as the bucket needed and gave up after a few tries:
      // another caller keeps draining the bucket. Ask again; the wrapper waits again.
      if (
        error instanceof ShopifyUnavailableError &&
        error.reason === "throttled"
      ) {
        log.info("shopify.sync_throttled", { kind });
        continue;
      }
      // A saved cursor Shopify no longer accepts (it expired, or the sort changed): read the run
      // again from its start, once; what is already here is applied again without harm.
      if (error instanceof ShopifyQueryError && cursor && !restarted) {
        log.warn("shopify.sync_cursor_refused", { kind });
        restarted = true;
        cursor = null;
        continue;
      }
      await save({
        lastError: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    try {
      for (const item of page.items) {
        await run.apply(item);
        const at = run.updatedAt(item);
        if (!highest || at > highest) highest = at;
      }
    } catch (error) {
      // The page is read again next time; storing an item is idempotent.
      await save({
        lastError: `Storing what Shopify sent failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      throw error;
    }
    imported += page.items.length;
    total += page.items.length;
    pages++;
    cursor = page.nextCursor;
    if (cursor) await save({ cursor, imported: total });
    else
      // Pages are in updatedAt order, so everything changed before the highest one seen is here.
      // Shopify's `>=` re-reads that boundary second next time; applying an item is idempotent.
      await save({
        since: highest ?? runSince,
        cursor: null,
        runSince: null,
        imported: total,
        finishedAt: now(),
      });
    options.onProgress?.({ kind, imported: total, pages, resumed });
    if (!cursor) return { imported, done: true, resumed };
  }
}
