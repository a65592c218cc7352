// The filter rows of the runs table and the workspace sidebar: field, operator, value; the
// server evaluates them in the Public API's language (runs_query.mongoFilters).
import { el } from "./ui.js";
import { OPS } from "./runs_query.js";

// filters: the list edited in place ({field, op, value}); options(selected) -> <option>s;
// apply(): the filters changed and should run.
export function renderFilterEditor(popover, filters, options, apply) {
  const rerender = () => renderFilterEditor(popover, filters, options, apply);
  const rows = filters.map((f, i) => el("div", { class: "filter-row" },
    el("select", { "aria-label": "Field", onchange: (e) => { f.field = e.target.value; } }, options(f.field)),
    el("select", { "aria-label": "Operator", onchange: (e) => { f.op = e.target.value; } },
       OPS.map(([op, label]) => el("option", { value: op, selected: op === f.op, text: label }))),
    el("input", { type: "text", value: f.value, "aria-label": "Value", placeholder: "value",
                  oninput: (e) => { f.value = e.target.value; },
                  onkeydown: (e) => { if (e.key === "Enter") apply(); } }),
    el("button", { type: "button", class: "small ghost", "aria-label": "Remove filter",
                   onclick: () => { filters.splice(i, 1); rerender(); } }, "✕")));
  popover.replaceChildren(
    el("h3", { text: "Filters (evaluated by the server)" }),
    ...rows,
    rows.length ? null : el("p", { class: "muted", text: "No filters: all runs are shown." }),
    el("div", { class: "row" },
       el("button", { type: "button", class: "small", onclick: () => {
         filters.push({ field: "field:state", op: "$eq", value: "" }); rerender();
         popover.querySelector(".filter-row:last-of-type input")?.focus(); } }, "+ Add filter"),
       el("span", { class: "grow" }),
       el("button", { type: "button", class: "small", onclick: () => { filters.splice(0); apply(); } }, "Clear"),
       el("button", { type: "button", class: "small primary", onclick: apply }, "Apply")));
}
