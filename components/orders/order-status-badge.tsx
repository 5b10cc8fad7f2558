import type { Order } from "@/db/schema";
import { Badge } from "@/components/ui/badge";

const TONES = {
  pending: "yellow",
  paid: "green",
  fulfilled: "blue",
  cancelled: "gray",
  refunded: "red",
} as const;

export function OrderStatusBadge({ status }: { status: Order["status"] }) {
  return (
    <Badge tone={TONES[status]}>
      {status[0]!.toUpperCase() + status.slice(1)}
    </Badge>
  );
}

const PROVIDERS = {
  stripe: "Card (Stripe)",
  shopify: "Shopify store",
  manual: "Invoice",
} as const;

export const providerLabel = (p: Order["provider"]): string => PROVIDERS[p];
