/**
 * A fuzz runner: one long-lived process that runs invocations through the real CLI entry
 * (`main()` of src/cli/main.ts, the function bin/dma.cjs runs) one after another, with stdout
 * and stderr captured. Started by harness.ts with an IPC channel; each message is
 * `{ id, argv, env }`, each answer `{ id, exitCode, stdout, stderr }`. Each run's output
 * settings are its own (main() passes them down; no module keeps them); anything that escapes main() (an uncaught exception) ends this
 * process, and the harness counts that invocation as a crash.
 */
import { main } from '../../src/cli/main.ts';
import { useStreams } from '../../src/cli/stdio.ts';

interface Job {
  id: number;
  argv: string[];
  env: Record<string, string>;
}

process.setMaxListeners(0); // the full program adds a SIGINT listener per run

let out = '';
let err = '';
const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);
const capture =
  (sink: (s: string) => void) =>
  (chunk: string | Uint8Array, encoding?: unknown, cb?: unknown): boolean => {
    sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
process.stdout.write = capture((s) => (out += s)) as typeof process.stdout.write;
process.stderr.write = capture((s) => (err += s)) as typeof process.stderr.write;
// main() writes with writeSync unless told the streams are in use (src/cli/stdio.ts)
useStreams();
void realOut;

const baseEnv = { ...process.env };

process.on('message', (job: Job) => {
  void (async () => {
    out = '';
    err = '';
    for (const k of Object.keys(process.env)) if (!(k in baseEnv)) delete process.env[k];
    Object.assign(process.env, job.env);
    let exitCode: number;
    try {
      exitCode = await main(job.argv);
    } catch (e) {
      exitCode = -1;
      err += `runner: main() threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
    }
    process.send!({ id: job.id, exitCode, stdout: out.slice(0, 4000), stderr: err.slice(0, 8000) });
  })();
});

process.on('uncaughtException', (e) => {
  realErr(`runner: uncaught ${e.stack ?? e.message}\n`);
  process.exit(70);
});
process.send!({ ready: true });
