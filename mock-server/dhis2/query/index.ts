/** Query-parameter parsing shared by the emulator's list endpoints. Transport-free, pure. */
export * from './errors.js';
export * from './params.js';
export * from './attribute-filter.js';
export { compareValues, parseDecimal } from './attribute-match.js';
export * from './metadata-filter.js';
export * from './fields.js';
export * from './paging.js';
export * from './pager.js';
export * from './order.js';
