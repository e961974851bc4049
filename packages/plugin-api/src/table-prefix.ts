/** Prefix every platform table, enum type, sequence and view carries. */
export const TABLE_PREFIX = 'ydtb_';
