/** DHIS2 renders dates as `yyyy-MM-ddTHH:mm:ss.SSS` with no zone suffix (spec §1). */
export function dhis2Date(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
