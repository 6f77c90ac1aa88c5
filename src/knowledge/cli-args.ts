/**
 * A tiny argv parser for the knowledge CLIs: `--name value`, `--name=value`, boolean `--flag`
 * (declared in `flags`), and positionals. Unknown options are an error, so a typo never
 * silently runs against the wrong store.
 */
export type ParsedArgs = { options: Record<string, string>; flags: Set<string>; positionals: string[] };

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: { options: string[]; flags?: string[] }): ParsedArgs {
  const options: Record<string, string> = {};
  const flags = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (spec.flags?.includes(name)) {
      flags.add(name);
      continue;
    }
    if (!spec.options.includes(name)) throw new UsageError(`unknown option --${name}`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    options[name] = value;
  }
  return { options, flags, positionals };
}
