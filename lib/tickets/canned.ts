// Canned replies are plain text with {{variables}}. Pure, so the workspace can show them filled in.

export type CannedVariables = {
  customer: { name: string; email: string };
  ticket: { number: string; subject: string };
  agent: { name: string };
  /** Signatures may name the ticket's department. */
  department?: { name: string };
};

const VARIABLE = /\{\{\s*([a-z]+)\.([a-z]+)\s*\}\}/gi;

/** Fills known variables; unknown ones are left as written so the agent sees what's missing. */
export function renderCannedReply(body: string, vars: CannedVariables): string {
  return body.replace(VARIABLE, (whole, group: string, key: string) => {
    const section = (
      vars as Record<string, Record<string, string> | undefined>
    )[group.toLowerCase()];
    const value = section?.[key.toLowerCase()];
    return value ?? whole;
  });
}

export const CANNED_VARIABLES = [
  "{{customer.name}}",
  "{{customer.email}}",
  "{{ticket.number}}",
  "{{ticket.subject}}",
  "{{agent.name}}",
];
