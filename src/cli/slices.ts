// pflag's repeatable list flags, shared by commander's path (src/cli/flags.ts) and the
// hot path of `create …` (src/cli/hot-line.ts), which must not load commander.

/** pflag StringSlice: repeatable and comma separated. */
export function collectSlice(value: string, previous: string[] | undefined): string[] {
  const parts = value === "" ? [] : value.split(",");
  return [...(previous ?? []), ...parts];
}

/** pflag StringArray: repeatable, no splitting. */
export function collectArray(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
