import os from 'node:os';

/**
 * Shared benchmark helpers: command-line parameters, the parameter header every benchmark prints
 * first, and the one JSON line of results it ends with.
 */

export type ParamValue = string | number | boolean;

export interface ParamSpec<T extends ParamValue = ParamValue> {
  default: T;
  help: string;
  /** Allowed values (strings only). */
  choices?: readonly string[];
}

export type Params<S extends Record<string, ParamSpec>> = { [K in keyof S]: S[K]['default'] };

/** `--name value`, `--name=value`, `--flag` / `--no-flag`; numbers accept 1e6 and 1_000_000. Exits with usage on `--help` or an error. */
export function parseParams<S extends Record<string, ParamSpec>>(name: string, spec: S, argv = process.argv.slice(2)): Params<S> {
  const out: Record<string, ParamValue> = Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, s.default]));
  const problems: string[] = [];
  const key = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') usage(name, spec, 0);
    const m = /^--(no-)?([a-z][a-z0-9-]*)(?:=(.*))?$/.exec(arg);
    if (!m) {
      problems.push(`unexpected argument ${arg}`);
      continue;
    }
    const k = key(m[2]!);
    const s = spec[k];
    if (!s) {
      problems.push(`unknown option --${m[2]}`);
      continue;
    }
    if (typeof s.default === 'boolean') {
      out[k] = m[1] ? false : m[3] === undefined ? true : m[3] !== 'false';
      continue;
    }
    const raw = m[3] ?? argv[++i];
    if (raw === undefined) {
      problems.push(`--${m[2]} needs a value`);
      continue;
    }
    if (typeof s.default === 'number') {
      const n = Number(raw.replace(/_/g, ''));
      if (!Number.isFinite(n)) problems.push(`--${m[2]} must be a number (got ${raw})`);
      else out[k] = n;
    } else {
      if (s.choices && !s.choices.includes(raw)) problems.push(`--${m[2]} must be one of ${s.choices.join(', ')} (got ${raw})`);
      out[k] = raw;
    }
  }
  if (problems.length) {
    for (const p of problems) process.stderr.write(`${name}: ${p}\n`);
    usage(name, spec, 2);
  }
  return out as Params<S>;
}

function usage(name: string, spec: Record<string, ParamSpec>, code: number): never {
  const lines = Object.entries(spec).map(([k, s]) => {
    const flag = `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return `  ${flag.padEnd(22)} ${s.help} (default: ${String(s.default)}${s.choices ? `; one of ${s.choices.join('|')}` : ''})`;
  });
  (code === 0 ? process.stdout : process.stderr).write(`usage: ${name} [options]\n${lines.join('\n')}\n`);
  process.exit(code);
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage1m: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

/** The header every benchmark prints before it starts: what it runs, with what, on what. */
export function printParams(name: string, params: Record<string, ParamValue>): void {
  const m = machineInfo();
  const out = [`# ${name}`, ...Object.entries(params).map(([k, v]) => `#   ${k} = ${String(v)}`)];
  out.push(`#   machine = ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}, load ${m.loadAverage1m}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

/** A progress line (prefixed so it is never mistaken for the result line). */
export function progress(message: string): void {
  process.stdout.write(`# ${message}\n`);
}
