// The report editor's text form: blocks <-> Markdown. Blocks Markdown cannot express (panel
// grids, embeds, headings with collapsed blocks, unknown types) become a line
// "[[keep N: what]]" that stands for the original block, which is put back as it was.
const parser = window.markdownit({ html: false, linkify: false });
const LANGUAGES = new Set(["javascript", "python", "css", "json", "html", "markdown", "yaml"]);
const KEEP = /^\[\[keep (\d+)(?::[^\]]*)?\]\]$/;
const SPECIAL = /([\\*_`[\]$~])/g;

// -- blocks to Markdown ----------------------------------------------------------------------
function escapeText(text) { return String(text).replace(SPECIAL, "\\$1"); }

function fenceFor(text) {
  const longest = Math.max(2, ...(String(text).match(/`+/g) || []).map((run) => run.length));
  return "`".repeat(longest + 1);
}

export function inlineToMarkdown(children) {
  return (children || []).map((child) => {
    if (!child || typeof child !== "object") return "";
    if (child.type === "link") return `[${inlineToMarkdown(child.children)}](${child.url || ""})`;
    if (child.type === "latex") return `$${child.content || ""}$`;
    if (typeof child.text !== "string") return inlineToMarkdown(child.children);
    if (!child.text) return "";
    if (child.inlineCode) return `\`${child.text}\``;
    let text = escapeText(child.text).replace(/\n/g, "  \n");
    if (child.strikethrough) text = `~~${text}~~`;
    if (child.emphasis || child.italic) text = `*${text}*`;
    if (child.strong || child.bold) text = `**${text}**`;
    return text;
  }).join("");
}

function listToMarkdown(block, indent) {
  const ordered = block.ordered || (block.children || []).some((i) => i.ordered);
  const lines = [];
  (block.children || []).forEach((item, n) => {
    const marker = ordered ? `${n + 1}. ` : "- ";
    const check = item.checked === true ? "[x] " : item.checked === false ? "[ ] " : "";
    const text = [], nested = [];
    for (const child of item.children || []) {
      if (child.type === "list") nested.push(listToMarkdown(child, indent + " ".repeat(marker.length)));
      else if (child.type === "paragraph") text.push(inlineToMarkdown(child.children));
      else text.push(inlineToMarkdown([child]));
    }
    lines.push(`${indent}${marker}${check}${text.join(" ")}`, ...nested);
  });
  return lines.join("\n");
}

function describe(block) {
  if (block.type === "panel-grid") {
    const panels = (((block.metadata || {}).panelBankSectionConfig || {}).panels || []).length;
    return `panel grid, ${panels} panel${panels === 1 ? "" : "s"}`;
  }
  if (block.type === "heading") return `heading “${inlineToMarkdown(block.children)}” with collapsed blocks`;
  return String(block.type || "unknown");
}

export function blocksToMarkdown(blocks) {
  const parts = [];
  (blocks || []).forEach((block, index) => {
    if (!block || typeof block !== "object") return;
    switch (block.type) {
      case "paragraph": case "default": {
        const text = inlineToMarkdown(block.children);
        if (text.trim()) parts.push(text);
        return;
      }
      case "heading":
        if (!block.collapsedChildren || !block.collapsedChildren.length) {
          parts.push(`${"#".repeat(Math.min(Math.max(block.level || 1, 1), 3))} ${inlineToMarkdown(block.children)}`);
          return;
        }
        break;
      case "markdown-block": {
        const fence = fenceFor(block.content || "");
        parts.push(`${fence}markdown\n${block.content || ""}\n${fence}`);
        return;
      }
      case "code-block": {
        const text = (block.children || []).map((line) => (line.children || []).map((c) => c.text || "").join("")).join("\n");
        const fence = fenceFor(text);
        parts.push(`${fence}${block.language || ""}\n${text}\n${fence}`);
        return;
      }
      case "latex":
        parts.push(`$$\n${block.content || ""}\n$$`);
        return;
      case "list":
        parts.push(listToMarkdown(block, ""));
        return;
      case "block-quote":
        parts.push(inlineToMarkdown(block.children).split("\n").map((l) => `> ${l}`).join("\n"));
        return;
      case "callout-block":
        parts.push((block.children || []).map((line, i) => `> ${i ? "" : "[!note] "}${inlineToMarkdown(line.children)}`).join("\n>\n"));
        return;
      case "horizontal-rule":
        parts.push("---");
        return;
      case "image":
        parts.push(`![${inlineToMarkdown(block.children)}](${block.url || ""})`);
        return;
      case "table-of-contents":
        parts.push("[[toc]]");
        return;
      default:
        break;
    }
    parts.push(`[[keep ${index}: ${describe(block)}]]`);
  });
  return parts.join("\n\n") + "\n";
}

