// The root command: upstream flux's global flags, cobra-like error wording, and the
// command tree it is given (commands/index.ts). Declaring flags is cheap; engines
// load when a command runs. The toolkit never imports commands/: the tree comes in.
import { Command, Option } from "commander";
import { VERSION_LINE } from "../version.js";
import { DEFAULT_NAMESPACE, defaultKubeCacheDir, type IO } from "./context.js";
import { setCommandIO } from "./action.js";
import { discoverPlugins, type DiscoveredPlugin } from "../plugin/discovery.js";
import { arrayFlag, boolFlag, durationFlag, float32Flag, intFlag } from "./flags.js";
import { commandGroup, helpText, installCobraHelp } from "./help.js";

/** Registers one command (and everything under it) on its parent. */
export type Register = (parent: Command) => void;

/** Subcommands by name, in upstream's order of help (the root's: every top-level verb). */
export type CommandTree = ReadonlyArray<readonly [string, Register]>;

// The tree each program was built from, so `__complete` can rebuild the whole of it.
const programTree = new WeakMap<Command, CommandTree>();
// The command line a program was built for: each group registers only the subcommand it names.
const programArgv = new WeakMap<Command, readonly string[]>();

/** The command tree a program was built from. */
export function treeOf(program: Command): CommandTree {
  let root = program;
  while (root.parent) root = root.parent;
  const tree = programTree.get(root);
  if (!tree) throw new Error("program built without a command tree");
  return tree;
}

/**
 * Builds the program. Given the command line, only the verb it names is
 * registered (the whole tree otherwise: help, completion, unknown commands).
 */
export function buildProgram(tree: CommandTree, io?: IO, argv?: string[], opts: { plugins?: boolean } = {}): Command {
  const program = new Command("flux");
  programTree.set(program, tree);
  program
    .description("Command line utility for assembling Kubernetes CD pipelines the GitOps way.")
    .version(VERSION_LINE, "-v, --version", "version for flux")
    .helpOption("-h, --help", "help for flux")
    .showSuggestionAfterError(false)
    .allowExcessArguments(false);

  program.option("--kubeconfig <string>", "Path to the kubeconfig file to use for CLI requests.");
  program.option("--context <string>", "The name of the kubeconfig context to use");
  program.option("--cluster <string>", "The name of the kubeconfig cluster to use");
  program.option("--user <string>", "The name of the kubeconfig user to use");
  program.option("--server <string>", "The address and port of the Kubernetes API server");
  program.option("--token <string>", "Bearer token for authentication to the API server");
  program.option(
    "--as <string>",
    "Username to impersonate for the operation. User could be a regular user or a service account in a namespace.",
  );
  arrayFlag(
    program,
    "--as-group <stringArray>",
    "Group to impersonate for the operation, this flag can be repeated to specify multiple groups.",
  );
  program.option("--as-uid <string>", "UID to impersonate for the operation.");
  arrayFlag(
    program,
    "--as-user-extra <stringArray>",
    "User extras to impersonate for the operation, this flag can be repeated to specify multiple values for the same key.",
  );
  program.option("--cache-dir <string>", "Default cache directory", defaultKubeCacheDir());
  program.option("--certificate-authority <string>", "Path to a cert file for the certificate authority");
  program.option("--client-certificate <string>", "Path to a client certificate file for TLS");
  program.option("--client-key <string>", "Path to a client key file for TLS");
  boolFlag(program, "--disable-compression", "If true, opt-out of response compression for all requests to the server");
  boolFlag(
    program,
    "--insecure-skip-tls-verify",
    "If true, the server's certificate will not be checked for validity. This will make your HTTPS connections insecure",
  );
  intFlag(
    program,
    "--kube-api-burst <int>",
    "The maximum burst queries-per-second of requests sent to the Kubernetes API.",
    300,
  );
  float32Flag(
    program,
    "--kube-api-qps <float32>",
    "The maximum queries-per-second of requests sent to the Kubernetes API.",
    50,
  );
  program.addOption(
    new Option("-n, --namespace <string>", "If present, the namespace scope for this CLI request")
      .default(DEFAULT_NAMESPACE)
      .env("FLUX_SYSTEM_NAMESPACE"),
  );
  durationFlag(program, "--timeout <duration>", "timeout for this operation", "5m0s");
  program.option(
    "--tls-server-name <string>",
    "Server name to use for server certificate validation. If it is not provided, the hostname used to contact the server is used",
  );
  boolFlag(program, "--verbose", "print generated objects");
  boolFlag(
    program,
    "--ns-follows-kube-context",
    "If set to true, the namespace will be taken from the current kubeconfig context instead of defaulting to flux-system",
  );

  if (io) setCommandIO(program, io);
  if (argv) programArgv.set(program, argv);
  if (argv && argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
    // `flux --version` needs no command tree at all.
  } else {
    registerSubcommands(program, tree);
    // Installed plugins are commands too, found only when the line names no built-in
    // (help, `flux <plugin>`, an unknown word): built-in commands never scan the plugin
    // directory. Completion asks for them; docs and the whole-tree views do not.
    const verb = argv && subcommandWord(program, argv);
    if (opts.plugins ?? (argv !== undefined && !tree.some(([name]) => name === verb))) registerPlugins(program, tree);
    // cobra's version flag is the root's own, not inherited: after a command, -v is that
    // command's (install's and bootstrap's -v, --version) or unknown. commander would
    // read a root option anywhere on the line, so the root's shorthand goes.
    if (argv && verbOf(program, tree, argv) !== undefined) {
      const version = program.options.find((o) => o.long === "--version");
      if (version) delete version.short;
    }
  }
  installCobraHelp(program);
  applyToTree(program, (cmd) => {
    cmd.showSuggestionAfterError(false);
    // Like cobra's "Global Flags": a subcommand's help lists the flags its parents declare.
    cmd.configureHelp({ showGlobalOptions: true });
    if (cmd !== program) cmd.helpOption("-h, --help", `help for ${cmd.name()}`);
  });
  return program;
}

