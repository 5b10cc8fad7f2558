import type { ReactNode } from "react";
import { SiteFooter } from "@/components/site/site-footer";
import { SiteHeader } from "@/components/site/site-header";
import { getDb } from "@/db/client";
import { getViewer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { countCartItems } from "@/lib/cart/cart";
import { cartOwnerOf } from "@/lib/cart/visitor";
import { signOutAction } from "../(auth)/actions";

export default async function ShopLayout({
  children,
}: {
  children: ReactNode;
}) {
  const viewer = await getViewer();
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
      <main id="main" className="flex-1">
        {children}
      </main>
      <SiteFooter supportAddress={env().supportAddress} />
    </>
  );
}
