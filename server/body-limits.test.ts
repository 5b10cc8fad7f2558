import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sessionCookie } from "@/lib/auth/options";
import { IMAGE_MAX_BYTES } from "@/lib/catalog/schemas";
import {
  bodyLimitFor,
  hasSessionCookie,
  isUploadFormPath,
  refuseBody,
  SMALL_BODY_BYTES,
} from "@/server/body-limits";
import { MAX_FILES_PER_MESSAGE } from "@/lib/tickets/attachments";
import {
  attachmentMaxMb,
  FILES_PER_MESSAGE,
  PRODUCT_IMAGE_MAX_BYTES,
  uploadFormBodyLimit,
} from "@/server/upload-limit";

const MB = 1024 * 1024;
const SESSION = "next-auth.session-token=eyJhbGciOiJkaXIifQ.a.b.c.d";

const post = (url: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  url,
  headers,
});

describe("the upload forms' limit", () => {
  it("holds a full set of attachments and the message", () => {
    expect(FILES_PER_MESSAGE).toBe(MAX_FILES_PER_MESSAGE);
    expect(PRODUCT_IMAGE_MAX_BYTES).toBe(IMAGE_MAX_BYTES);
    expect(uploadFormBodyLimit(10)).toBe(101 * MB);
    expect(uploadFormBodyLimit(0.5)).toBe(6 * MB);
  });

  it("always admits a product image", () => {
    expect(uploadFormBodyLimit(0.01)).toBeGreaterThan(IMAGE_MAX_BYTES);
  });

  it("reads ATTACHMENT_MAX_MB as the app does, with its default", () => {
    expect(attachmentMaxMb(undefined)).toBe(10);
    expect(attachmentMaxMb("")).toBe(10);
    expect(attachmentMaxMb("25")).toBe(25);
    expect(attachmentMaxMb("0.5")).toBe(0.5);
    expect(attachmentMaxMb("500")).toBe(10);
    expect(attachmentMaxMb("lots")).toBe(10);
  });
});

describe("hasSessionCookie", () => {
  it("finds the cookie the app signs people in with", () => {
    expect(hasSessionCookie(`${sessionCookie().name}=eyJhbGciOiJkaXIifQ`)).toBe(
      true,
    );
  });

  it("finds next-auth's session cookie, plain, secure or split", () => {
    expect(hasSessionCookie(SESSION)).toBe(true);
    expect(hasSessionCookie(`a=1; __Secure-${SESSION}`)).toBe(true);
    expect(
      hasSessionCookie(
        "next-auth.session-token.0=abc; next-auth.session-token.1=def",
      ),
    ).toBe(true);
  });

  it("ignores other cookies, empty values and look-alikes", () => {
    expect(hasSessionCookie(undefined)).toBe(false);
    expect(hasSessionCookie("next-auth.csrf-token=abc; cart=1")).toBe(false);
    expect(hasSessionCookie("next-auth.session-token=")).toBe(false);
    expect(hasSessionCookie("x-next-auth.session-token=abc")).toBe(false);
  });
});

