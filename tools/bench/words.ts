import "server-only";

// The vocabulary for generated subjects and messages, most frequent first. Words are drawn with a
// Zipf-like skew (rank k about as likely as 1/k), so a few words are in most tickets and the long
// tail is rare, as in real support mail. The tail is made-up words so searches for it are selective.

const COMMON = `
website email domain server error account password mailbox hosting access problem login page
invoice order payment backup working update support message issue settings request help today
customer database ssl certificate dns setup site change shop time upload files storage slow
configuration address migration renewal contract phone office wordpress plugin theme php version
folder inbox spam outlook thunderbird iphone android calendar contact forward alias quota full
limit exceeded timeout connection refused gateway upgrade downgrade plan price discount refund
cancel subscription billing card transfer bank reminder overdue receipt vat company name record
nameserver propagation redirect https http cache cdn image video download link broken missing
deleted restore snapshot cron job script python node java mysql postgres table query export import
csv report dashboard user admin permission role group team member invite reset token expired
secure firewall port blocked attack malware virus scan cleanup monitoring alert outage downtime
maintenance window schedule tomorrow morning evening weekend urgent asap quickly soon week month
year monday tuesday wednesday thursday friday saturday sunday january february march april may
june july august september october november december server2 staging production test development
deploy release rollback git repository branch commit ftp sftp ssh key certificate2 renewal2 vps
memory cpu disk space usage load traffic bandwidth visitors analytics seo google search ranking
shopify stripe checkout cart product catalogue stock shipping delivery tracking return warranty
mobile app browser chrome firefox safari edge windows mac linux ubuntu debian printer scanner
network wifi router vpn remote desktop laptop computer screen keyboard mouse license office365
teams zoom meeting call callback voicemail number sms notification newsletter campaign mailing list
unsubscribe bounce delivery2 relay smtp imap pop3 webmail signature autoreply vacation filter rule
sync synchronise duplicate conflict corrupted encoding attachment size pdf document spreadsheet
contract2 quote proposal offer trial extension migration2 transfer2 authorization code verification
two-factor authenticator recovery lockout unlock suspend suspended reactivate closed reopen thanks
`;

const SYLLABLES = [
  "ka",
  "lo",
  "mi",
  "ren",
  "tus",
  "vel",
  "dor",
  "qua",
  "zin",
  "bre",
  "sol",
  "phi",
  "gar",
  "nex",
  "tri",
  "mor",
  "lux",
  "fen",
  "ast",
  "ori",
  "cal",
  "dex",
  "yen",
  "hul",
  "pra",
  "sto",
  "wil",
  "jun",
  "ver",
  "obo",
];

/** Made-up tail words ("kalo", "mirentus", …), deterministic so every run has the same vocabulary. */
function tail(count: number): string[] {
  const out: string[] = [];
  const n = SYLLABLES.length;
  for (let i = 0; out.length < count; i++) {
    const a = SYLLABLES[i % n]!;
    const b = SYLLABLES[Math.floor(i / n) % n]!;
    const c = i >= n * n ? SYLLABLES[Math.floor(i / (n * n)) % n]! : "";
    out.push(a + b + c);
  }
  return out;
}

export const VOCABULARY: string[] = [
  ...new Set(COMMON.split(/\s+/).filter(Boolean)),
  ...tail(1700),
];

/** Rank 68: in roughly a quarter of the tickets' threads. */
export const COMMON_QUERY = "timeout";
/** Rank 14: in most threads, the worst case for a one-word search. */
export const VERY_COMMON_QUERY = "invoice";
/** Planted in the first message of a handful of tickets only. */
export const RARE_QUERY = "kerberos";
