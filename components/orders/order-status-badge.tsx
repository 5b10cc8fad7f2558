import type { Order } from "@/db/schema";
import { Badge } from "@/components/ui/badge";
import { ORDER_STATUS_LABELS, ORDER_STATUS_TONES } from "@/lib/orders/status";

export function OrderStatusBadge({ status }: { status: Order["status"] }) {
  return (
    <Badge tone={ORDER_STATUS_TONES[status]}>
      {ORDER_STATUS_LABELS[status]}
    </Badge>
  );
}

const PROVIDERS = {
  stripe: "Card (Stripe)",
  shopify: "Shopify store",
  manual: "Bank transfer",
} as const;

export const providerLabel = (p: Order["provider"]): string => PROVIDERS[p];
