// Shell completion. The scripts call back into `flux __complete <words...>`, which
// walks the same commander tree the CLI runs, so completions never go stale.
import type { Command } from "commander";
import type { Deps } from "../deps.js";
import { buildProgram, type CommandTree } from "./program.js";

const SCRIPTS: Record<string, string> = {
  bash: `# bash completion for flux                                -*- shell-script -*-
_flux_complete() {
    local cur="\${COMP_WORDS[COMP_CWORD]}"
    local IFS=$'\\n'
    local candidates
    candidates=$(flux __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
    COMPREPLY=( $(compgen -W "\${candidates}" -- "\${cur}") )
}
complete -o default -F _flux_complete flux
`,
  zsh: `#compdef flux
compdef _flux flux
_flux() {
  local -a candidates
  candidates=(\${(f)"$(flux __complete \${words[2,CURRENT]} 2>/dev/null)"})
  compadd -a candidates
}
if [ "$funcstack[1]" = "_flux" ]; then
  _flux "$@"
fi
`,
  fish: `# fish completion for flux
function __flux_complete
    set -l tokens (commandline -opc) (commandline -ct)
    flux __complete $tokens[2..-1] 2>/dev/null
end
complete -c flux -f -a '(__flux_complete)'
`,
  powershell: `# powershell completion for flux
Register-ArgumentCompleter -CommandName 'flux' -Native -ScriptBlock {
    param($WordToComplete, $CommandAst, $CursorPosition)
    $words = $CommandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() }
    if ($WordToComplete -eq '') { $words += '' }
    flux __complete @words 2>$null | Where-Object { $_ -like "$WordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`,
};

export function completionScript(shell: string): string {
  const script = SCRIPTS[shell];
  if (script === undefined) throw new Error(`unsupported shell: ${shell}`);
  return script;
}

export interface CompletionOptions {
  shell: string;
}

export async function runCompletion(options: CompletionOptions, deps: Deps): Promise<void> {
  deps.io.stdout.write(completionScript(options.shell));
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
  const partial = words.length > 0 ? words[words.length - 1]! : "";
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

export async function runComplete(options: CompleteOptions, deps: Deps): Promise<void> {
  const words = options.words.length === 0 ? [""] : options.words;
  for (const c of completeWords(buildProgram(options.tree), words)) deps.io.stdout.write(c + "\n");
}
