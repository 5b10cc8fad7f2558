import type { ComponentProps, ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { cn } from "@/lib/cn";

export type Column = string | { label: string; align: "right" };

/** A card-framed, horizontally scrollable data table with a header row. */
export function Table({
  columns,
  children,
  footer,
}: {
  columns: Column[];
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Card className="overflow-x-auto">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-slate-600">
          <tr>
            {columns.map((c) => {
              const { label, align } =
                typeof c === "string" ? { label: c, align: undefined } : c;
              return (
                <th
                  key={label}
                  scope="col"
                  className={cn(
                    "px-4 py-3 font-medium",
                    align === "right" && "text-right",
                  )}
                >
                  {label}
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
