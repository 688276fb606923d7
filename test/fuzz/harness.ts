/**
 * The fuzz harness (issue 12): generated invocations of every contract command, run in
 * parallel lanes — each lane a scratch folder with its own seeded campaign and one in-process
 * runner (runner-child.ts, the real CLI entry) — with a share of the cases through the real
 * binary (bin/dma.cjs). Each case must
 *
 * - exit with a code its command declares in cli-contract.yaml (and never exit 1 with
 *   "this is a bug": UNEXPECTED is declared everywhere, but it is a bug by definition);
 * - print no stack trace on stderr;
 * - leave the campaign's content unchanged when it fails (a hash of every table but the logs:
 *   the LLM call log and the bus are audit trails that record failures on purpose);
 *
 * and every lane's campaign passes `dma db check` at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { dmaBin, repoRoot } from '../helpers/dma.ts';
import {
  invocationArb,
  loadContract,
  type Contract,
  type FuzzFiles,
  type Invocation,
} from './contract-gen.ts';
import { knownIssue } from './known-issues.ts';

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** parallel lanes (each: one in-process runner + its own campaign); default 2 */
  lanes?: number;
  /** share of the cases run through the real binary; default 0.15 */
  binaryShare?: number;
  /** per case; default 5 s (a worker or a follow runs until signalled: it is then stopped) */
  timeoutMs?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CaseResult {
  inv: Invocation;
  via: 'in-process' | 'binary';
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
  dbChanged?: boolean;
  timedOut?: boolean;
}

export interface Finding {
  rule: 'exit-code' | 'unexpected' | 'stack-trace' | 'db-changed' | 'runner-crash' | 'db-check';
  detail: string;
  repro: string;
  known?: string;
}

export interface FuzzReport {
  runs: number;
  seed: number;
  inProcess: number;
  binary: number;
  byCommand: Record<string, number>;
  byExit: Record<string, number>;
  findings: Finding[];
  known: Finding[];
  ms: number;
}

const STACK = /^\s+at\s+\S.*(\(.*:\d+:\d+\)|:\d+:\d+)$/m;
const LOG_TABLES = /^(llm_|bus_|sqlite_)|_fts/;

/** A hash of the campaign's content: every table except logs and FTS shadows, row by row. */
export function contentHash(path: string): string {
  if (!existsSync(path)) return 'absent';
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const h = createHash('sha256');
    h.update(String(db.pragma('user_version', { simple: true })));
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).filter((t) => !LOG_TABLES.test(t.name));
    for (const { name } of tables) {
      h.update(`\u0000${name}\u0000`);
      const rows = db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][];
      const lines = rows.map((r) =>
        JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v)),
      );
      lines.sort();
      for (const l of lines) h.update(l);
    }
    return h.digest('hex');
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  } finally {
    db.close();
  }
}

const quote = (a: string) =>
  /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`).replace(/\n/g, "'$'\\n''")}'`;
export const reproOf = (inv: Invocation) =>
  `dma ${inv.argv.map((a) => (a.length > 200 ? `"$(printf '%.0s${a[0]}' {1..${a.length}})"` : quote(a))).join(' ')}`;

// ---------------------------------------------------------------------------------------------
// lanes

interface Lane {
  files: FuzzFiles;
  env: Record<string, string>;
  child?: ChildProcess;
  pending?: {
    id: number;
    resolve: (r: { exitCode: number; stdout: string; stderr: string }) => void;
  };
  nextId: number;
}

async function runBinary(
  lane: Lane,
  argv: string[],
  timeoutMs: number,
): Promise<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [dmaBin, ...argv], {
      cwd: lane.files.root,
      env: lane.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < 4000) stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 8000) stderr += c.toString();
    });
    // past the limit: SIGTERM, as a user's Ctrl-C or a supervisor would; then SIGKILL
    const term = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      stderr += `spawn: ${e.message}`;
    });
    child.on('close', (code, signal) => {
      clearTimeout(term);
      resolve({ exitCode: code ?? (signal === 'SIGTERM' ? 143 : 137), stdout, stderr, timedOut });
    });
  });
}