describe("bodyLimitFor", () => {
  const upload = 101 * MB;

  it("gives signed-in posts to upload forms the upload limit", () => {
    for (const url of [
      "/tickets/new",
      "/tickets/ABC123",
      "/staff/tickets/123456?tab=thread",
      "/staff/settings/products/42",
    ])
      expect(bodyLimitFor(post(url, { cookie: SESSION }), upload), url).toBe(
        upload,
      );
  });

  it("gives anyone's post to the contact form the upload limit, and only a post", () => {
    expect(bodyLimitFor(post("/contact"), upload)).toBe(upload);
    expect(bodyLimitFor(post("/contact?x=1"), upload)).toBe(upload);
    expect(bodyLimitFor(post("/contact/more"), upload)).toBe(SMALL_BODY_BYTES);
    expect(
      bodyLimitFor({ method: "PUT", url: "/contact", headers: {} }, upload),
    ).toBe(SMALL_BODY_BYTES);
  });

  it("holds everything else to 1 MB: anonymous posts, other forms, other methods", () => {
    expect(bodyLimitFor(post("/tickets/new"), upload)).toBe(SMALL_BODY_BYTES);
    for (const url of [
      "/sign-in",
      "/sign-up",
      "/reset-password/abc",
      "/staff/settings/products/new",
      "/staff/settings/departments",
      "/api/auth/callback/credentials",
      "/api/webhooks/stripe",
    ])
      expect(bodyLimitFor(post(url, { cookie: SESSION }), upload), url).toBe(
        SMALL_BODY_BYTES,
      );
    expect(
      bodyLimitFor(
        { method: "PUT", url: "/tickets/1", headers: { cookie: SESSION } },
        upload,
      ),
    ).toBe(SMALL_BODY_BYTES);
  });

  it("leaves the osTicket API to its own limit", () => {
    expect(bodyLimitFor(post("/api/tickets.json"), upload)).toBeNull();
    expect(
      bodyLimitFor(post("/api/http.php/tickets.email"), upload),
    ).toBeNull();
  });
});

describe("refuseBody", () => {
  const upload = 101 * MB;

  it("lets a declared body within the limit through, and one without a body", () => {
    expect(
      refuseBody(post("/sign-in", { "content-length": String(MB) }), upload),
    ).toBeNull();
    expect(
      refuseBody({ method: "GET", url: "/", headers: {} }, upload),
    ).toBeNull();
  });

  it("answers 413 past the limit, naming it", () => {
    expect(
      refuseBody(
        post("/sign-in", { "content-length": String(MB + 1) }),
        upload,
      ),
    ).toEqual({
      status: 413,
      message: "Request body too large: at most 1 MB here.\n",
    });
  });

  it("answers 411 to a body of unknown length", () => {
    expect(
      refuseBody(post("/sign-in", { "transfer-encoding": "chunked" }), upload)
        ?.status,
    ).toBe(411);
  });

  it("never refuses the osTicket API's requests itself", () => {
    expect(
      refuseBody(
        post("/api/tickets.json", { "transfer-encoding": "chunked" }),
        upload,
      ),
    ).toBeNull();
  });
});

// The list of upload forms must follow the app: every page that renders a file input, and no other,
// takes large posts.
describe("the upload form paths", () => {
  const root = path.resolve(__dirname, "..");

  function resolveImport(from: string, spec: string): string | null {
    const base = spec.startsWith("@/")
      ? path.join(root, spec.slice(2))
      : path.resolve(path.dirname(from), spec);
    for (const file of [
      `${base}.tsx`,
      `${base}.ts`,
      path.join(base, "index.tsx"),
    ])
      if (fs.existsSync(file)) return file;
    return null;
  }

  function rendersFileInput(file: string, seen = new Set<string>()): boolean {
    if (seen.has(file)) return false;
    seen.add(file);
    const source = fs.readFileSync(file, "utf8");
    if (/type="file"/.test(source)) return true;
    for (const [, spec] of source.matchAll(/from "([^"]+)"/g)) {
      if (!/^(\.|@\/components\/|@\/app\/)/.test(spec!)) continue;
      const target = resolveImport(file, spec!);
      if (target && rendersFileInput(target, seen)) return true;
    }
    return false;
  }

  const pages = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return pages(full);
      return entry.name === "page.tsx" ? [full] : [];
    });

  const urlOf = (page: string) =>
    "/" +
    path
      .relative(path.join(root, "app"), path.dirname(page))
      .split(path.sep)
      .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
      .map((segment) => (/^\[.*\]$/.test(segment) ? "123" : segment))
      .join("/");

  it("are exactly the pages with a file input", () => {
    const all = pages(path.join(root, "app"));
    const uploads = all.filter((page) => rendersFileInput(page)).map(urlOf);
    expect(uploads.length).toBeGreaterThanOrEqual(4);
    for (const page of all) {
      const url = urlOf(page);
      expect(isUploadFormPath(url), url).toBe(uploads.includes(url));
    }
  });
});
