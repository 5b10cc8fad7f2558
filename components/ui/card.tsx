import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

export function Card({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      className={cn(
        "rounded-lg bg-white shadow-sm ring-1 ring-slate-200",
        className,
      )}
      {...props}
    />
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: React.ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div className="min-w-0">
        {/* The title may be a name someone chose: any script, any length. */}
        <h1
          dir="auto"
          className="text-2xl font-semibold tracking-tight [overflow-wrap:anywhere] text-slate-900"
        >
          {title}
        </h1>
        {description ? (
          <p className="mt-1 text-sm text-slate-600">{description}</p>
        ) : null}
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </div>
  );
}

export function EmptyState({
  title,
  children,
}: {
  title: string;
  children?: React.ReactNode;
}) {
  return (
    <div className="rounded-lg border-2 border-dashed border-slate-200 px-6 py-12 text-center [overflow-wrap:anywhere]">
      <p className="font-medium text-slate-900">{title}</p>
      {children ? (
        <div className="mt-2 text-sm text-slate-600">{children}</div>
      ) : null}
    </div>
  );
}
