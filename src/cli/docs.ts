// Generates the command reference (one Markdown page per command) as upstream's docs
// are generated (cobra/doc's GenMarkdownTreeCustom with flux's front matter and links),
// from the same command tree and texts the CLI's help uses.
import type { Command } from "commander";
import {
  commandPath,
  flagUsages,
  inheritedFlags,
  isHidden,
  isRunnable,
  localFlags,
  textOf,
  useLine,
  type HelpTexts,
} from "./help.js";

function fileName(cmd: Command): string {
  return commandPath(cmd).replace(/ /g, "_") + ".md";
}

/** flux's docgen linkHandler: "flux_get.md" → "../flux_get/". */
function link(cmd: Command): string {
  return `../${fileName(cmd).replace(/\.md$/, "").toLowerCase()}/`;
}

function available(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !isHidden(c) && !(cmd.parent === null && c.name() === "help"));
}

export function renderCommandPage(cmd: Command, texts: HelpTexts): string {
  const name = commandPath(cmd);
  const text = textOf(cmd, texts);
  let out = `---\ntitle: "${name}"\n---\n## ${name}\n\n${text.short}\n\n`;
  if (text.long) out += `### Synopsis\n\n${text.long}\n\n`;
  if (isRunnable(cmd)) out += "```\n" + useLine(cmd, texts) + "\n```\n\n";
  if (text.example) out += "### Examples\n\n```\n" + text.example + "\n```\n\n";
  const own = localFlags(cmd, texts, { help: true, version: false });
  if (own.length > 0) out += "### Options\n\n```\n" + flagUsages(own) + "```\n\n";
  const inherited = inheritedFlags(cmd, texts);
  if (inherited.length > 0)
    out += "### Options inherited from parent commands\n\n```\n" + flagUsages(inherited) + "```\n\n";
  const related: string[] = [];
  if (cmd.parent)
    related.push(`* [${commandPath(cmd.parent)}](${link(cmd.parent)})\t - ${textOf(cmd.parent, texts).short}`);
  for (const sub of [...available(cmd)].sort((a, b) => (a.name() < b.name() ? -1 : 1)))
    related.push(`* [${commandPath(sub)}](${link(sub)})\t - ${textOf(sub, texts).short}`);
  if (related.length > 0) out += "### SEE ALSO\n\n" + related.join("\n") + "\n\n";
  return out;
}

/** File name -> page content for every visible command in the tree. */
export function renderCommandDocs(program: Command, texts: HelpTexts): Map<string, string> {
  const pages = new Map<string, string>();
  const walk = (cmd: Command) => {
    if (isHidden(cmd)) return;
    pages.set(fileName(cmd), renderCommandPage(cmd, texts));
    for (const sub of available(cmd)) walk(sub);
  };
  walk(program);
  return pages;
}
