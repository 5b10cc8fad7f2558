import { Badge } from "@/components/ui/badge";

/** Archived, unavailable (listed but not for sale) or active, as the list and the edit page say it. */
export function ProductStatus({
  product,
}: {
  product: { isActive: boolean; isAvailable: boolean };
}) {
  if (!product.isActive) return <Badge>Archived</Badge>;
  if (!product.isAvailable) return <Badge tone="yellow">Unavailable</Badge>;
  return <Badge tone="green">Active</Badge>;
}
