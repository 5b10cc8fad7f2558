import { cn } from "@/lib/cn";

/**
 * Text someone else chose (a subject, a name), cut with an ellipsis where it does not fit and whole
 * on hover, in its own direction (Arabic, Hebrew) without turning the line around it. One line by
 * default; `lines={2}` wraps anywhere, even inside a long word, before cutting. Blank text shows
 * `placeholder`, muted.
 */
export function Truncate({
  text,
  placeholder,
  lines = 1,
  className,
}: {
  text: string | null | undefined;
  placeholder: string;
  lines?: 1 | 2;
  className?: string;
}) {
  const value = text?.trim() ? text : null;
  return (
    <span
      dir="auto"
      title={value ?? undefined}
      className={cn(
        lines === 1
          ? "inline-block max-w-full truncate align-top"
          : "line-clamp-2 [overflow-wrap:anywhere]",
        value === null && "font-normal text-slate-500",
        className,
      )}
    >
      {value ?? placeholder}
    </span>
  );
}

/** Text that may be blank: `placeholder` stands in, so a heading or link is never empty. */
export function orPlaceholder(
  text: string | null | undefined,
  placeholder: string,
): string {
  return text?.trim() ? text : placeholder;
}
