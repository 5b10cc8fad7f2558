import { GraphQLError } from "graphql";

// Shopify's search syntax as far as the portal uses it, plus sort keys and opaque cursors.
// A query is space-separated terms, all of which must match: `field:value`, `field:"quoted value"`,
// `field:'quoted'`, and the comparisons `field:>v`, `>=`, `<`, `<=`. A term naming a field the
// resource does not know is ignored and reported in `extensions.search`, as Shopify does.

export type SearchTerm = {
  field: string;
  op: ":" | ">" | ">=" | "<" | "<=";
  value: string;
};

const TERM =
  /^([a-z_]+):(>=|<=|>|<)?(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S*))/;

export function parseSearch(query: string | null | undefined): SearchTerm[] {
  const terms: SearchTerm[] = [];
  let rest = (query ?? "").trim();
  while (rest.length > 0) {
    const match = TERM.exec(rest);
    if (match) {
      const quoted = match[3] ?? match[4];
      terms.push({
        field: match[1] ?? "",
        op: (match[2] as SearchTerm["op"] | undefined) ?? ":",
        value:
          quoted !== undefined
            ? quoted.replace(/\\(.)/g, "$1")
            : (match[5] ?? ""),
      });
      rest = rest.slice(match[0].length).trimStart();
    } else {
      // Free text: Shopify searches default fields with it; the portal never sends any.
      const word = /^\S+/.exec(rest)?.[0] ?? rest;
      terms.push({ field: "default", op: ":", value: word });
      rest = rest.slice(word.length).trimStart();
    }
  }
  return terms;
}

export type FieldMatchers<T> = Record<
  string,
  (item: T, term: SearchTerm) => boolean
>;

export type SearchWarning = { field: string; message: string };

/** Items matching every known term; unknown fields are reported, not applied. */
export function applySearch<T>(
  items: T[],
  query: string | null | undefined,
  matchers: FieldMatchers<T>,
  warnings: SearchWarning[],
): T[] {
  const terms = parseSearch(query);
  const known = terms.filter((term) => {
    if (matchers[term.field]) return true;
    warnings.push({
      field: term.field,
      message: `Invalid search field for this query.`,
    });
    return false;
  });
  return items.filter((item) =>
    known.every((term) => matchers[term.field]?.(item, term) ?? true),
  );
}

export function matchText(actual: string | null, term: SearchTerm): boolean {
  return (
    term.op === ":" &&
    actual !== null &&
    actual.toLowerCase() === term.value.toLowerCase()
  );
}

export function matchDate(actual: Date | null, term: SearchTerm): boolean {
  if (actual === null) return false;
  const wanted = Date.parse(term.value);
  if (Number.isNaN(wanted)) return false;
  const a = actual.getTime();
  switch (term.op) {
    case ":":
      return a === wanted;
    case ">":
      return a > wanted;
    case ">=":
      return a >= wanted;
    case "<":
      return a < wanted;
    case "<=":
      return a <= wanted;
  }
}

// ---- paging ----

export type SortValue = string | number;

export type Page<T> = {
  items: { node: T; cursor: string }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
};

export type PageArgs = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
};

type CursorBody = { last_id: string; last_value: SortValue };

function encodeCursor(body: CursorBody): string {
  return Buffer.from(JSON.stringify(body)).toString("base64");
}

function decodeCursor(cursor: string): CursorBody {
  try {
    const body = JSON.parse(
      Buffer.from(cursor, "base64").toString("utf8"),
    ) as Partial<CursorBody>;
    if (
      typeof body.last_id === "string" &&
      (typeof body.last_value === "string" ||
        typeof body.last_value === "number")
    )
      return { last_id: body.last_id, last_value: body.last_value };
  } catch {
    // fall through to Shopify's own message
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, {
    extensions: { code: "BAD_REQUEST" },
  });
}

function compare(a: [SortValue, string], b: [SortValue, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  // Ids are digit strings of possibly different lengths.
  if (a[1].length !== b[1].length) return a[1].length - b[1].length;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * One page of `items` sorted by `sortValue` (then id), `reverse` flipping the order. Cursors carry
 * the last item's sort value and id, so a page stays correct when items change in between.
 */
export function paginate<T>(
  items: T[],
  args: PageArgs,
  idOf: (item: T) => string,
  sortValue: (item: T) => SortValue,
): Page<T> {
  const { first, last } = args;
  if ((first ?? null) === null && (last ?? null) === null)
    throw new GraphQLError("you must provide one of first or last", {
      extensions: { code: "BAD_REQUEST" },
    });
  for (const n of [first, last])
    if (n !== null && n !== undefined && (n < 0 || n > 250))
      throw new GraphQLError(
        "The value of first or last must be between 0 and 250.",
        { extensions: { code: "BAD_REQUEST" } },
      );
  const direction = args.reverse ? -1 : 1;
  const keyed = items
    .map((node) => ({
      node,
      key: [sortValue(node), idOf(node)] as [SortValue, string],
    }))
    .sort((a, b) => direction * compare(a.key, b.key));
  let start = 0;
  let end = keyed.length;
  if (args.after) {
    const c = decodeCursor(args.after);
    const at = keyed.findIndex(
      (k) => direction * compare(k.key, [c.last_value, c.last_id]) > 0,
    );
    start = at === -1 ? keyed.length : at;
  }
  if (args.before) {
    const c = decodeCursor(args.before);
    const at = keyed.findIndex(
      (k) => direction * compare(k.key, [c.last_value, c.last_id]) >= 0,
    );
    end = at === -1 ? keyed.length : at;
  }
  let window = keyed.slice(start, Math.max(start, end));
  const available = window.length;
  if (first !== null && first !== undefined) window = window.slice(0, first);
  if (last !== null && last !== undefined)
    window = window.slice(Math.max(0, window.length - last));
  const edges = window.map((k) => ({
    node: k.node,
    cursor: encodeCursor({ last_id: k.key[1], last_value: k.key[0] }),
  }));
  return {
    items: edges,
    pageInfo: {
      hasNextPage:
        first !== null && first !== undefined
          ? available > window.length || end < keyed.length
          : end < keyed.length,
      hasPreviousPage:
        last !== null && last !== undefined
          ? available > window.length || start > 0
          : start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
