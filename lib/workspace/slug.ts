/** Workspace slugs: the `/w/<slug>` part of every URL. Lower-case letters, digits and single hyphens. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,39}$/;
export const SLUG_RULE = "1–40 lower-case letters, digits and single hyphens, starting with a letter or digit (e.g. game-chat-en)";
export const MAX_SLUG = 40;

/**
 * The slug a name suggests: accents dropped, lower case, every run of other characters one hyphen,
 * at most 40 characters. Empty when the name has no latin letter or digit (the caller asks for a slug).
 */
export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/, "");
}
