import type { ReactNode } from "react";
import { SiteFooter } from "@/components/site/site-footer";
import { SiteHeader } from "@/components/site/site-header";
import { getViewer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { signOutAction } from "./actions";

export default async function AuthLayout({
  children,
}: {
  children: ReactNode;
}) {
  return (
    <>
      <SiteHeader
        viewer={await getViewer()}
        mailboxes={env().mailcow !== null}
        signOutAction={signOutAction}
      />
      <main id="main" className="flex-1">
        {children}
      </main>
      <SiteFooter supportAddress={env().supportAddress} />
    </>
  );
}
