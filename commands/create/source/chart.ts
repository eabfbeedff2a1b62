// flux create source chart
import type { Command } from "commander";
import { checkedFlag } from "../../../src/cli/flags.js";
import { localHelmChartSource } from "../../../src/util/flag-values.js";
import { bind, type Binding, type Invocation } from "../../../src/cli/action.js";
import type { CreateSourceChartOptions } from "../../../src/create/options.js";
import { createArgs, sourceOptions, str, verifyFlags, verifyOptions } from "../flags.js";

/** Flags to options: tested without running the engine. */
export function options(inv: Invocation): CreateSourceChartOptions {
  return {
    ...sourceOptions(inv),
    ...verifyOptions(inv),
    chart: inv.str("chart"),
    chartVersion: inv.str("chartVersion"),
    source: inv.str("source"),
    reconcileStrategy: inv.str("reconcileStrategy"),
  };
}

/** The mapper and the engine: commander's path binds them, and so does the hot path of `create …` (commands/create-hot.ts). */
export const binding: Binding<CreateSourceChartOptions> = {
  options,
  engine: async () => (await import("../../../src/create/sources.js")).runCreateSourceChart,
};

export function register(source: Command): void {
  const chart = source.command("chart").description("Create or update a HelmChart source");
  chart.summary("Create or update a HelmChart source");
  str(chart, "--chart <string>", "Helm chart name or path");
  str(
    chart,
    "--chart-version <string>",
    "Helm chart version, accepts a semver range (ignored for charts from GitRepository sources)",
  );
  checkedFlag(
    chart,
    "--source <helmChartSource>",
    "source that contains the chart in the format '<kind>/<name>', where kind must be one of: (HelmRepository, GitRepository, Bucket)",
    localHelmChartSource,
  );
  str(
    chart,
    "--reconcile-strategy <string>",
    "the reconcile strategy for helm chart (accepted values: Revision and ChartRevision)",
    "ChartVersion",
  );
  verifyFlags(chart);
  bind(createArgs(chart), binding);
}
