// A report's blocks as DOM nodes. Everything a person wrote reaches the page as text
// (textContent, attributes), except Markdown, which markdown-it renders with raw HTML off and
// DOMPurify cleans, and LaTeX, which KaTeX builds as nodes. A block or panel type Roost does
// not render is shown as a named placeholder (and stays in the spec untouched).
import { el } from "./ui.js";

const markdown = window.markdownit({ html: false, linkify: true });
const SAFE_URL = /^(https?:|mailto:|\/(?!\/)|#)/i;

export function safeUrl(url) {
  return typeof url === "string" && SAFE_URL.test(url.trim()) ? url.trim() : null;
}

export function renderMarkdown(node, text) {
  node.classList.add("markdown");
  node.innerHTML = window.DOMPurify.sanitize(markdown.render(String(text || "")),
                                             { USE_PROFILES: { html: true } });
  for (const link of node.querySelectorAll("a[href]")) link.setAttribute("rel", "noopener noreferrer");
  return node;
}

export function renderLatex(node, source, display) {
  try {
    window.katex.render(String(source || ""), node, { displayMode: display, throwOnError: false });
  } catch (error) {
    node.replaceChildren(el("code", { text: String(source || "") }));
  }
  return node;
}

export function placeholder(kind, type, detail) {
  return el("div", { class: "report-placeholder", role: "note", dataset: { kept: type } },
    el("strong", { text: `${kind} “${type}”` }),
    ` is not shown by Roost; it is kept in the report unchanged.`,
    detail ? el("div", { class: "faint", text: detail }) : null);
}

// -- inline content (Slate children) ---------------------------------------------------------
export function plainText(children) {
  return (children || []).map((c) => (typeof c.text === "string" ? c.text
    : c.type === "latex" ? c.content || "" : plainText(c.children))).join("");
}

function leaf(node) {
  let out = document.createTextNode(node.text || "");
  if (node.inlineCode) out = el("code", {}, out);
  if (node.strong || node.bold) out = el("strong", {}, out);
  if (node.emphasis || node.italic) out = el("em", {}, out);
  if (node.underline) out = el("u", {}, out);
  if (node.strikethrough) out = el("s", {}, out);
  return out;
}

export function inline(children) {
  const nodes = [];
  for (const child of children || []) {
    if (!child || typeof child !== "object") continue;
    if (child.type === "link") {
      const href = safeUrl(child.url);
      nodes.push(href ? el("a", { href, rel: "noopener noreferrer" }, inline(child.children))
                      : el("span", {}, inline(child.children)));
    } else if (child.type === "latex") {
      nodes.push(renderLatex(el("span", { class: "inline-latex" }), child.content, false));
    } else if (typeof child.text === "string") {
      nodes.push(leaf(child));
    } else {
      nodes.push(el("span", {}, inline(child.children)));
    }
  }
  return nodes;
}

// -- blocks ----------------------------------------------------------------------------------
function listItems(block) {
  const ordered = block.ordered || (block.children || []).some((i) => i.ordered);
  const list = el(ordered ? "ol" : "ul", { class: "report-list" });
  for (const item of block.children || []) {
    const parts = [];
    for (const child of item.children || []) {
      if (child.type === "list") parts.push(listItems(child));
      else if (child.type === "paragraph") parts.push(el("span", {}, inline(child.children)));
      else parts.push(...inline([child]));
    }
    const checkable = item.checked !== undefined && item.checked !== null;
    list.append(el("li", { class: checkable ? "checkable" : null },
      checkable ? el("input", { type: "checkbox", disabled: true, checked: !!item.checked,
                                "aria-label": item.checked ? "done" : "not done" }) : null, parts));
  }
  return list;
}

function image(block) {
  const caption = plainText(block.children);
  const url = safeUrl(block.url);
  const figure = el("figure", { class: "report-image" });
  // The page's CSP loads images from this server only: others are offered as a link.
  if (url && (url.startsWith("/") || new URL(url, location.href).origin === location.origin)) {
    figure.append(el("img", { src: url, alt: caption || "image", loading: "lazy" }));
  } else if (url) {
    figure.append(el("a", { href: url, rel: "noopener noreferrer", class: "external-image" },
                     `Image from ${new URL(url).host} (opens the image)`));
  } else {
    figure.append(el("span", { class: "faint", text: "Image without a usable address" }));
  }
  if (caption) figure.append(el("figcaption", { text: caption }));
  return figure;
}

function code(block) {
  const text = (block.children || []).map((line) => plainText(line.children)).join("\n");
  return el("pre", { class: "report-code", dataset: { language: block.language || "" } },
            el("code", { text }));
}

export function renderBlock(block, path, ctx) {
  switch (block.type) {
    case "paragraph": case "default":
      return el("p", {}, inline(block.children));
    case "heading": {
      const level = Math.min(Math.max(Number(block.level) || 1, 1), 3);
      const heading = el(`h${level + 1}`, { class: "report-heading", id: `h-${path}` },
                         inline(block.children));
      ctx.headings.push({ level, id: `h-${path}`, text: plainText(block.children) });
      if (!block.collapsedChildren || !block.collapsedChildren.length) return heading;
      const inner = el("div", { class: "collapsed-children" });
      renderBlocks(inner, block.collapsedChildren, ctx, `${path}.`);
      return el("details", { class: "report-collapsed" }, el("summary", {}, heading), inner);
    }
    case "markdown-block":
      return renderMarkdown(el("div", { class: "report-markdown" }), block.content);
    case "code-block":
      return code(block);
    case "latex":
      return renderLatex(el("div", { class: "report-latex" }), block.content, true);
    case "list":
      return listItems(block);
    case "block-quote":
      return el("blockquote", {}, inline(block.children));
    case "callout-block":
      return el("div", { class: "report-callout", role: "note" },
                (block.children || []).map((line) => el("p", {}, inline(line.children))));
    case "horizontal-rule":
      return el("hr");
    case "image":
      return image(block);
    case "table-of-contents": {
      const node = el("nav", { class: "report-toc", "aria-label": "Table of contents" });
      ctx.tocs.push(node);
      return node;
    }
    case "panel-grid": {
      const node = el("div", { class: "panel-grid", dataset: { block: path } });
      ctx.grids.push({ node, block, path });
      return node;
    }
    case "video": {
      const url = safeUrl(block.url);
      return placeholder("Block", "video", url ? `Video: ${url}` : null);
    }
    default:
      return placeholder("Block", String(block.type || "unknown"));
  }
}

export function renderBlocks(container, blocks, ctx, prefix = "") {
  (blocks || []).forEach((block, i) => {
    if (!block || typeof block !== "object") return;
    container.append(renderBlock(block, `${prefix}${i}`, ctx));
  });
}

export function fillTocs(ctx) {
  for (const toc of ctx.tocs) {
    toc.replaceChildren(el("div", { class: "faint", text: "Contents" }),
      el("ol", {}, ctx.headings.map((h) => el("li", { class: `toc-${h.level}` },
        el("a", { href: `#${h.id}`, text: h.text || "(untitled)" })))));
  }
}

// Renders a whole spec; returns the context with the panel grids still to draw.
export function renderReport(container, spec) {
  const ctx = { headings: [], tocs: [], grids: [] };
  container.replaceChildren();
  renderBlocks(container, (spec && spec.blocks) || [], ctx);
  fillTocs(ctx);
  return ctx;
}
