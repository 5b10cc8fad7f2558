import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

export function Alert({
  tone = "error",
  children,
}: {
  tone?: "error" | "success" | "info";
  children: ReactNode;
}) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cn(
        "rounded-md px-4 py-3 text-sm [overflow-wrap:anywhere]",
        tone === "error" && "bg-red-50 text-red-800 ring-1 ring-red-200",
        tone === "success" &&
          "bg-green-50 text-green-800 ring-1 ring-green-200",
        tone === "info" &&
          "bg-indigo-50 text-indigo-800 ring-1 ring-indigo-200",
      )}
    >
      {children}
    </div>
  );
}
