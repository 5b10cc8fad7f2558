import type { ComponentProps, ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { cn } from "@/lib/cn";

export type Column =
  | string
  | {
      label: string;
      align?: "right";
      /** Width classes for the column (`w-32`): its width in a `fixed` table. */
      className?: string;
      /** A header for screen readers only, as for a column of checkboxes. */
      isHidden?: boolean;
    };

/**
 * A card-framed data table with a header row. On a narrow screen it scrolls sideways inside its card,
 * never the page. A `fixed` table takes its column widths from `columns` and gives what is left to
 * the columns without one, so no text in a cell can widen it: cells must truncate or wrap their text.
 */
export function Table({
  columns,
  children,
  footer,
  fixed = false,
  className,
}: {
  columns: Column[];
  children: ReactNode;
  footer?: ReactNode;
  fixed?: boolean;
  /** Classes for the `<table>`: a `min-w-*` keeps a fixed table's flexible columns usable on phones. */
  className?: string;
}) {
  return (
    <Card className="overflow-x-auto">
      <table
        className={cn(
          "min-w-full divide-y divide-slate-200 text-sm",
          fixed && "w-full table-fixed",
          className,
        )}
      >
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {columns.map((c, i) => {
              const { label, align, className, isHidden } =
                typeof c === "string"
                  ? {
                      label: c,
                      align: undefined,
                      className: "",
                      isHidden: false,
                    }
                  : c;
              return (
                <th
                  key={`${i}-${label}`}
                  scope="col"
                  className={cn(
                    "px-4 py-3 font-medium",
                    align === "right" && "text-right",
                    className,
                  )}
                >
                  {isHidden ? <span className="sr-only">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
        {footer ? <tfoot>{footer}</tfoot> : null}
      </table>
    </Card>
  );
}

export function Td({
  className,
  align,
  ...props
}: ComponentProps<"td"> & { align?: "right" }) {
  return (
    <td
      className={cn("px-4 py-3", align === "right" && "text-right", className)}
      {...props}
    />
  );
}