export function applyToTree(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) applyToTree(sub, fn);
}

/**
 * Registers a command group's subcommands (the root's verbs, `create`'s kinds, …):
 * every one when the program was built for help, completion or docs, only the one its
 * command line names otherwise. `create source git` then declares three commands
 * instead of `create`'s 26 and their 186 flags (issue 17: start-up). A word that names
 * no subcommand (an alias, a typo) registers them all, so commander resolves or reports it.
 * A group declares its own flags before its subcommands: they are read to skip flag values.
 */
export function registerSubcommands(group: Command, children: CommandTree): void {
  let root = group;
  while (root.parent) root = root.parent;
  const argv = programArgv.get(root);
  const word = argv && subcommandWord(group, argv);
  const only = children.some(([name]) => name === word) ? word : undefined;
  for (const [name, register] of children) {
    if (only !== undefined && name !== only) continue;
    const before = group.commands.length;
    register(group);
    const added = group.commands.slice(before).map((c) => c.name());
    if (added[0] !== name) {
      throw new Error(`"${group.name()}" lists a subcommand "${name}" whose register() adds [${added.join(", ")}]`);
    }
  }
}

/**
 * The word naming a subcommand of `group` on a command line, skipping flags and their
 * values; undefined when there is none, when a help flag comes first (help lists every
 * subcommand) or when the line does not lead through `group`.
 */
export function subcommandWord(group: Command, argv: readonly string[]): string | undefined {
  const i = subcommandIndex(group, argv);
  return i === undefined ? undefined : argv[i];
}

/** Where subcommandWord's word is on the command line. */
export function subcommandIndex(group: Command, argv: readonly string[]): number | undefined {
  const path: Command[] = [];
  for (let c: Command | null = group; c; c = c.parent) path.unshift(c);
  let depth = 1; // path[depth] is the next command word the line must name
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--" || arg === "-h" || arg === "--help") return undefined;
    if (arg.startsWith("-")) {
      if (!arg.includes("=") && takesValue(path.slice(0, depth), arg)) i++;
      continue;
    }
    if (depth === path.length) return i;
    const next = path[depth];
    if (!next || (arg !== next.name() && !next.aliases().includes(arg))) return undefined;
    depth++;
  }
  return undefined;
}

function takesValue(commands: Command[], flag: string): boolean {
  return commands.some((c) =>
    c.options.some((o) => (o.required || o.optional) && (o.long === flag || o.short === flag)),
  );
}

/** The verb a command line names, skipping global flags and their values. */
export function verbOf(program: Command, tree: CommandTree, argv: string[]): string | undefined {
  const word = subcommandWord(program, argv);
  return tree.some(([name]) => name === word) ? word : undefined;
}

/** Names no plugin can take: every built-in command and cobra's help. */
export function builtinNames(tree: CommandTree): string[] {
  return [...tree.map(([name]) => name), "help"];
}

// The plugin behind each plugin command of a program.
const pluginCommands = new WeakMap<Command, DiscoveredPlugin>();

/** Adds a command per installed plugin, listed under "Plugin Commands:" in the root's help. */
function registerPlugins(program: Command, tree: CommandTree): void {
  for (const plugin of discoverPlugins(builtinNames(tree))) {
    const cmd = program
      .command(plugin.name)
      .description(`Runs the ${plugin.name} plugin`)
      .argument("[args...]")
      .allowUnknownOption()
      .action(() => {
        // runProgram hands the raw line to the plugin before commander parses it
        throw new Error(`plugin ${plugin.name} reached the parser`);
      });
    helpText(cmd, {
      use: plugin.name,
      long: `This command runs the ${plugin.name} plugin.\nUse 'flux ${plugin.name} --help' for full plugin help.`,
    });
    commandGroup(cmd, "Plugin Commands:");
    pluginCommands.set(cmd, plugin);
  }
}

/**
 * The plugin a command line runs and the words it gets: all but the plugin's name,
 * unparsed, root flags before it included (as upstream, whose plugin commands take
 * their arguments raw).
 */
export function pluginInvocation(program: Command, argv: string[]): { path: string; args: string[] } | undefined {
  const index = subcommandIndex(program, argv);
  if (index === undefined) return undefined;
  const cmd = program.commands.find((c) => c.name() === argv[index]);
  const plugin = cmd && pluginCommands.get(cmd);
  if (!plugin) return undefined;
  return { path: plugin.path, args: [...argv.slice(0, index), ...argv.slice(index + 1)] };
}
