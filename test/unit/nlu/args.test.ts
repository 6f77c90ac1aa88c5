import { describe, expect, it } from 'vitest';
import { ArgsError, parseArgs } from '../../../src/cli/args.js';

describe('parseArgs', () => {
  it('parses values, = values, flags and positionals', () => {
    const argv = ['run', '--dataset', 'x.jsonl', '--report=out.json', '--holdout', '--k', '3'];
    const a = parseArgs(argv);
    expect(a.positionals).toEqual(['run']);
    expect(a.string('dataset')).toBe('x.jsonl');
    expect(a.string('report')).toBe('out.json');
    expect(a.bool('holdout')).toBe(true);
    expect(a.number('k')).toBe(3);
    expect(a.string('missing')).toBeUndefined();
  });

  it('respects declared booleans and reports bad values', () => {
    const argv = ['--verbose', 'file.txt', '--n', 'abc', '--out'];
    const a = parseArgs(argv, { booleans: ['verbose'] });
    expect(a.bool('verbose')).toBe(true);
    expect(a.positionals).toEqual(['file.txt']);
    expect(() => a.number('n')).toThrow(ArgsError);
    expect(() => a.string('out')).toThrow(/needs a value/);
  });
});
