// Runs npm scripts side by side and reports each one's output whole, in the order given, once it
// has ended: the checks before the tests (ESLint, Prettier, the dependency rules, the OpenAPI
// contract) are independent, and a 2-core CI machine finishes them sooner together than in a row.
// Exits with the first failing script's code, after every script has ended.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node scripts/run-together.mjs <npm script>...');
  process.exit(2);
}

const runs = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const started = Date.now();
      const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output = [];
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      child.on('close', (code, signal) => resolve({ script, code: code ?? 1, signal, output: Buffer.concat(output), seconds: (Date.now() - started) / 1000 }));
      child.on('error', (error) => resolve({ script, code: 1, output: Buffer.from(`${error.message}\n`), seconds: 0 }));
    }),
);

let failed = 0;
for (const run of await Promise.all(runs)) {
  process.stdout.write(
    `> ${run.script}: ${run.code === 0 ? 'passed' : `failed (exit code ${run.code}${run.signal ? `, ${run.signal}` : ''})`} in ${run.seconds.toFixed(1)} s\n`,
  );
  process.stdout.write(run.output);
  if (run.code !== 0 && failed === 0) failed = run.code;
}
process.exit(failed);