// -- Markdown to blocks ----------------------------------------------------------------------
function splitLatex(text, marks) {
  const out = [];
  const pattern = /\$([^$\n]+)\$/g;
  let last = 0, found;
  while ((found = pattern.exec(text))) {
    if (found.index > last) out.push({ text: text.slice(last, found.index), ...marks });
    out.push({ type: "latex", children: [{ text: "" }], content: found[1] });
    last = pattern.lastIndex;
  }
  if (last < text.length) out.push({ text: text.slice(last), ...marks });
  return out;
}

export function inlineTokens(tokens) {
  const out = [];
  const marks = {};
  let link = null;
  const push = (nodes) => { if (link) link.children.push(...nodes); else out.push(...nodes); };
  for (const token of tokens || []) {
    switch (token.type) {
      case "text": push(link ? [{ text: token.content, ...marks }] : splitLatex(token.content, { ...marks })); break;
      case "code_inline": push([{ text: token.content, inlineCode: true }]); break;
      case "softbreak": case "hardbreak": push([{ text: "\n" }]); break;
      case "strong_open": marks.strong = true; break;
      case "strong_close": delete marks.strong; break;
      case "em_open": marks.emphasis = true; break;
      case "em_close": delete marks.emphasis; break;
      case "s_open": marks.strikethrough = true; break;
      case "s_close": delete marks.strikethrough; break;
      case "link_open": link = { type: "link", url: token.attrGet("href") || "", children: [] }; break;
      case "link_close": if (link) { if (!link.children.length) link.children.push({ text: "" }); out.push(link); } link = null; break;
      case "image": push([{ type: "link", url: token.attrGet("src") || "", children: [{ text: token.content || "image" }] }]); break;
      default: if (token.content) push([{ text: token.content, ...marks }]);
    }
  }
  const merged = out.filter((n) => n.type || n.text !== "");
  return merged.length ? merged : [{ text: "" }];
}

function closing(tokens, start) {
  // The index of the token closing tokens[start] (same nesting level).
  const level = tokens[start].level;
  for (let i = start + 1; i < tokens.length; i++) {
    if (tokens[i].level === level && tokens[i].nesting === -1) return i;
  }
  return tokens.length - 1;
}

function listBlock(tokens, start, end) {
  const ordered = tokens[start].type === "ordered_list_open";
  const items = [];
  for (let i = start + 1; i < end; i++) {
    if (tokens[i].type !== "list_item_open") continue;
    const itemEnd = closing(tokens, i);
    const item = { type: "list-item", children: [] };
    for (let j = i + 1; j < itemEnd; j++) {
      const token = tokens[j];
      if (token.type === "inline") {
        let children = inlineTokens(token.children);
        const first = children[0];
        const task = first && typeof first.text === "string" && /^\[( |x|X)\] /.exec(first.text);
        if (task && item.children.length === 0) {
          item.checked = task[1] !== " ";
          children = [{ ...first, text: first.text.slice(4) }, ...children.slice(1)];
        }
        item.children.push({ type: "paragraph", children });
      } else if (token.type === "bullet_list_open" || token.type === "ordered_list_open") {
        const nestedEnd = closing(tokens, j);
        item.children.push(listBlock(tokens, j, nestedEnd));
        j = nestedEnd;
      }
    }
    if (ordered) item.ordered = true;
    if (!item.children.length) item.children.push({ type: "paragraph", children: [{ text: "" }] });
    items.push(item);
    i = itemEnd;
  }
  return ordered ? { type: "list", children: items, ordered: true } : { type: "list", children: items };
}

