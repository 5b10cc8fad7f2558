import { expect, test } from "@playwright/test";

// Load balancers poll this; it must answer without a session and say the database is reachable.
test("GET /api/health answers 200 with status ok", async ({ request }) => {
  const response = await request.get("/api/health");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(await response.json()).toMatchObject({
    status: "ok",
    database: { status: "ok" },
  });
});
