import Link from "next/link";
import {
  PhoneSection,
  SessionsSection,
  TwoFactorSection,
} from "@/components/account/security-sections";
import { PageHeader } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { securityOverview } from "@/lib/auth/security";
import { currentSessionId } from "@/lib/auth/session";
import { listSessions } from "@/lib/auth/sessions";
import { newTotpSecret, totpQrSvg } from "@/lib/auth/totp";
import { isStaff, type Viewer } from "@/lib/auth/viewer";
import { maskPhone } from "@/lib/sms/phone";
import {
  confirmPhoneAction,
  disableTwoFactorAction,
  enableSmsFactorAction,
  enableTotpAction,
  endOtherSessionsAction,
  endSessionAction,
  renewRecoveryCodesAction,
  startPhoneAction,
} from "./actions";

/** The security page of a customer (/account/security) or an agent (/staff/account/security). */
export async function SecurityPage({
  viewer,
  page,
  back,
  notice,
}: {
  viewer: Viewer;
  page: string;
  back: string;
  notice?: React.ReactNode;
}) {
  const db = await getDb();
  const [overview, sessions] = await Promise.all([
    securityOverview(db, viewer.id),
    currentSessionId().then((current) => listSessions(db, viewer.id, current)),
  ]);
  // A fresh secret on every visit while it is off: it only counts once a code from it is confirmed.
  const setup = overview.twoFactor
    ? null
    : await (async () => {
        const secret = newTotpSecret();
        return { secret, qrSvg: await totpQrSvg(secret, viewer.email) };
      })();
  return (
    <>
      <PageHeader
        title="Security and sign-in"
        actions={
          <Link
            href={back}
            className="text-sm font-medium text-indigo-600 hover:text-indigo-500"
          >
            ← Your account
          </Link>
        }
      />
      <div className="max-w-2xl space-y-6">
        {notice}
        <TwoFactorSection
          overview={overview}
          setup={setup}
          page={page}
          actions={{
            enable: enableTotpAction,
            renew: renewRecoveryCodesAction,
            enableSms: enableSmsFactorAction,
            disable: disableTwoFactorAction,
          }}
          smsAllowed={!isStaff(viewer) && overview.phoneVerified}
        />
        <PhoneSection
          overview={overview}
          masked={overview.phone ? maskPhone(overview.phone) : null}
          actions={{ start: startPhoneAction, confirm: confirmPhoneAction }}
        />
        <SessionsSection
          sessions={sessions}
          actions={{ end: endSessionAction, endOthers: endOtherSessionsAction }}
        />
      </div>
    </>
  );
}