function startChild(lane: Lane): Promise<void> {
  return new Promise((resolve) => {
    // tsx by its file URL: the runner's cwd is the scratch folder, with no node_modules
    const tsx = pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(
      process.execPath,
      ['--import', tsx, join(repoRoot, 'test/fuzz/runner-child.ts')],
      {
        cwd: lane.files.root,
        env: lane.env,
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      },
    );
    let errText = '';
    child.stderr!.on('data', (c: Buffer) => {
      if (errText.length < 8000) errText += c.toString();
    });
    child.on(
      'message',
      (m: { ready?: boolean; id?: number; exitCode: number; stdout: string; stderr: string }) => {
        if (m.ready) return resolve();
        if (lane.pending && lane.pending.id === m.id) {
          const p = lane.pending;
          lane.pending = undefined;
          p.resolve(m);
        }
      },
    );
    child.on('exit', (code) => {
      if (lane.child === child) lane.child = undefined;
      resolve(); // died before it was ready: the pending case reports it
      if (lane.pending) {
        const p = lane.pending;
        lane.pending = undefined;
        p.resolve({ exitCode: -2, stdout: '', stderr: `runner died (exit ${code}): ${errText}` });
      }
    });
    lane.child = child;
  });
}

async function runInProcess(
  lane: Lane,
  argv: string[],
  timeoutMs: number,
): Promise<{ exitCode: number; stdout: string; stderr: string; timedOut: boolean }> {
  if (lane.child === undefined) await startChild(lane);
  if (lane.child === undefined)
    return { exitCode: -2, stdout: '', stderr: 'runner would not start', timedOut: false };
  const id = lane.nextId++;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const result = await new Promise<{ exitCode: number; stdout: string; stderr: string }>(
    (resolve) => {
      lane.pending = { id, resolve };
      timer = setTimeout(() => {
        // past the limit: SIGTERM, as a user or a supervisor would. A command that runs until
        // signalled (a worker, a follow) traps it and answers; one that does not dies of it
        // (143, as any Unix tool). Either way the runner is spent and replaced.
        timedOut = true;
        const child = lane.child;
        child?.kill('SIGTERM');
        setTimeout(() => child?.kill('SIGKILL'), 3000).unref();
      }, timeoutMs);
      lane.child!.send({ id, argv, env: lane.env });
    },
  );
  clearTimeout(timer);
  if (timedOut) {
    const child = lane.child;
    lane.child = undefined;
    child?.kill('SIGKILL');
    if (result.exitCode === -2) return { exitCode: 143, stdout: '', stderr: '', timedOut };
  }
  return { ...result, timedOut };
}

