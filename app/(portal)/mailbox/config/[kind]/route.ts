import { z } from "zod";
import { getDb } from "@/db/client";
import { requireCustomer } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { notFoundText } from "@/lib/http";
import {
  appleMobileconfig,
  mailClientSettings,
  thunderbirdAutoconfig,
} from "@/lib/mailcow/client-settings";
import { mailboxOfUser } from "@/lib/mailcow/queries";
import { mailboxAddress } from "@/lib/mailcow/schemas";

// The customer's mail client settings as files a client imports: Thunderbird's autoconfig and an
// Apple configuration profile. Neither holds a password; the client asks for it.

const configKind = z.enum(["thunderbird", "apple"]);

export async function GET(
  _req: Request,
  ctx: { params: Promise<{ kind: string }> },
) {
  const viewer = await requireCustomer("/mailbox");
  const parsed = configKind.safeParse((await ctx.params).kind);
  const config = env().mailcow;
  if (!config || !parsed.success) return notFoundText();
  const kind = parsed.data;
  const row = await mailboxOfUser(await getDb(), viewer.id);
  if (!row || row.status === "deleted" || row.status === "failed")
    return notFoundText();
  const address = mailboxAddress(row);
  const settings = mailClientSettings(config, address);
  const [body, type, filename] =
    kind === "thunderbird"
      ? [
          thunderbirdAutoconfig(settings, { displayName: viewer.name }),
          "application/xml; charset=utf-8",
          "config-v1.1.xml",
        ]
      : [
          appleMobileconfig(settings, {
            displayName: viewer.name,
            organisation: config.domain,
          }),
          "application/x-apple-aspen-config; charset=utf-8",
          `${address}.mobileconfig`,
        ];
  return new Response(body, {
    headers: {
      "Content-Type": type,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
