import { Card } from "@/components/ui/card";

// What the Shopify store says about one of its orders, in words, on the customer's and the
// agent's order pages alike.

const FULFILMENT: Record<string, string> = {
  UNFULFILLED: "Not shipped yet",
  PARTIALLY_FULFILLED: "Partly shipped",
  FULFILLED: "Shipped",
  RESTOCKED: "Returned to stock",
  IN_PROGRESS: "Being prepared",
  ON_HOLD: "On hold",
  SCHEDULED: "Scheduled",
};
const PAYMENT: Record<string, string> = {
  PENDING: "Payment pending",
  AUTHORIZED: "Payment authorised",
  PARTIALLY_PAID: "Partly paid",
  PAID: "Paid",
  PARTIALLY_REFUNDED: "Partly refunded",
  REFUNDED: "Refunded",
  VOIDED: "Payment voided",
  EXPIRED: "Payment expired",
};

/** Shopify's shipping and payment states in words; an unknown one as Shopify spells it, readably. */
export const fulfilmentWords = (status: string | null) =>
  inWords(FULFILMENT, status);
export const paymentWords = (status: string | null) => inWords(PAYMENT, status);
const inWords = (words: Record<string, string>, status: string | null) =>
  status ? (words[status] ?? status.toLowerCase().replace(/_/g, " ")) : "";

export function ShopifyDetails({
  details,
}: {
  details: {
    fulfillmentStatus: string;
    financialStatus: string;
    statusPageUrl: string | null;
    isTest: boolean;
  };
}) {
  return (
    <Card className="space-y-1 p-5 text-sm">
      <h2 className="font-medium text-slate-900">In the Shopify store</h2>
      <p className="text-slate-700">
        {fulfilmentWords(details.fulfillmentStatus)}
        {" · "}
        {paymentWords(details.financialStatus)}
        {details.isTest ? " · Test order" : ""}
      </p>
      {details.statusPageUrl ? (
        <p>
          <a
            href={details.statusPageUrl}
            rel="noopener noreferrer"
            target="_blank"
            className="text-indigo-600 underline hover:text-indigo-500"
          >
            Track it on the store&rsquo;s order page
          </a>
        </p>
      ) : null}
    </Card>
  );
}
