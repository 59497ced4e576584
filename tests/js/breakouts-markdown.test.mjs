// The synthesis as markdown on the console and the projector (static/breakouts/markdown.js):
// markdown becomes a few elements, and whatever HTML a participant types stays text.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Markdown, markdownTree } from "../../static/breakouts/markdown.js";

const ALLOWED = new Set(["p", "strong", "em", "del", "code", "pre", "br", "hr", "ul", "ol", "li", "blockquote", "a", "span"]);

/** Every element of a tree (depth first) and every text, joined. */
function walk(items, elements = [], texts = []) {
  for (const item of items) {
    if (typeof item === "string") texts.push(item);
    else {
      elements.push(item);
      walk(item.children, elements, texts);
    }
  }
  return { elements, text: texts.join("") };
}

test("markdown becomes paragraphs, emphasis, lists, quotes and code", () => {
  const tree = markdownTree("# Findings\n\nLaws **exist** on *paper*.\n\n- budgets\n- consultation\n\n1. first\n\n> a quote\n\n`code`");
  const tags = walk(tree).elements.map((e) => e.tag);
  for (const tag of ["p", "strong", "em", "ul", "ol", "li", "blockquote", "code"]) assert.ok(tags.includes(tag), tag);
  assert.equal(tree[0].attrs.class, "bo-md-heading"); // a heading is a strong line, not an <h1> in the screen's outline
  assert.deepEqual(tree[2], { tag: "ul", attrs: null, children: [{ tag: "li", attrs: null, children: ["budgets"] }, { tag: "li", attrs: null, children: ["consultation"] }] });
});

test("a participant's HTML stays the characters they typed", () => {
  const source = "Hello <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick=\"x()\">div</div>\n\n**<b>bold</b>** & 1 < 2";
  const { elements, text } = walk(markdownTree(source));
  for (const element of elements) {
    assert.ok(ALLOWED.has(element.tag), element.tag);
    for (const name of Object.keys(element.attrs || {})) assert.ok(["href", "rel", "target", "class"].includes(name), name);
  }
  assert.ok(!elements.some((e) => ["script", "img", "div", "b"].includes(e.tag)));
  for (const typed of ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<div onclick=\"x()\">div</div>", "<b>bold</b>", "& 1 < 2"]) {
    assert.ok(text.includes(typed), typed);
  }
});

test("links only to the web or mail; an image is its description", () => {
  const { elements, text } = walk(markdownTree("[site](https://example.org) [bad](javascript:alert(1)) [data](data:text/html,x) ![a map](https://x.org/m.png)"));
  const links = elements.filter((e) => e.tag === "a");
  assert.deepEqual(links.map((e) => e.attrs.href), ["https://example.org"]);
  assert.equal(links[0].attrs.rel, "noopener noreferrer");
  assert.ok(text.includes("bad") && text.includes("data") && text.includes("a map"));
  assert.ok(!elements.some((e) => e.tag === "img"));
});

test("the component makes elements with text children, never raw HTML", () => {
  const vnode = Markdown({ text: "**hi** <img src=x onerror=alert(1)>", className: "bo-x" });
  assert.equal(vnode.props.class, "bo-x");
  const seen = [];
  const visit = (v) => {
    if (v === null || typeof v !== "object") return;
    assert.equal(v.props.dangerouslySetInnerHTML, undefined);
    seen.push(v.type);
    const kids = v.props.children;
    (Array.isArray(kids) ? kids : [kids]).forEach(visit);
  };
  visit(vnode);
  assert.deepEqual(seen, ["div", "p", "strong"]);
  assert.equal(markdownTree("").length, 0);
});
