/** Text into HTML/SVG/XML: every report is built from strings, so every interpolation goes through here. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** XML 1.0 forbids most control characters even when escaped; error messages may carry them. */
export function xmlText(value: unknown): string {
  // eslint-disable-next-line no-control-regex
  return esc(value).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD');
}
