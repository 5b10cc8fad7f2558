import { cva, type VariantProps } from "class-variance-authority";
import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

const badge = cva(
  "inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
  {
    variants: {
      tone: {
        gray: "bg-slate-50 text-slate-700 ring-slate-500/20",
        green: "bg-green-50 text-green-700 ring-green-600/20",
        yellow: "bg-amber-50 text-amber-800 ring-amber-600/20",
        red: "bg-red-50 text-red-700 ring-red-600/20",
        blue: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
      },
    },
    defaultVariants: { tone: "gray" },
  },
);

export function Badge({
  className,
  tone,
  ...props
}: ComponentProps<"span"> & VariantProps<typeof badge>) {
  return <span className={cn(badge({ tone }), className)} {...props} />;
}
