import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { ServiceTable } from "@/components/orders/service-table";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState, PageHeader } from "@/components/ui/card";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { listServicesForCustomer } from "@/lib/orders/queries";
import { openBillingPortalAction } from "./actions";
import { BillingPortalButton } from "./billing-portal-button";

export const metadata: Metadata = { title: "Your services" };

export default async function ServicesPage() {
  const viewer = await requireCustomer("/services");
  const services = await listServicesForCustomer(await getDb(), viewer);
  const hasCardBilling = services.some((s) => s.stripeSubscriptionId);
  return (
    <>
      <PageHeader
        title="Your services"
        description="Hosting, domains and everything else that renews."
        actions={
          env().stripe && hasCardBilling ? (
            <BillingPortalButton action={openBillingPortalAction} />
          ) : undefined
        }
      />
      {services.length === 0 ? (
        <EmptyState title="No services yet">
          <p>Services you order (hosting, domains, backups) show up here.</p>
          <ButtonLink href="/products" className="mt-4" variant="secondary">
            Browse services
          </ButtonLink>
        </EmptyState>
      ) : (
        <ServiceTable
          services={services}
          orderHref={(orderId) => `/orders/${orderId}`}
        />
      )}
    </>
  );
}
