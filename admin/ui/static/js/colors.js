// Run colors: stable per run name (a hash into a palette readable on both themes).
export const PALETTE = ["#e8590c", "#1c7ed6", "#2f9e44", "#ae3ec9", "#f08c00", "#0ca678",
                        "#d6336c", "#4263eb", "#74b816", "#7048e8", "#1098ad", "#c2255c",
                        "#5c940d", "#e67700", "#364fc7", "#099268"];

export function hash(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 16777619); }
  return h >>> 0;
}

// FNV-1a's low bits depend only on the characters' low bits (run ids of one project landed
// on one colour four times in five): mix the high bits in before taking the palette index.
function spread(h) {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function runColor(name) { return PALETTE[spread(hash(String(name))) % PALETTE.length]; }

// Groups and runsets have no stable name of their own: colour them by position.
export function indexColor(i) { return PALETTE[i % PALETTE.length]; }

export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
