/**
 * Telling an OWS document from a Weft flow, apart from converting it: the designer asks on every
 * keystroke and loads the converter (with the validator) only once a document needs it.
 */

/** True when the text is an OWS document (a top-level `document:` with `dsl:`). */
export function isOwsText(text: string): boolean {
  const t = text.trimStart();
  if (t.startsWith('{')) return /"document"\s*:\s*\{[^}]*"dsl"\s*:/.test(text.slice(0, 4096));
  // A Weft flow has no top-level `document` key (the schema refuses one), so this cannot misfire.
  return /^document\s*:/m.test(text) && /\bdsl\s*:/.test(text);
}