function quoteBlock(tokens, start, end) {
  const lines = [];
  for (let i = start + 1; i < end; i++) if (tokens[i].type === "inline") lines.push(inlineTokens(tokens[i].children));
  const first = lines[0] && lines[0][0];
  const callout = first && typeof first.text === "string" && /^\[!\w+\]\s*/.exec(first.text);
  if (callout) {
    lines[0] = [{ ...first, text: first.text.slice(callout[0].length) }, ...lines[0].slice(1)];
    return { type: "callout-block", children: lines.map((children) => ({ type: "callout-line", children })) };
  }
  const children = lines.flatMap((line, i) => (i ? [{ text: "\n" }, ...line] : line));
  return { type: "block-quote", children: children.length ? children : [{ text: "" }] };
}

function fenceBlock(token) {
  const info = (token.info || "").trim().split(/\s+/)[0].toLowerCase();
  const content = token.content.replace(/\n$/, "");
  if (["latex", "math", "tex", "katex"].includes(info)) return { type: "latex", children: [{ text: "" }], content, block: true };
  if (info === "markdown" || info === "md") return { type: "markdown-block", children: [{ text: "" }], content };
  const language = LANGUAGES.has(info) ? info : null;
  return { type: "code-block", language,
           children: [{ type: "code-line", children: [{ text: content }], language }] };
}

function paragraphBlock(inline, kept) {
  const source = inline.content.trim();
  const keep = KEEP.exec(source);
  if (keep) return kept[Number(keep[1])] || null;
  if (source === "[[toc]]") return { type: "table-of-contents", children: [{ text: "" }] };
  const latex = /^\$\$([\s\S]*)\$\$$/.exec(source);
  if (latex) return { type: "latex", children: [{ text: "" }], content: latex[1].trim(), block: true };
  const only = (inline.children || []).filter((t) => !(t.type === "text" && !t.content.trim()));
  if (only.length === 1 && only[0].type === "image") {
    const caption = only[0].content || "";
    return { type: "image", children: [{ text: caption }], url: only[0].attrGet("src") || "", hasCaption: !!caption };
  }
  return { type: "paragraph", children: inlineTokens(inline.children) };
}

// ``kept``: the original blocks, by the index their "[[keep N]]" line names.
export function markdownToBlocks(text, kept) {
  const lines = String(text || "").split("\n");
  const tokens = parser.parse(String(text || ""), {});
  const blocks = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.type === "heading_open") {
      const level = Math.min(Number(token.tag.slice(1)), 3);
      blocks.push({ type: "heading", children: inlineTokens(tokens[i + 1].children), level });
      i = closing(tokens, i);
    } else if (token.type === "paragraph_open") {
      const block = paragraphBlock(tokens[i + 1], kept || []);
      if (block) blocks.push(block);
      i = closing(tokens, i);
    } else if (token.type === "bullet_list_open" || token.type === "ordered_list_open") {
      const end = closing(tokens, i);
      blocks.push(listBlock(tokens, i, end));
      i = end;
    } else if (token.type === "blockquote_open") {
      const end = closing(tokens, i);
      blocks.push(quoteBlock(tokens, i, end));
      i = end;
    } else if (token.type === "fence" || token.type === "code_block") {
      blocks.push(fenceBlock(token));
    } else if (token.type === "hr") {
      blocks.push({ type: "horizontal-rule", children: [{ text: "" }] });
    } else if (token.nesting >= 0 && token.map) {
      // Anything else (tables, ...): kept as a Markdown block of its source lines.
      const end = token.nesting === 1 ? closing(tokens, i) : i;
      blocks.push({ type: "markdown-block", children: [{ text: "" }],
                    content: lines.slice(token.map[0], token.map[1]).join("\n") });
      i = end;
    }
  }
  return blocks;
}