function makeFiles(root: string): FuzzFiles {
  const dir = (p: string) => (mkdirSync(join(root, p), { recursive: true }), join(root, p));
  cpSync(join(repoRoot, 'examples'), dir('examples'), { recursive: true });
  cpSync(join(repoRoot, 'golden'), dir('golden'), { recursive: true });
  dir('out');
  const bad = dir('bad');
  const w = (name: string, body: string | Buffer) => {
    writeFileSync(join(bad, name), body);
    return join(bad, name);
  };
  const db = join(root, 'campaign.db');
  const badFiles = [
    w('empty.json', ''),
    w('truncated.json', '{"name": "Velra", "abilities": {"str": 1'),
    w('not-json.json', 'this is not json at all'),
    w('array.json', '[1, 2, 3]'),
    w('null.json', 'null'),
    w('wrong-shape.json', JSON.stringify({ type: 'npc', name: 42, data: 'x', entities: 'nope' })),
    w('deep.json', '['.repeat(100_000) + ']'.repeat(100_000)),
    w('huge-string.json', JSON.stringify({ name: 'x'.repeat(2_000_000) })),
    w('binary.bin', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))),
    w('bom.json', '\ufeff{"name": "Bom"}'),
    w('utf16.json', Buffer.from('{"name":"x"}', 'utf16le')),
    w(
      'billion-laughs.yaml',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' +
        Array.from({ length: 8 }, (_, i) => {
          const me = String.fromCharCode(98 + i);
          const prev = String.fromCharCode(97 + i);
          return `${me}: &${me} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
        }).join('\n') +
        '\n',
    ),
    w('tabs.yaml', 'name:\tbad\n\t- x'),
    w('sqlite-foreign.db', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4080)])),
    w(
      'import-collide.json',
      JSON.stringify({ schema_version: '1.0', entities: [{ id: 'x', type: 'npc', name: '' }] }),
    ),
    join(root, 'examples'), // a directory
    join(root, 'missing.json'),
    '/dev/null',
    '/proc/self/status',
  ];
  symlinkSync(db, join(root, 'link-to-db'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling-link'));
  symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
  symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
  mkdirSync(join(root, 'readonly'));
  chmodSync(join(root, 'readonly'), 0o500);
  return {
    root,
    db,
    good: [
      join(root, 'examples', 'npc-legal.yaml'),
      join(root, 'examples', 'npc-broken.json'),
      join(root, 'examples', 'dungeon-level3.json'),
      join(root, 'golden', 'pc-fighter.yaml'),
      'examples/npc-legal.yaml',
      'golden/pc-fighter.yaml',
    ],
    bad: badFiles,
    known: [
      'fighter',
      'mage',
      'thief',
      'cleric',
      'paladin',
      'ranger',
      'druid',
      'bard',
      'warrior',
      'wizard',
      'priest',
      'rogue',
      'goblin',
      'orc',
      'Velra',
      'Old Map',
      '5',
      '1d6',
      '3d6+2',
      '4+4',
      '18/76',
      'spell',
      'human',
      'elf',
      'dwarf',
    ],
  };
}

async function seedLane(lane: Lane): Promise<void> {
  const steps = [
    ['npc', 'create', '--count', '4', '--seed', '11', '--class', 'fighter'],
    ['npc', 'create', '--seed', '12', '--name', 'Velra', '--class', 'mage', '--level', '5'],
    [
      'entity',
      'create',
      '--type',
      'note',
      '--name',
      'Old Map',
      '--data',
      '{"text":"x marks the spot"}',
    ],
    ['dungeon', 'gen', '--level', '2', '--seed', '3'],
  ];
  for (const argv of steps) await runBinary(lane, argv, 60_000);
  const list = await runBinary(lane, ['entity', 'list', '--json'], 60_000);
  try {
    const doc = JSON.parse(list.stdout) as { entities?: { id: string; name: string }[] };
    for (const e of doc.entities ?? []) lane.files.known.push(e.id, e.name);
  } catch {
    // the pool of names stays the generic one
  }
}

// ---------------------------------------------------------------------------------------------
// checks

export function check(contract: Contract, r: CaseResult): Finding[] {
  const out: Finding[] = [];
  const repro = reproOf(r.inv);
  const cmd = contract.commands.find((c) => c.id === r.inv.command);
  if (r.exitCode === -2 || r.exitCode === -1) {
    out.push({ rule: 'runner-crash', detail: r.stderr.split('\n').slice(0, 3).join(' | '), repro });
    return out;
  }
  if (r.timedOut) {
    // past the limit the binary got SIGTERM: it stops cleanly (0 or 130 when it traps the
    // signal, a declared code) or dies of it (143), like any Unix tool
    if (![0, 130, 143, ...(cmd?.exits ?? [])].includes(r.exitCode))
      out.push({
        rule: 'exit-code',
        detail: `after SIGTERM at the time limit: exit ${r.exitCode}`,
        repro,
      });
  } else {
    // a command the parser does not recognise, or --help, is the program's (0 or 3)
    const declared = cmd === undefined ? [0, 3] : [...cmd.exits, 0, 3];
    if (!declared.includes(r.exitCode))
      out.push({
        rule: 'exit-code',
        detail: `exit ${r.exitCode} not in [${cmd?.exits.join(', ')}]`,
        repro,
      });
    if (r.exitCode === 1 && /UNEXPECTED|this is a bug/.test(r.stderr))
      out.push({
        rule: 'unexpected',
        detail: r.stderr.trim().split('\n')[0]!.slice(0, 300),
        repro,
      });
  }
  if (STACK.test(r.stderr) && !/DMA_DEBUG/.test(r.inv.argv.join(' ')))
    out.push({
      rule: 'stack-trace',
      detail: r.stderr.match(STACK)![0].trim().slice(0, 200),
      repro,
    });
  if (r.dbChanged)
    out.push({ rule: 'db-changed', detail: `exit ${r.exitCode} but the campaign changed`, repro });
  return out;
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzReport> {
  const t0 = Date.now();
  const contract = loadContract(join(repoRoot, 'cli-contract.yaml'));
  const laneCount = opts.lanes ?? 2;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const binaryShare = opts.binaryShare ?? 0.15;
  const base = mkdtempSync(join(tmpdir(), 'dma-fuzz-'));
  const lanes: Lane[] = [];
  for (let i = 0; i < laneCount; i++) {
    const root = join(base, `lane${i}`);
    mkdirSync(root);
    const files = makeFiles(root);
    lanes.push({
      files,
      nextId: 0,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: root,
        XDG_DATA_HOME: join(root, 'data'),
        XDG_CONFIG_HOME: join(root, 'config'),
        XDG_CACHE_HOME: join(root, 'cache'),
        DMA_DB: files.db,
        NO_COLOR: '1',
        CI: '1',
      },
    });
  }
  await Promise.all(lanes.map(seedLane));

  // the cases: deterministic from the seed, whatever the lanes' timing
  const cases = lanes.map((lane, i) =>
    fc.sample(fc.tuple(invocationArb(contract, lane.files)), {
      seed: opts.seed + i,
      numRuns: Math.ceil(opts.runs / laneCount),
    }),
  );
  const total = cases.reduce((n, c) => n + c.length, 0);
  const report: FuzzReport = {
    runs: 0,
    seed: opts.seed,
    inProcess: 0,
    binary: 0,
    byCommand: {},
    byExit: {},
    findings: [],
    known: [],
    ms: 0,
  };
  let done = 0;
  let hashMs = 0;
  const binMs: number[] = [];
  const inMs: number[] = [];
  const perCmd: Record<string, number[]> = {};
  const record = (fs: Finding[], r: CaseResult) => {
    for (const f of fs) {
      const k = knownIssue(r, f);
      if (k === undefined) report.findings.push(f);
      else report.known.push({ ...f, known: k });
    }
  };

  await Promise.all(
    lanes.map(async (lane, i) => {
      let before = contentHash(lane.files.db);
      for (const [n, [inv]] of cases[i]!.entries()) {
        // every k-th case through the real binary, the rest in process
        const via = n % Math.round(1 / binaryShare) === 0 ? 'binary' : 'in-process';
        const t = Date.now();
        const res =
          via === 'binary'
            ? await runBinary(lane, inv.argv, timeoutMs)
            : await runInProcess(lane, inv.argv, timeoutMs);
        const r: CaseResult = { inv, via, ...res, ms: Date.now() - t };
        if (process.env.FUZZ_TRACE && Date.now() - t > 2000)
          process.stderr.write(
            `slow ${Date.now() - t} ms ${via} exit ${res.exitCode}: ${reproOf(inv).slice(0, 200)}\n`,
          );
        const th = Date.now();
        const after = contentHash(lane.files.db);
        hashMs += Date.now() - th;
        (via === 'binary' ? binMs : inMs).push(r.ms);
        perCmd[inv.command] = [...(perCmd[inv.command] ?? []), r.ms];
        if (r.exitCode !== 0 && !r.timedOut && after !== before) r.dbChanged = true;
        before = after;
        report.runs += 1;
        if (r.via === 'binary') report.binary += 1;
        else report.inProcess += 1;
        report.byCommand[inv.command] = (report.byCommand[inv.command] ?? 0) + 1;
        report.byExit[String(r.exitCode)] = (report.byExit[String(r.exitCode)] ?? 0) + 1;
        record(check(contract, r), r);
        opts.onProgress?.(++done, total);
      }
      lane.child?.kill('SIGKILL'); // SIGTERM may be trapped by the last command (a worker)
      const dbCheck = await runBinary(lane, ['db', 'check', '--json'], 60_000);
      if (dbCheck.exitCode !== 0) {
        const finding: Finding = {
          rule: 'db-check',
          detail: `lane ${i}: ${dbCheck.stdout.slice(0, 400)} ${dbCheck.stderr.slice(0, 400)}`,
          repro: `DMA_DB=${lane.files.db} dma db check`,
        };
        report.findings.push(finding);
      }
    }),
  );
  chmodSync(join(base, 'lane0', 'readonly'), 0o700);
  if (report.findings.length === 0) rmSync(base, { recursive: true, force: true });
  report.ms = Date.now() - t0;
  if (process.env.FUZZ_TRACE) {
    const avg = (a: number[]) => Math.round(a.reduce((x, y) => x + y, 0) / Math.max(1, a.length));
    const top = Object.entries(perCmd)
      .map(([k, v]) => [k, v.reduce((x, y) => x + y, 0), v.length] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    for (const [k, sum, n] of top) process.stderr.write(`  ${k}: ${sum} ms over ${n}\n`);
    process.stderr.write(
      `hash ${hashMs} ms; binary avg ${avg(binMs)} ms (${binMs.length}); in-process avg ${avg(inMs)} ms (${inMs.length})\n`,
    );
  }
  return report;
}
