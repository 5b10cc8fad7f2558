import { stripeWebhook } from "@/lib/stripe/route";

export { stripeWebhook as POST };
