/**
 * Event and enrollment dates as DHIS2 stores and renders them: `yyyy-MM-ddTHH:mm:ss.SSS`, no zone
 * (spec §1). A bare date is midnight; anything else Date.parse reads is converted to UTC.
 * Returns undefined for text that is not a date.
 */
export function storedDateTime(input: string | undefined): string | undefined {
  if (input === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(input)) return Number.isNaN(Date.parse(input)) ? undefined : `${input}T00:00:00.000`;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(input) ? input : `${input}Z`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString().slice(0, 23);
}

/** `java.util.Date#toString()` in UTC (the emulator's server time zone): `Mon Jan 01 00:00:00 UTC 2099`. */
export function javaDateString(ms: number): string {
  const d = new Date(ms);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${month} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
