// Generates the command reference (one Markdown page per command, as upstream's
// docs do) from the same commander tree the CLI runs.
import type { Command, Help, Option } from "commander";

function fullName(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}

function fileName(cmd: Command): string {
  return fullName(cmd).replace(/ /g, "_") + ".md";
}

function isHidden(cmd: Command): boolean {
  return Boolean((cmd as unknown as { _hidden?: boolean })._hidden);
}

function optionLines(help: Help, cmd: Command, options: readonly Option[]): string {
  const visible = options.filter((o) => !o.hidden);
  const terms = visible.map((o) => help.optionTerm(o));
  const width = Math.max(0, ...terms.map((t) => t.length));
  return visible.map((o, i) => `  ${terms[i]!.padEnd(width)}   ${help.optionDescription(o)}`).join("\n");
}

function inheritedOptions(cmd: Command): Option[] {
  const out: Option[] = [];
  for (let c = cmd.parent; c; c = c.parent) out.push(...c.options.filter((o) => !o.hidden && o.long !== "--version"));
  return out;
}

export function renderCommandPage(cmd: Command): string {
  const help = cmd.createHelp();
  const name = fullName(cmd);
  const summary = cmd.summary() || cmd.description().split("\n")[0] || "";
  let out = `---\ntitle: "${name}"\n---\n## ${name}\n\n${summary}\n\n### Synopsis\n\n${cmd.description()}\n\n`;
  out += "```\n" + help.commandUsage(cmd) + "\n```\n\n";
  const own = optionLines(help, cmd, cmd.options);
  if (own) out += "### Options\n\n```\n" + own + "\n```\n\n";
  const inherited = optionLines(help, cmd, inheritedOptions(cmd));
  if (inherited) out += "### Options inherited from parent commands\n\n```\n" + inherited + "\n```\n\n";
  const related: string[] = [];
  if (cmd.parent) {
    related.push(`* [${fullName(cmd.parent)}](${fileName(cmd.parent)})\t - ${cmd.parent.description().split("\n")[0]}`);
  }
  for (const sub of cmd.commands) {
    if (isHidden(sub)) continue;
    related.push(`* [${fullName(sub)}](${fileName(sub)})\t - ${sub.description().split("\n")[0]}`);
  }
  if (related.length > 0) out += "### SEE ALSO\n\n" + related.join("\n") + "\n";
  return out;
}

/** File name -> page content for every visible command in the tree. */
export function renderCommandDocs(program: Command): Map<string, string> {
  const pages = new Map<string, string>();
  const walk = (cmd: Command) => {
    if (isHidden(cmd)) return;
    pages.set(fileName(cmd), renderCommandPage(cmd));
    for (const sub of cmd.commands) walk(sub);
  };
  walk(program);
  return pages;
}
