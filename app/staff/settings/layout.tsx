import type { ReactNode } from "react";
import { requireAdmin } from "@/lib/auth/session";
import { SettingsNav } from "./settings-nav";

// Settings are for admins only; agents get 403 here and in every settings action.
export default async function SettingsLayout({
  children,
}: {
  children: ReactNode;
}) {
  await requireAdmin("/staff/settings");
  return (
    <>
      <SettingsNav />
      {children}
    </>
  );
}
