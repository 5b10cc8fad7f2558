import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { setTestEnv } from "@/testing/env";

const NAME = "SHOP_CURRENCY";
const original = process.env[NAME];
afterEach(() => {
  if (original === undefined) delete process.env[NAME];
  else process.env[NAME] = original;
});

describe("setTestEnv", () => {
  it("sets the variables, env() reads them at once, and the returned function puts them back", () => {
    const restore = setTestEnv({ [NAME]: "chf" });
    expect(process.env[NAME]).toBe("chf");
    expect(env().shop.currency).toBe("CHF");
    restore();
    expect(process.env[NAME]).toBe(original);
    expect(env().shop.currency).not.toBe("CHF");
  });

  it("removes a variable given as undefined, and restores it after", () => {
    process.env[NAME] = "gbp";
    const restore = setTestEnv({ [NAME]: undefined });
    expect(NAME in process.env).toBe(false);
    restore();
    expect(process.env[NAME]).toBe("gbp");
  });
});
