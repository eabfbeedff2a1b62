/** The API group of an apiVersion ("apps/v1" → "apps"; "v1", the core API, → ""). */
export function apiGroupOf(apiVersion: string | undefined): string {
  const v = apiVersion ?? "";
  const slash = v.indexOf("/");
  return slash < 0 ? "" : v.slice(0, slash);
}
