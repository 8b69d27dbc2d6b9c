/** The excerpt browser's filters, as they appear in its URL and its API query. */
export type TExcerptFilters = {
  q?: string;
  categoryId?: string;
  status?: "all" | "labelled" | "unlabelled";
  source?: "" | "text" | "voice";
  minScore?: string;
  maxScore?: string;
  from?: string;
  to?: string;
};

/** No filter: every excerpt, newest first. */
export const EMPTY_EXCERPT_FILTERS: Required<TExcerptFilters> = {
  q: "",
  categoryId: "",
  status: "all",
  source: "",
  minScore: "",
  maxScore: "",
  from: "",
  to: "",
};

type TQuery = Record<string, string | string[] | undefined>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? "";

/**
 * The /excerpts page's filters from its URL query (?q=noob&status=labelled…), so a search can be
 * bookmarked, shared and reloaded. Values the form cannot show are dropped rather than half-applied;
 * the API still validates whatever is sent.
 */
export function filtersFromQuery(query: TQuery): Required<TExcerptFilters> {
  const status = first(query.status);
  const source = first(query.source);
  const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  const isScore = (s: string) => s !== "" && Number(s) >= 0 && Number(s) <= 1;
  return {
    q: first(query.q).slice(0, 200),
    categoryId: /^\d+$/.test(first(query.categoryId)) ? first(query.categoryId) : "",
    status: status === "labelled" || status === "unlabelled" ? status : "all",
    source: source === "text" || source === "voice" ? source : "",
    minScore: isScore(first(query.minScore)) ? first(query.minScore) : "",
    maxScore: isScore(first(query.maxScore)) ? first(query.maxScore) : "",
    from: isDate(first(query.from)) ? first(query.from) : "",
    to: isDate(first(query.to)) ? first(query.to) : "",
  };
}

/** The URL query for these filters: only the ones set, in a fixed order ("" when none). */
export function queryFromFilters(filters: TExcerptFilters): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(EMPTY_EXCERPT_FILTERS) as (keyof TExcerptFilters)[]) {
    const value = filters[key]?.trim();
    if (value && value !== EMPTY_EXCERPT_FILTERS[key]) params.set(key, value);
  }
  return params.toString();
}
