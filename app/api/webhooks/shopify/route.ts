import { shopifyWebhook } from "@/lib/shopify/route";

export { shopifyWebhook as POST };
