import Link from "next/link";
import { cn } from "@/lib/cn";

/** Previous/next links that keep the other search parameters. */
export function Pagination({
  page,
  pageSize,
  total,
  capped = false,
  href,
}: {
  page: number;
  pageSize: number;
  total: number;
  /** `total` is a lower bound ("1,000+"); there may be more pages. */
  capped?: boolean;
  href: (page: number) => string;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize) + (capped ? 1 : 0));
  if (pages <= 1) return null;
  const link =
    "rounded-md px-3 py-1.5 text-sm font-medium ring-1 ring-slate-300";
  return (
    <nav
      aria-label="Pagination"
      className="mt-4 flex items-center justify-between text-sm text-slate-600"
    >
      <p>
        Page {page} of {capped ? `${pages - 1}+` : pages} ·{" "}
        {total.toLocaleString("en")}
        {capped ? "+ matches; narrow the search to see them all" : " in all"}
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link
            href={href(page - 1)}
            className={cn(link, "bg-white hover:bg-slate-50")}
            rel="prev"
          >
            Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link
            href={href(page + 1)}
            className={cn(link, "bg-white hover:bg-slate-50")}
            rel="next"
          >
            Next
          </Link>
        ) : null}
      </div>
    </nav>
  );
}
