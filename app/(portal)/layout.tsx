import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { VerifyEmailNotice } from "@/components/account/account-forms";
import { SiteFooter } from "@/components/site/site-footer";
import { SiteHeader } from "@/components/site/site-header";
import { getDb } from "@/db/client";
import { getViewer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { countCartItems } from "@/lib/cart/cart";
import { cartOwnerOf } from "@/lib/cart/visitor";
import { isStaff } from "@/lib/auth/viewer";
import { signOutAction } from "../(auth)/actions";
import { resendVerificationAction } from "./account/actions";

// Customers' own pages. A signed-out visitor is sent to sign in by the page itself, which knows its
// own URL to come back to (a layout cannot). Every page and action calls requireCustomer(), and the
// queries filter by that viewer, so nothing here depends on this layout for safety.
export default async function PortalLayout({
  children,
}: {
  children: ReactNode;
}) {
  const viewer = await getViewer();
  if (viewer && isStaff(viewer)) redirect("/staff");
  return (
    <>
      <SiteHeader
        viewer={viewer}
        mailboxes={env().mailcow !== null}
        signOutAction={signOutAction}
        cartCount={await countCartItems(
          await getDb(),
          await cartOwnerOf(viewer),
        )}
      />
      <main
        id="main"
        className="mx-auto w-full max-w-6xl flex-1 px-4 py-10 sm:px-6"
      >
        {viewer && !viewer.emailVerified ? (
          <div className="mb-6">
            <VerifyEmailNotice
              action={resendVerificationAction}
              email={viewer.email}
            />
          </div>
        ) : null}
        {children}
      </main>
      <SiteFooter supportAddress={env().supportAddress} />
    </>
  );
}
