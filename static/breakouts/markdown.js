// A group's synthesis (markdown) on the console and the projector. `marked` only reads the
// markdown into tokens; the tree is built here from a short list of elements and every
// text goes in as a text node, so nothing a participant writes becomes HTML: a `<script>`
// or an `<img onerror>` shows as the characters typed, a link is a link only to http(s)
// or mailto, an image is its description. Not on the phone: the phone's page budget
// (tests/browser/test_phone_weight.py) has no room for a markdown parser, so a phone
// shows the synthesis as typed. Tests: tests/js/breakouts-markdown.test.mjs.
import { Lexer } from "marked";
import { h } from "preact";

const SAFE_LINK = /^(https?:|mailto:)/i;
const BLOCKS = { paragraph: "p", blockquote: "blockquote", hr: "hr" };
const INLINE = { strong: "strong", em: "em", del: "del", codespan: "code", br: "br" };

// marked leaves a few characters as HTML entities in the tokens' text; a text node wants them back.
const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const decode = (value) => String(value).replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]);

const node = (tag, children, attrs) => ({ tag, attrs: attrs || null, children });

function inline(tokens) {
  const out = [];
  for (const token of tokens || []) {
    if (INLINE[token.type]) {
      out.push(node(INLINE[token.type], token.type === "br" ? [] : token.type === "codespan" ? [decode(token.text)] : inline(token.tokens)));
    } else if (token.type === "link") {
      const children = inline(token.tokens);
      out.push(SAFE_LINK.test(token.href || "") ? node("a", children, { href: token.href, rel: "noopener noreferrer", target: "_blank" }) : node("span", children));
    } else if (token.type === "image") {
      out.push(decode(token.text || ""));
    } else if (token.type === "text" && token.tokens) {
      out.push(...inline(token.tokens));
    } else if (token.type === "text" || token.type === "escape") {
      out.push(decode(token.text));
    } else {
      // html and anything else: the characters as typed
      out.push(token.raw || "");
    }
  }
  return out;
}

function blocks(tokens) {
  const out = [];
  for (const token of tokens || []) {
    if (token.type === "space") continue;
    if (token.type === "heading") {
      // Not a page heading: the screens' outline stays theirs (a strong line instead).
      out.push(node("p", [node("strong", inline(token.tokens))], { class: "bo-md-heading" }));
    } else if (token.type === "list") {
      out.push(node(token.ordered ? "ol" : "ul", token.items.map((item) => node("li", blocks(item.tokens)))));
    } else if (token.type === "code") {
      out.push(node("pre", [node("code", [token.text])]));
    } else if (token.type === "text") {
      // a tight list item's text
      out.push(...inline(token.tokens || [token]));
    } else if (token.type === "hr") {
      out.push(node("hr", []));
    } else if (BLOCKS[token.type]) {
      out.push(node(BLOCKS[token.type], token.type === "blockquote" ? blocks(token.tokens) : inline(token.tokens)));
    } else {
      // html, tables and anything else: a paragraph of the characters as typed
      out.push(node("p", [(token.raw || "").replace(/\n+$/, "")]));
    }
  }
  return out;
}

/** The markdown as a tree of {tag, attrs, children} (children: trees or strings). */
export function markdownTree(source) {
  return blocks(new Lexer({ gfm: true, breaks: true }).lex(String(source || "")));
}

function toVnode(item, key) {
  if (typeof item === "string") return item;
  const attrs = { key, ...(item.attrs || {}) };
  if (item.tag === "hr" || item.tag === "br") return h(item.tag, attrs);
  return h(item.tag, attrs, item.children.map(toVnode));
}

/** The synthesis as Preact elements (text nodes only), in a div of `className`. */
export function Markdown({ text, className }) {
  return h("div", { class: className || "bo-md" }, markdownTree(text).map(toVnode));
}
