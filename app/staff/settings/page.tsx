import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import {
  listCannedReplies,
  listDepartments,
  listHelpTopics,
  listSlaPlans,
} from "@/lib/helpdesk/queries";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireAdmin("/staff/settings");
  const db = await getDb();
  const [departments, topics, plans, canned] = await Promise.all([
    listDepartments(db),
    listHelpTopics(db),
    listSlaPlans(db),
    listCannedReplies(db),
  ]);
  return (
    <>
      <PageHeader
        title="Settings"
        description="How tickets are routed, prioritised and answered."
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <Section title="Departments">
          {departments.map((d) => (
            <Row
              key={d.id}
              id={d.id}
              name={d.name}
              detail={[d.email, d.slaPlan].filter(Boolean).join(" · ")}
            />
          ))}
        </Section>
        <Section title="Help topics">
          {topics.map((t) => (
            <Row
              key={t.id}
              id={t.id}
              name={t.name}
              detail={`${t.department} · ${t.priority} priority${t.slaPlan ? ` · ${t.slaPlan}` : ""}`}
              inactive={!t.isActive}
            />
          ))}
        </Section>
        <Section title="SLA plans">
          {plans.map((p) => (
            <Row
              key={p.id}
              id={p.id}
              name={p.name}
              detail={`Grace period ${p.gracePeriodHours} h`}
              inactive={!p.isActive}
            />
          ))}
        </Section>
        <Section title="Canned replies">
          {canned.map((c) => (
            <Row
              key={c.id}
              id={c.id}
              name={c.title}
              detail={c.department ?? "All departments"}
              inactive={!c.isActive}
            />
          ))}
        </Section>
      </div>
    </>
  );
}

function Section({
  title,
  children,
}: {
  title: string;
  children: React.ReactNode;
}) {
  return (
    <Card>
      <h2 className="border-b border-slate-100 px-4 py-3 font-medium text-slate-900">
        {title}
      </h2>
      <ul className="divide-y divide-slate-100">{children}</ul>
    </Card>
  );
}

function Row({
  id,
  name,
  detail,
  inactive,
}: {
  id: number;
  name: string;
  detail: string;
  inactive?: boolean;
}) {
  return (
    <li className="flex items-center gap-3 px-4 py-3 text-sm">
      <span className="w-8 font-mono text-xs text-slate-400">{id}</span>
      <div className="min-w-0 flex-1">
        <p className="font-medium text-slate-900">{name}</p>
        <p className="text-xs text-slate-500">{detail}</p>
      </div>
      {inactive ? <Badge>Inactive</Badge> : null}
    </li>
  );
}
