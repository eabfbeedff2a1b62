// What a command's mapper reads: positional arguments, flag values (its own and its
// parents') and the global flags. Free of commander, so the hot path of `create …`
// (src/cli/hot-line.ts) builds one from its own reading of the command line and runs
// the same mappers as commander's path (src/cli/action.ts).
import type { GlobalOptions } from "../deps.js";

export class Invocation {
  constructor(
    readonly args: string[],
    readonly globals: GlobalOptions,
    /** Flag values by camelCase name (as commander stores them); a command's own flag wins over a parent's. */
    private readonly values: Record<string, unknown>,
    /** Whether a flag was given on the command line (not a default). */
    private readonly givenOnLine: (name: string) => boolean,
  ) {}

  /** The raw value of a flag (camelCase name, as commander stores it). */
  value(name: string): unknown {
    return this.values[name];
  }

  /** A string flag; "" when unset. */
  str(name: string): string {
    const v = this.values[name];
    return typeof v === "string" ? v : "";
  }

  /** A string flag; undefined when unset (for flags whose presence matters). */
  opt(name: string): string | undefined {
    const v = this.values[name];
    return typeof v === "string" ? v : undefined;
  }

  /** A string slice/array flag; [] when unset. */
  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? (v as string[]) : [];
  }

  /** A string slice/array flag; undefined when unset. */
  listOpt(name: string): string[] | undefined {
    const v = this.values[name];
    return Array.isArray(v) ? (v as string[]) : undefined;
  }

  /** A boolean flag. */
  bool(name: string): boolean {
    return this.values[name] === true;
  }

  /** True when the flag was given on the command line (not a default). */
  given(name: string): boolean {
    return this.givenOnLine(name);
  }
}
