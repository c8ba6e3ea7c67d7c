/*
 * Paging for the two endpoints whose response is one object rather than a
 * list (compare, a single commit): octokit.paginate's types assume a list, so
 * these follow GitHub's Link header by page number instead.
 */

export function hasNextPage(link: string | undefined): boolean {
  return link !== undefined && /rel="next"/.test(link);
}

/** Calls `fetchPage(1)`, `fetchPage(2)`… while GitHub's Link header names a next page, up to `maxPages`. */
export async function* pagesOf<T>(
  fetchPage: (page: number) => Promise<{ data: T; headers: { link?: string | undefined } }>,
  maxPages = 100,
): AsyncGenerator<T> {
  for (let page = 1; page <= maxPages; page++) {
    const response = await fetchPage(page);
    yield response.data;
    if (!hasNextPage(response.headers.link)) return;
  }
}
