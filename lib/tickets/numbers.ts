import { randomInt } from "node:crypto";

// osTicket's public ticket numbers: six random digits. Callers of the API check /^[0-9]{6}$/.
export const TICKET_NUMBER = /^[0-9]{6}$/;

export function randomTicketNumber(): string {
  return String(randomInt(100000, 1000000));
}
