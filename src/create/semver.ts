// Validation of semver ranges (Masterminds/semver constraint syntax) for image policies.
import { CliError } from "../errors.js";

const VERSION = String.raw`v?(?:[0-9]+|[xX*])(?:\.(?:[0-9]+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?`;
const TERM = new RegExp(String.raw`^(?:(?:!=|>=|=>|<=|=<|~>|>|<|=|~|\^)\s*)?${VERSION}$`);
const HYPHEN = new RegExp(String.raw`^${VERSION}\s+-\s+${VERSION}$`);

export function isSemverRange(range: string): boolean {
  if (range.trim() === "") return false;
  for (const alt of range.split("||")) {
    const a = alt.trim();
    if (a === "") return false;
    if (HYPHEN.test(a)) continue;
    const terms = a
      .replace(/(!=|>=|=>|<=|=<|~>|>|<|=|~|\^)\s+/g, "$1")
      .split(/[\s,]+/)
      .filter((t) => t !== "");
    if (terms.length === 0 || !terms.every((t) => TERM.test(t))) return false;
  }
  return true;
}

export function validateSemverRange(range: string): void {
  if (!isSemverRange(range)) throw new CliError(`invalid semver range '${range}': improper constraint: ${range}`);
}
