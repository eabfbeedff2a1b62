// Prints the closing line CI reads, `N passed, N failed`, summed over vitest's JSON
// reports (one per Node version CI runs the suite on). A missing report counts as
// one failure: that run did not finish.
import { existsSync, readFileSync } from "node:fs";

const files = process.argv.length > 2 ? process.argv.slice(2) : ["test-results.json"];
let passed = 0;
let failed = 0;
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`no test report at ${file}: the test run did not finish`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, "utf8"));
  const fileFailed = r.numFailedTests + countFilesThatFailedToRun(r);
  if (files.length > 1) console.error(`${file}: ${r.numPassedTests} passed, ${fileFailed} failed`);
  passed += r.numPassedTests;
  failed += fileFailed + (fileFailed === 0 && !r.success ? 1 : 0);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

// A test file that failed to load (or whose hooks failed) has no failed test of its
// own: count it once, so a broken file never reads as green.
function countFilesThatFailedToRun(report) {
  return (report.testResults ?? []).filter(
    (f) => f.status === "failed" && !(f.assertionResults ?? []).some((t) => t.status === "failed"),
  ).length;
}
