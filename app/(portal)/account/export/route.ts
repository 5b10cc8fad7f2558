import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { exportAccount } from "@/lib/customers/account-data";
import { notFoundText } from "@/lib/http";

// "Download my data": the signed-in customer's own data as one JSON file.
export async function GET() {
  const viewer = await requireCustomer("/account");
  const data = await exportAccount(await getDb(), viewer);
  if (!data) return notFoundText();
  const day = data.exportedAt.slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="portico-account-${day}.json"`,
      "cache-control": "no-store",
    },
  });
}
