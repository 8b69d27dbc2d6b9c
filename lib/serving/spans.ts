/**
 * Sentence spans for Perspective's spanScores: contiguous [begin, end) ranges in UTF-16 code units (what
 * the spec says offsets are) that together cover the whole text, split after sentence-ending punctuation
 * or a line break. Whitespace between sentences belongs to the sentence before it, so no character is
 * left out and each span can be scored on its own.
 */
export type TSpan = { begin: number; end: number };

const BOUNDARY = /[.!?。！？]+["')\]]*\s+|\n+/g;

export function sentenceSpans(text: string): TSpan[] {
  const spans: TSpan[] = [];
  let begin = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index + match[0].length;
    if (end >= text.length) break;
    if (text.slice(begin, end).trim() !== "") {
      spans.push({ begin, end });
      begin = end;
    }
  }
  spans.push({ begin, end: text.length });
  return spans;
}
