// Prints the closing line CI reads, `N passed, N failed`, from vitest's JSON report.
import { existsSync, readFileSync } from "node:fs";

const file = process.argv[2] ?? "test-results.json";
if (!existsSync(file)) {
  console.log("0 passed, 1 failed");
  console.error(`no test report at ${file}: the test run did not finish`);
  process.exit(1);
}
const r = JSON.parse(readFileSync(file, "utf8"));
const failed = r.numFailedTests + countFilesThatFailedToRun(r);
console.log(`${r.numPassedTests} passed, ${failed} failed`);
process.exit(failed > 0 || !r.success ? 1 : 0);

// A test file that failed to load (or whose hooks failed) has no failed test of its
// own: count it once, so a broken file never reads as green.
function countFilesThatFailedToRun(report) {
  return (report.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((t) => t.status === "failed"),
  ).length;
}
