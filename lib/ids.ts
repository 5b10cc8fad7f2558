import { z } from "zod";

/** PostgreSQL's `integer`, the type of every serial id: past it no row exists, and a query fails. */
export const MAX_SERIAL_ID = 2_147_483_647;

/** A serial id, as a number. */
export const serialIdNumber = z.number().int().positive().max(MAX_SERIAL_ID);

/** A serial id as a form or a URL carries it. */
export const serialId = z.coerce.number().pipe(serialIdNumber);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a string is a UUID: checked before a uuid column is compared, since PostgreSQL rejects anything else. */
export const isUuid = (value: string): boolean => UUID.test(value);
