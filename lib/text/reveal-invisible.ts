/**
 * Finds characters that change how text looks without being seen: bidirectional controls (an
 * "\u202Efdp.exe" shows as "exe.pdf"), zero-width characters that split a word a filter would have
 * caught, soft hyphens, tag characters that smuggle hidden text, invisible fillers. The moderator must
 * see what was really written, so each one becomes a visible marker; the stored text is never changed.
 *
 * Joiners are left alone where writing needs them: ZWJ inside emoji sequences (👨‍👩‍👧), ZWJ/ZWNJ
 * between letters of scripts that join (Persian, Hindi …), and tag characters inside a flag sequence
 * (🏴 + tags + cancel tag).
 */

export type TTextSegment = { kind: "text"; text: string } | { kind: "hidden"; codePoint: number; label: string; name: string };

const NAMED: Record<number, [label: string, name: string]> = {
  0x202a: ["LRE", "left-to-right embedding"],
  0x202b: ["RLE", "right-to-left embedding"],
  0x202c: ["PDF", "pop directional formatting"],
  0x202d: ["LRO", "left-to-right override"],
  0x202e: ["RLO", "right-to-left override"],
  0x2066: ["LRI", "left-to-right isolate"],
  0x2067: ["RLI", "right-to-left isolate"],
  0x2068: ["FSI", "first strong isolate"],
  0x2069: ["PDI", "pop directional isolate"],
  0x200e: ["LRM", "left-to-right mark"],
  0x200f: ["RLM", "right-to-left mark"],
  0x061c: ["ALM", "Arabic letter mark"],
  0x200b: ["ZWSP", "zero-width space"],
  0x200c: ["ZWNJ", "zero-width non-joiner"],
  0x200d: ["ZWJ", "zero-width joiner"],
  0x2060: ["WJ", "word joiner"],
  0xfeff: ["ZWNBSP", "zero-width no-break space"],
  0x180e: ["MVS", "Mongolian vowel separator"],
  0x00ad: ["SHY", "soft hyphen"],
  0x034f: ["CGJ", "combining grapheme joiner"],
  0x115f: ["FILLER", "Hangul choseong filler"],
  0x1160: ["FILLER", "Hangul jungseong filler"],
  0x3164: ["FILLER", "Hangul filler"],
  0xffa0: ["FILLER", "halfwidth Hangul filler"],
};

const FLAG_BASE = 0x1f3f4;
const CANCEL_TAG = 0xe007f;
const isTag = (cp: number) => cp >= 0xe0000 && cp <= 0xe007f;
const isPictographic = (ch: string | undefined) => ch !== undefined && /\p{Extended_Pictographic}/u.test(ch);
// letters of scripts where ZWJ/ZWNJ are part of correct spelling (not Latin, Greek or Cyrillic, where they never are)
const isJoiningScriptLetter = (ch: string | undefined) =>
  ch !== undefined && /[\p{L}\p{M}]/u.test(ch) && !/[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Common}]/u.test(ch);
// emoji modifiers and variation selectors sit between a pictograph and the joiner that follows it
const isEmojiModifier = (ch: string) => /[\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F]/u.test(ch);

function isHiddenCodePoint(cp: number, ch: string): boolean {
  if (cp in NAMED || isTag(cp)) return true;
  // other format characters (invisible operators, interlinear annotation, deprecated format controls …)
  // and control characters other than tab and line breaks
  if (/\p{Cf}/u.test(ch)) return true;
  return /\p{Cc}/u.test(ch) && ch !== "\n" && ch !== "\r" && ch !== "\t";
}

function isNeededHere(chars: readonly string[], i: number, cp: number): boolean {
  if (cp === 0x200d || cp === 0x200c) {
    let before = i - 1;
    while (before >= 0 && isEmojiModifier(chars[before]!)) before--;
    if (cp === 0x200d && isPictographic(chars[before]) && isPictographic(chars[i + 1])) return true;
    return isJoiningScriptLetter(chars[before]) && isJoiningScriptLetter(chars[i + 1]);
  }
  if (isTag(cp)) {
    // inside 🏴 tag… cancel-tag: walk back over tags to the flag, forward to the cancel tag
    let start = i;
    while (start > 0 && isTag(chars[start - 1]!.codePointAt(0)!)) start--;
    let end = i;
    while (end < chars.length - 1 && isTag(chars[end]!.codePointAt(0)!) && chars[end]!.codePointAt(0) !== CANCEL_TAG) end++;
    return chars[start - 1]?.codePointAt(0) === FLAG_BASE && chars[end]?.codePointAt(0) === CANCEL_TAG;
  }
  return false;
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

/** The text split into visible runs and hidden characters (in order; joining the runs' text and the hidden characters gives the input back). */
export function revealInvisible(text: string): TTextSegment[] {
  const segments: TTextSegment[] = [];
  // fast path: most excerpts have nothing to reveal
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each escape is one code point looked for on its own (U+034F is a combining mark)
  if (!/[\p{Cf}\p{Cc}\u034F\u115F\u1160\u3164\uFFA0]/u.test(text.replace(/[\n\r\t]/g, ""))) return text ? [{ kind: "text", text }] : [];
  const chars = Array.from(text);
  let run = "";
  chars.forEach((ch, i) => {
    const cp = ch.codePointAt(0)!;
    if (!isHiddenCodePoint(cp, ch) || isNeededHere(chars, i, cp)) {
      run += ch;
      return;
    }
    if (run) segments.push({ kind: "text", text: run });
    run = "";
    const [label, name] =
      NAMED[cp] ??
      (isTag(cp)
        ? ["TAG", `tag character${cp >= 0xe0020 && cp <= 0xe007e ? ` "${String.fromCodePoint(cp - 0xe0000)}"` : ""}`]
        : [hex(cp), "invisible character"]);
    segments.push({ kind: "hidden", codePoint: cp, label, name: `${hex(cp)} ${name}` });
  });
  if (run) segments.push({ kind: "text", text: run });
  return segments;
}

/** Whether the text holds anything revealInvisible would mark. */
export function hasHiddenCharacters(text: string): boolean {
  return revealInvisible(text).some((s) => s.kind === "hidden");
}
