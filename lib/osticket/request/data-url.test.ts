import { describe, expect, it } from "vitest";
import {
  decodeBase64,
  decodeText,
  encodeUtf8,
  parseDataUrl,
} from "@/lib/osticket/request/data-url";

describe("parseDataUrl", () => {
  it("is undefined for anything not starting with data:", () => {
    expect(parseDataUrl("hello")).toBeUndefined();
    expect(parseDataUrl("DATA:text/plain,x")).toBeUndefined();
  });

  it("reads the type, charset, base64 flag and payload", () => {
    expect(parseDataUrl("data:text/html;charset=utf-8;base64,PGI+")).toEqual({
      type: "text/html",
      charset: "utf-8",
      isBase64: true,
      payload: "PGI+",
    });
  });

  it("keeps the payload as sent, commas and percent signs included", () => {
    expect(parseDataUrl("data:,a,b%20c")).toEqual({
      type: "",
      charset: undefined,
      isBase64: false,
      payload: "a,b%20c",
    });
  });

  it("has an empty payload without a comma, and base64 only as a bare parameter", () => {
    expect(parseDataUrl("data:text/plain")?.payload).toBe("");
    expect(parseDataUrl("data:text/plain;base64=yes,x")?.isBase64).toBe(false);
    expect(parseDataUrl("data:text/plain; BASE64 ,x")?.isBase64).toBe(true);
  });
});

describe("decodeBase64", () => {
  it("decodes, ignoring whitespace", () => {
    expect(decodeBase64("aGVs\nbG8=")).toEqual(encodeUtf8("hello"));
  });

  it("is undefined for what is not base64", () => {
    expect(decodeBase64("not base64!")).toBeUndefined();
    expect(decodeBase64("abcde")).toBeUndefined();
  });
});

describe("decodeText", () => {
  it("decodes in the named charset, and as UTF-8 when the label is unknown", () => {
    expect(decodeText(Uint8Array.of(0xe9), "iso-8859-1")).toBe("é");
    expect(decodeText(encodeUtf8("é"), "no-such-charset")).toBe("é");
  });
});
