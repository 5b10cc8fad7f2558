import { describe, expect, it } from "vitest";
import { hasMarkupDeclaration } from "@/lib/osticket/xml-declarations";

describe("markup declarations in an API document", () => {
  it.each([
    '<!DOCTYPE ticket [<!ENTITY x SYSTEM "file:///etc/passwd">]><ticket/>',
    "\ufeff<?xml version='1.0'?><!doctype ticket><ticket/>",
    "<ticket><!DOCTYPE t></ticket>",
    "<ticket/><!DOCTYPE t>",
    '<!-- x --><!ENTITY a "b"><ticket/>',
    "<ticket><![CDATA[fine]]><!ELEMENT t ANY></ticket>",
  ])("are found in %j", (xml) => {
    expect(hasMarkupDeclaration(xml)).toBe(true);
    expect(hasMarkupDeclaration(new TextEncoder().encode(xml))).toBe(true);
  });

  it.each([
    "<ticket><subject>x</subject></ticket>",
    '<?xml version="1.0"?><!-- <!DOCTYPE in a comment> --><ticket/>',
    "<ticket><message><![CDATA[<!DOCTYPE html><p>Hi</p>]]></message></ticket>",
    "<ticket><message><![CDATA[unclosed <!DOCTYPE",
    "",
  ])("are not found in %j", (xml) => {
    expect(hasMarkupDeclaration(xml)).toBe(false);
  });
});
