/**
 * `text` as a LIKE/ILIKE pattern that matches it literally: `%`, `_` and the escape character `\` (the
 * default ESCAPE of PostgreSQL) are escaped. Every pattern built from user text goes through this, or a
 * query for "_" matches every row.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

/** A LIKE pattern for values that contain `text` literally. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
