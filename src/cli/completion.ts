// Shell completion. The scripts call back into `flux __complete <words...>`, which
// walks the same commander tree the CLI runs, so completions never go stale.
import type { Command } from "commander";
import type { Deps } from "../deps.js";
import { buildProgram, type CommandTree } from "./program.js";
import bashScript from "../../templates/completion/flux.bash.tmpl";
import zshScript from "../../templates/completion/flux.zsh.tmpl";
import fishScript from "../../templates/completion/flux.fish.tmpl";
import powershellScript from "../../templates/completion/flux.ps1.tmpl";

const SCRIPTS: Record<string, string> = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
  powershell: powershellScript,
};

export function completionScript(shell: string): string {
  const script = SCRIPTS[shell];
  if (script === undefined) throw new Error(`unsupported shell: ${shell}`);
  return script;
}

export interface CompletionOptions {
  shell: string;
}

export function runCompletion(options: CompletionOptions, deps: Deps): Promise<void> {
  deps.io.stdout.write(completionScript(options.shell));
  return Promise.resolve();
}

function flagNames(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) {
    for (const opt of c.options) {
      if (opt.hidden) continue;
      if (opt.long) names.push(opt.long);
    }
  }
  return names;
}

/** Candidates for the last (partial) word, given the words before it. */
export function completeWords(program: Command, words: string[]): string[] {
  const partial = words.at(-1) ?? "";
  let cmd = program;
  for (const word of words.slice(0, -1)) {
    if (word.startsWith("-")) continue;
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) cmd = sub;
  }
  if (partial.startsWith("-")) {
    return [...new Set(flagNames(cmd))].filter((f) => f.startsWith(partial)).sort();
  }
  return cmd.commands
    .filter((c) => !(c as unknown as { _hidden: boolean })._hidden)
    .flatMap((c) => [c.name()])
    .filter((n) => n.startsWith(partial))
    .sort();
}

export interface CompleteOptions {
  /** The words after `flux`, the last one partial. */
  words: string[];
  /** The whole command tree, to walk. */
  tree: CommandTree;
}

export function runComplete(options: CompleteOptions, deps: Deps): Promise<void> {
  const words = options.words.length === 0 ? [""] : options.words;
  for (const c of completeWords(buildProgram(options.tree, undefined, undefined, { plugins: true }), words))
    deps.io.stdout.write(c + "\n");
  return Promise.resolve();
}
