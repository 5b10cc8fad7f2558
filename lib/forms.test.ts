import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  echoedChecked,
  echoedList,
  echoedValue,
  formFailure,
  initialFormState,
  parseForm,
} from "@/lib/forms";
import { form } from "@/testing/form-data";

const schema = z.object({
  email: z.email("Enter a valid email address."),
  age: z.coerce.number().int().min(18, "Too young."),
});

describe("parseForm", () => {
  it("coerces form strings through the schema", () => {
    expect(parseForm(schema, form({ email: "a@b.co", age: "42" }))).toEqual({
      ok: true,
      value: { email: "a@b.co", age: 42 },
    });
  });

  it("returns every field's messages", () => {
    const r = parseForm(schema, form({ email: "nope", age: "3" }));
    expect(r.ok ? null : r.error.fields).toEqual({
      email: ["Enter a valid email address."],
      age: ["Too young."],
    });
  });

  it("makes text storable, but passes secrets through exactly as typed", () => {
    const texts = z.object({ subject: z.string(), password: z.string() });
    expect(
      parseForm(
        texts,
        form({ subject: "Disk\u0000full \ud800", password: "p\u0000ss" }),
      ),
    ).toEqual({
      ok: true,
      value: { subject: "Disk\ufffdfull \ufffd", password: "p\u0000ss" },
    });
  });
});

describe("formFailure", () => {
  it("echoes what the user typed but never a password, its confirmation or a token", () => {
    const state = formFailure(
      { code: "invalid_input", message: "Fix it" },
      form({
        name: "Ann",
        email: "ann@example.com",
        password: "hunter2hunter2",
        confirm: "x",
        token: "abc",
        $ACTION_ID_1: "",
      }),
    );
    expect(state.values).toEqual({
      name: "Ann",
      email: "ann@example.com",
    });
  });
});

describe("echoed values", () => {
  const failed = (entries: Array<[string, string]>) => {
    const f = new FormData();
    for (const [k, v] of entries) f.append(k, v);
    return formFailure({ code: "invalid_input", message: "Fix it" }, f);
  };

  it("keep every ticked box of a group, and none when none was ticked", () => {
    const many = failed([
      ["name", "Ann"],
      ["departmentIds", "1"],
      ["departmentIds", "3"],
    ]);
    expect(echoedList(many, "departmentIds")).toEqual(["1", "3"]);
    expect(
      echoedList(failed([["departmentIds", "2"]]), "departmentIds"),
    ).toEqual(["2"]);
    expect(echoedList(failed([["name", "Ann"]]), "departmentIds")).toEqual([]);
  });

  it("fall back to the saved value when nothing was echoed", () => {
    expect(echoedList(initialFormState, "departmentIds")).toBeUndefined();
    expect(echoedValue(initialFormState, "name", "Saved")).toBe("Saved");
    expect(echoedChecked(initialFormState, "isActive", true)).toBe(true);
    const state = failed([["name", "Typed"]]);
    expect(echoedValue(state, "name", "Saved")).toBe("Typed");
    // An unticked box sends nothing, so after a failed submit it shows unticked.
    expect(echoedChecked(state, "isActive", true)).toBe(false);
  });
});
