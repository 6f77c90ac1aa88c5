/**
 * Tiny argv parser for our CLIs: `--name value`, `--name=value`, bare `--flag`, and positionals.
 * A `--name` followed by another `--option` (or nothing) is a boolean flag; names listed in
 * `booleans` never consume the next word.
 */

export type ParsedArgs = {
  positionals: string[];
  /** Raw values; `true` for flags given without a value. Repeated options keep the last one. */
  options: Map<string, string | true>;
  string(name: string): string | undefined;
  bool(name: string): boolean;
  number(name: string): number | undefined;
};

export class ArgsError extends Error {}

export function parseArgs(
  argv: readonly string[],
  spec: { booleans?: readonly string[]; known?: readonly string[] } = {},
): ParsedArgs {
  const booleans = new Set(spec.booleans ?? []);
  // With `known`, a typo is an error instead of silently running with defaults (e.g. the wrong store).
  const known = spec.known ? new Set([...spec.known, ...booleans]) : null;
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 2) {
      options.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const name = arg.slice(2);
    const next = argv[i + 1];
    if (!booleans.has(name) && next !== undefined && !next.startsWith('--')) {
      options.set(name, next);
      i++;
    } else {
      options.set(name, true);
    }
  }

  if (known) {
    const unknown = [...options.keys()].find((k) => !known.has(k));
    if (unknown) throw new ArgsError(`unknown option --${unknown}`);
  }
  return {
    positionals,
    options,
    string(name) {
      const v = options.get(name);
      if (v === true) throw new ArgsError(`--${name} needs a value`);
      return v;
    },
    bool(name) {
      const v = options.get(name);
      return v === true || v === 'true' || v === '1' || v === 'yes';
    },
    number(name) {
      const v = this.string(name);
      if (v === undefined) return undefined;
      const n = Number(v);
      if (!Number.isFinite(n)) throw new ArgsError(`--${name} must be a number, got "${v}"`);
      return n;
    },
  };
}
