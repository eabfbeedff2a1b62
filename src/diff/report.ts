// The end of every `flux diff` of objects (kustomization, helmrelease, refs): the
// report on stdout in the chosen format, then the exit code scripts test: 2 when
// something failed, 1 when something would change, 0 otherwise.
import type { Deps } from "../deps.js";
import { CliError } from "../errors.js";
import { colorEnabled } from "../output/logger.js";
import type { DIFF_FORMATS } from "../output/printers.js";
import type { DiffReport } from "./kustomization.js";
import { DEFAULT_WIDTH } from "./dyff.js";
import { ansiPalette, plainPalette, renderHuman, renderJson, renderMarkdown, type Palette } from "./render.js";

export const CHANGED_MESSAGE = "identified at least one change, exiting with non-zero exit code";

export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Colours for the human format on a colour terminal, none otherwise. */
export function paletteFor(output: DiffFormat, deps: Deps): Palette {
  return output === "human" && colorEnabled(deps.io.stdout) ? ansiPalette : plainPalette;
}

/** The width dyff lays blocks out in: the terminal's on a terminal, else 80 (gonvenience/term). */
export function reportWidth(deps: Deps): number {
  const out = deps.io.stdout as { isTTY?: boolean; columns?: number };
  return out.isTTY && out.columns && out.columns > 0 ? out.columns : DEFAULT_WIDTH;
}

/** Exit 1 with upstream's warning when the diff found changes. */
export function exitOnChanges(changed: boolean, deps: Deps): void {
  if (changed) {
    deps.logger.warning(CHANGED_MESSAGE);
    throw new CliError("", 1);
  }
}

/** Prints a kustomization or helmrelease diff report; errors exit 2, changes 1. */
export function writeDiffReport(report: DiffReport, output: DiffFormat, deps: Deps): void {
  deps.io.stdout.write(
    output === "json"
      ? renderJson(report)
      : output === "markdown"
        ? renderMarkdown(report)
        : renderHuman(report, paletteFor(output, deps), reportWidth(deps)),
  );
  if (report.errors.length > 0) throw new CliError(report.errors.join("\n"), 2);
  exitOnChanges(report.changed, deps);
}
