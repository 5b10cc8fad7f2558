import "server-only";
import type { Sql } from "postgres";
import { RARE_QUERY, VOCABULARY } from "@/tools/bench/words";

// Generates the bench data set inside PostgreSQL with set-based INSERT … SELECT statements, so
// 100,000 tickets and 500,000 messages take seconds rather than minutes. The help desk set-up mirrors
// db/seed.ts (departments 1–3, help topics 1, 2, 10, 11, 12, two SLA plans); random() is seeded per
// statement, so every run builds the same data. The schema's own triggers run as in production.

export type BenchSizes = {
  tickets: number;
  messages: number;
  customers: number;
  agents: number;
};

export type GeneratedData = {
  /** Seconds spent per phase, in order. */
  phases: Array<{ name: string; seconds: number }>;
  /** The number of ticket i, as generated. */
  ticketNumber: (i: number) => string;
};

/** Tickets per statement (or their messages); two statements run at once, one per core. */
const CHUNK = 50_000;

// Ticket i gets a distinct six-digit number: 7919 is prime and coprime with 900,000.
const numberOf = (i: number) => String(100000 + ((i * 7919) % 900000));
const numberSql = (i: string) =>
  `(100000 + (${i}::bigint * 7919) % 900000)::text`;

// A word drawn with a Zipf-like skew from the vocabulary array `words` (1-based, V entries).
const zipfWord = (v: number) =>
  `words[least(${v}, floor(exp(random() * ln(${v + 1})))::int)]`;

export async function generateData(
  pg: Sql,
  sizes: BenchSizes,
  now: Date,
): Promise<GeneratedData> {
  const phases: GeneratedData["phases"] = [];
  const phase = async (name: string, job: () => Promise<unknown>) => {
    const started = performance.now();
    await job();
    phases.push({ name, seconds: (performance.now() - started) / 1000 });
  };

  await phase("help desk set-up and users", () => setUp(pg, sizes));
  // Indexes are built once after the bulk load: far faster than updating them row by row.
  const indexes = await dropIndexes(pg, ["tickets", "ticket_messages"]);
  await phase("tickets", () =>
    inChunks(sizes.tickets, (from, to, seed) =>
      insertTickets(pg, { from, to, seed, now, sizes }),
    ),
  );
  // Chunked by ticket, so two statements never touch one ticket (its triggers update the ticket).
  await phase("messages", () =>
    inChunks(sizes.tickets, (from, to, seed) =>
      insertMessages(pg, { from, to, seed, sizes }),
    ),
  );
  // Triggers that update tickets per message leave dead row versions a live system's autovacuum
  // would have reclaimed long ago; compact so scans see a steady-state table.
  await phase("compact tickets", () => pg`vacuum (full) tickets`);
  await phase("indexes", () =>
    pairwise(indexes.map((def) => () => pg.unsafe(def))),
  );
  await phase("vacuum analyze", async () => {
    await Promise.all([
      pg`vacuum (analyze) tickets`,
      pg`vacuum (analyze) ticket_messages`,
    ]);
    await pg`analyze users, departments, help_topics, department_members`;
  });
  return { phases, ticketNumber: numberOf };
}

async function setUp(pg: Sql, sizes: BenchSizes): Promise<void> {
  await pg.begin(async (tx) => {
    await tx`insert into sla_plans (id, name, grace_period_hours) values
      (1, 'Default SLA', 18), (2, 'Priority SLA', 4)`;
    await tx`insert into departments (id, name, email, sla_plan_id) values
      (1, 'Support', 'support@bench.test', 1),
      (2, 'Sales', 'sales@bench.test', 1),
      (3, 'Maintenance', 'ops@bench.test', 2)`;
    await tx`insert into help_topics (id, name, department_id, priority, sla_plan_id) values
      (1, 'General Inquiry', 1, 'normal', 1),
      (2, 'Feedback', 1, 'low', 1),
      (10, 'Report a Problem', 3, 'high', 2),
      (11, 'Billing and Orders', 2, 'normal', 1),
      (12, 'Mailbox and Email', 1, 'normal', 1)`;
    await tx`
      with names as (
        select array['Ada','Ben','Cora','Dev','Eli','Fay','Gus','Hana','Ivo','Jill','Kai','Lena',
                     'Milo','Nora','Otto','Pia','Quinn','Rosa','Sam','Tara','Uma','Vik','Wes','Yara']
                 as first,
               array['Martin','Keller','Nguyen','Osei','Rivera','Novak','Silva','Berg','Khan',
                     'Moreau','Rossi','Tanaka','Fischer','Okafor','Larsen','Costa'] as last
      )
      insert into users (email, name, role)
      select
        case when i <= ${sizes.agents} then 'agent' || i || '@bench.test'
             else 'customer' || i || '@example.test' end,
        first[1 + i % array_length(first, 1)] || ' ' || last[1 + (i / 7) % array_length(last, 1)],
        (case when i <= ${sizes.agents} then 'agent' else 'customer' end)::user_role
      from names, generate_series(1, ${sizes.agents + sizes.customers}) as g(i)`;
    await tx`
      insert into department_members (department_id, user_id)
      select d, id from users, generate_series(1, 3) as d
      where role = 'agent' and (d = 1 or hashtext(email || d) % 2 = 0)`;
  });
}

