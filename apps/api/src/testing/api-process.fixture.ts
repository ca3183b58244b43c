import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const apiMain = resolve('dist/apps/api/src/main.js');
const running = new Set<ChildProcess>();

export interface ApiProcess {
  readonly child: ChildProcess;
  /** The address it listens on, once it says so (start it with PORT=0 and HOST=127.0.0.1). */
  readonly base: Promise<string>;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function expectApiBuilt(): void {
  if (!existsSync(apiMain)) throw new Error(`${apiMain} is missing: run the tests with \`npm test\`, which builds first`);
}

/**
 * The API as an operator runs it: its own process, stopped by a signal. `env` adds to the test's
 * environment, and an undefined value removes a variable; `nodeOptions` go before the entry point.
 */
export function startApiProcess(env: NodeJS.ProcessEnv, nodeOptions: string[] = []): ApiProcess {
  const childEnv = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, value]) => value !== undefined));
  const child = spawn(process.execPath, [...nodeOptions, apiMain], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  const base = new Promise<string>((resolvePort, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /API on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (listening) resolvePort(listening[1]);
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => reject(new Error(`the API exited before listening:\n${output}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return { child, base, output: () => output, exited };
}

/** Kills what a failed test left running. */
export function killApiProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
}
