// The runs table's columns and the query the server evaluates, as pure functions of the
// page's data (keys, fields) and the table's state (search, filters): the Public API's
// filter language (Mongo-style JSON) and order ("[+-]field").

export const OPS = [["$eq", "="], ["$ne", "≠"], ["$gt", ">"], ["$gte", "≥"], ["$lt", "<"],
             ["$lte", "≤"], ["$regex", "matches"], ["$in", "in (a,b)"], ["$exists", "exists"]];
export const FIELD_FILTERS = { state: "state", username: "username", group: "group",
                        job_type: "jobType", tags: "tags", created_at: "createdAt",
                        heartbeat_at: "heartbeatAt", host: "host", sweep: "sweep", notes: "notes" };

// The run fields, the config keys whose values differ between runs (then the others), and
// the first summary keys.
export function defaultColumns(data) {
  const varying = data.varying_keys || [];
  const config = [...varying, ...data.config_keys.filter((k) => !varying.includes(k))];
  return [...data.default_fields.map((f) => `field:${f}`),
          ...config.slice(0, 4).map((k) => `config:${k}`),
          ...data.summary_keys.slice(0, 5).map((k) => `summary:${k}`)];
}

export function allColumns(data) {
  return [...Object.keys(data.fields).map((f) => `field:${f}`),
          ...data.config_keys.map((k) => `config:${k}`),
          ...data.summary_keys.map((k) => `summary:${k}`)];
}

export function escapeRegex(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

export function parseValue(text) {
  const t = text.trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t === "null") return null;
  if (t !== "" && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

export function filterField(field) {
  const [kind, name] = splitColumn(field);
  if (kind === "config") return `config.${name}`;
  if (kind === "summary") return `summary_metrics.${name}`;
  return FIELD_FILTERS[name] || name;
}

export function mongoFilters(state, extra) {
  const parts = [];
  if (state.search.trim()) {
    const pattern = escapeRegex(state.search.trim());
    parts.push({ $or: [{ displayName: { $regex: pattern, $options: "i" } },
                       { name: { $regex: pattern, $options: "i" } }] });
  }
  for (const f of state.filters) {
    if (!f.field) continue;
    const field = filterField(f.field);
    let operand;
    if (f.op === "$exists") operand = f.value.trim() !== "false";
    else if (f.op === "$in") operand = f.value.split(",").map(parseValue);
    else if (f.op === "$regex") operand = f.value;
    else operand = parseValue(f.value);
    parts.push({ [field]: { [f.op]: operand } });
  }
  if (extra) parts.push(extra);
  if (!parts.length) return "";
  return JSON.stringify(parts.length === 1 ? parts[0] : { $and: parts });
}

export function splitColumn(column) {
  const at = column.indexOf(":");
  return [column.slice(0, at), column.slice(at + 1)];
}

export function columnLabel(data, column) {
  const [kind, name] = splitColumn(column);
  if (kind === "field") return (data.fields[name] || { label: name }).label;
  if (kind === "name") return "Name";
  return name;
}

export function columnOrder(data, column) {
  const [kind, name] = splitColumn(column);
  if (kind === "config") return `config.${name}`;
  if (kind === "summary") return `summary_metrics.${name}`;
  if (kind === "name") return "display_name";
  return (data.fields[name] || {}).order || "";
}