async function insertTickets(
  pg: Sql,
  p: { from: number; to: number; seed: number; now: Date; sizes: BenchSizes },
): Promise<void> {
  const v = VOCABULARY.length;
  await pg.begin(async (tx) => {
    await tx`select setseed(${p.seed})`;
    // Status mix 15% open, 10% pending, 25% resolved, 50% closed. Open work is recent; closed
    // tickets spread over the year. About 30% of active tickets are past their due time.
    await tx.unsafe(
      `
      with w as (select $1::text[] as words),
      people as (
        select (select array_agg(id order by email) from users where role = 'customer') as customers,
               (select array_agg(id order by email) from users where role = 'agent') as agents
      ),
      r as (
        select i, random() as rs, random() as rt, random() as rp, random() as rsrc, random() as rage,
               random() as rcust, random() as rnull, random() as ragent, random() as rresp,
               random() as rclose, random() as rlast, random() as rdue, random() as rsubj
        from generate_series($2::int, $3::int) as g(i)
      ),
      d as (
        select r.*,
          case when rs < 0.15 then 'open' when rs < 0.25 then 'pending'
               when rs < 0.50 then 'resolved' else 'closed' end as status,
          case when rt < 0.30 then 1 when rt < 0.40 then 2 when rt < 0.60 then 12
               when rt < 0.80 then 11 else 10 end as topic
        from r
      ),
      e as (
        select d.*,
          case topic when 10 then 3 when 11 then 2 else 1 end as department_id,
          case topic when 10 then 2 else 1 end as sla_plan_id,
          case topic when 10 then 4 else 18 end as grace_hours,
          $4::timestamptz - case when status in ('open', 'pending') then rage * rage * 21
                                 else rage * 365 end * interval '1 day' as created_at
        from d
      ),
      f as (
        select e.*,
          case when status in ('resolved', 'closed')
               then least(created_at + (0.02 + rclose * rclose * 6) * interval '1 day', $4::timestamptz)
          end as closed_at
        from e
      ),
      g as (
        select f.*,
          case when status = 'open' and rresp < 0.5 then null
               else least(created_at + exp(ln(0.1) + rresp * ln(720)) * interval '1 hour',
                          coalesce(closed_at, $4::timestamptz))
          end as first_response_at
        from f
      ),
      h as (
        select g.*,
          coalesce(closed_at, greatest(coalesce(first_response_at, created_at),
                                       created_at + rlast * ($4::timestamptz - created_at))) as last_message_at
        from g
      )
      insert into tickets (number, subject, status, priority, source, department_id, help_topic_id,
                           sla_plan_id, customer_id, assignee_id, due_at, first_response_at,
                           last_message_at, created_at, updated_at, closed_at)
      select
        ${numberSql("h.i")},
        (array['Problem with', 'Question about', 'Error on', 'Cannot reach', 'Help with',
               'Urgent:', 'Request:', 'Re: our', 'Change to', 'Slow'])[1 + floor(rsubj * 10)::int]
          || ' ' || (select string_agg(${zipfWord(v)}, ' ')
                     from w, generate_series(1, 2 + h.i % 5)),
        status::ticket_status,
        (case when rp < 0.04 then 'emergency' when rp < 0.14 then 'high' when rp > 0.92 then 'low'
              when topic = 10 then 'high' when topic = 2 then 'low' else 'normal' end)::ticket_priority,
        (case when rsrc < 0.45 then 'email' when rsrc < 0.80 then 'web' when rsrc < 0.90 then 'api'
              when rsrc < 0.95 then 'staff' else 'phone' end)::ticket_source,
        department_id, topic, sla_plan_id,
        customers[1 + floor(power(rcust, 1.5) * array_length(customers, 1))::int],
        case when rnull < case status when 'open' then 0.35 when 'pending' then 0.10 else 0.03 end
             then null
             else agents[1 + floor(ragent * array_length(agents, 1))::int] end,
        case when status in ('open', 'pending')
             then $4::timestamptz + (rdue * 1.5 - 0.45) * grace_hours * interval '1 hour' end,
        first_response_at, last_message_at, created_at, last_message_at, closed_at
      from h, people`,
      [VOCABULARY, p.from, p.to, p.now],
    );
  });
}

/** The messages of tickets `from`–`to`: each ticket's opening message plus its share of the rest. */
async function insertMessages(
  pg: Sql,
  p: { from: number; to: number; seed: number; sizes: BenchSizes },
): Promise<void> {
  const v = VOCABULARY.length;
  const { tickets, messages } = p.sizes;
  const span = p.to - p.from + 1;
  const extra = (upTo: number) =>
    Math.floor(((messages - tickets) * upTo) / tickets);
  const count = span + extra(p.to) - extra(p.from - 1);
  await pg.begin(async (tx) => {
    await tx`select setseed(${p.seed})`;
    // Message m <= span opens ticket from + m - 1; the rest land on random tickets of the range: 45%
    // agent replies, 40% customer follow-ups, 15% internal notes. A few openings carry the rare word.
    await tx.unsafe(
      `
      with w as (select $1::text[] as words),
      people as (select array_agg(id order by email) as agents from users where role = 'agent'),
      r as (
        select m, case when m <= $3::int then $2::int + m - 1
                       else $2::int + floor(random() * $3::int)::int end as i,
               random() as rk, random() as rt, random() as ra
        from generate_series(1, $4::int) as g(m)
      ),
      x as (
        select r.*, t.id as ticket_id, t.customer_id, t.assignee_id,
               t.created_at as opened_at, t.last_message_at as last_at,
               case when m <= $3::int then 'customer' when rk < 0.45 then 'reply'
                    when rk < 0.85 then 'customer' else 'note' end as kind
        from r join tickets t on t.number = ${numberSql("r.i")}
      ),
      y as (
        select x.*,
          case when kind = 'customer' then customer_id
               else coalesce(assignee_id, agents[1 + floor(ra * array_length(agents, 1))::int]) end
            as author_id
        from x, people
      )
      insert into ticket_messages (ticket_id, kind, author_id, author_name, author_email, source,
                                   body_text, created_at)
      select y.ticket_id, y.kind::message_kind, y.author_id, u.name, u.email,
        (case when y.kind = 'customer' then 'email' else 'staff' end)::ticket_source,
        (select string_agg(${zipfWord(v)}, ' ') from w, generate_series(1, 12 + (y.m + y.i) % 40))
          || case when y.m <= $3::int and y.i % 25000 = 17 then ' ${RARE_QUERY}' else '' end,
        case when y.m <= $3::int then opened_at else opened_at + rt * (last_at - opened_at) end
      from y join users u on u.id = y.author_id`,
      [VOCABULARY, p.from, span, count],
    );
  });
}

/** Drops the non-unique indexes of `tables` and returns the statements that recreate them. */
async function dropIndexes(pg: Sql, tables: string[]): Promise<string[]> {
  const rows = await pg<Array<{ name: string; def: string }>>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class t on t.oid = i.indrelid
    where t.relname in ${pg(tables)} and not i.indisunique`;
  for (const row of rows) await pg.unsafe(`drop index ${row.name}`);
  return rows.map((r) => r.def);
}

async function inChunks(
  total: number,
  job: (from: number, to: number, seed: number) => Promise<void>,
): Promise<void> {
  const jobs: Array<() => Promise<void>> = [];
  for (let from = 1, k = 1; from <= total; from += CHUNK, k++) {
    const to = Math.min(total, from + CHUNK - 1);
    jobs.push(() => job(from, to, 1 / (k + 1)));
  }
  await pairwise(jobs);
}

/** Runs jobs two at a time: one per core of the machine the target is set for. */
async function pairwise(jobs: Array<() => Promise<unknown>>): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await next();
  };
  await Promise.all([worker(), worker()]);
}
