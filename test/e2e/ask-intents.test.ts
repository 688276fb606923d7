/**
 * `dma ask` as a DM uses it (built binary, scratch database): the lookups of issue 14
 * answered as the lookup commands answer them, refusals and uncertain readings that write
 * nothing (row counts of every table compared), and `--queue` carried out by a real
 * `dma worker` process.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dma, dmaBin, scratchEnv } from '../helpers/dma.ts';
import { NONSENSE, REFUSED, UNCERTAIN } from '../fixtures/ask-phrasings.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (s: string) => JSON.parse(s) as Record<string, any>;

/** Rows of every table of the campaign file (bus log, tasks, entities, FTS…). */
function rowCounts(path: string): Record<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.map(({ name }) => [
        name,
        (db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n,
      ]),
    );
  } finally {
    db.close();
  }
}

async function inBatches<T>(items: readonly T[], size: number, f: (t: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(f));
}

describe('dma ask: lookups, stat blocks and refusals', () => {
  it('answers the repros of issue 14 with the lookup commands’ own numbers', async () => {
    const env = scratchEnv();
    const ask = async (q: string, ...flags: string[]) => {
      const r = await dma(['ask', q, '--seed', '5', ...flags], { env });
      expect(r.exitCode, `${q}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const xp = json(await ask('how many XP does a mage need for 7th level', '--json'));
    expect(xp).toMatchObject({ status: 'success', intent: 'rules.xp', answer: { xp: 60000 } });
    expect(xp.entities_created).toBe(0);
    expect((await ask('how many XP does a mage need for 7th level')).split('\n')[0]).toBe(
      (await dma(['xp', 'mage', '--level', '7'], { env })).stdout.trim(),
    );
    const turn = await ask('can a 5th level cleric turn a ghoul');
    expect(turn.split('\n')[0]).toBe((await dma(['turn', '5', 'ghoul'], { env })).stdout.trim());
    expect(turn).toContain('Ghoul or 2 HD: roll 4 or more on d20 to turn');
    const skills = await ask('thief skills of a 5th level halfling');
    const direct = (await dma(['thief-skills', '5', '--race', 'halfling'], { env })).stdout.trim();
    expect(skills.startsWith(direct)).toBe(true);
    expect((await ask('save for a cleric 7 vs spell')).split('\n')[0]).toBe('12');
    // a dwarf's Constitution bonus is for poison (PHB Table 9), as `dma save --vs poison` has it
    expect((await ask('save vs poison for a dwarf fighter 5 with con 17')).split('\n')[0]).toBe(
      (
        await dma(['save', 'fighter', '5', '--race', 'dwarf', '--con', '17', '--vs', 'poison'], {
          env,
        })
      ).stdout.trim(),
    );
    expect((await ask('what does a 7th level cleric need to save vs spells')).split('\n')[0]).toBe(
      '12',
    );
    expect((await ask('What does a 5th level fighter need to hit AC 4?')).split('\n')[0]).toBe(
      '12',
    );
    expect((await ask('spell slots for a cleric 7 with wis 17')).split('\n')[0]).toBe(
      (await dma(['spells', 'cleric', '7', '--wis', '17'], { env })).stdout.trim(),
    );
    // the stat block of `dma monster`, from the same catalogue
    const bugbear = await ask('stats for a bugbear');
    const block = (await dma(['monster', 'bugbear'], { env })).stdout.trim();
    expect(bugbear.startsWith(block)).toBe(true);
    expect(bugbear).toMatch(/HD 3\+1 .*; THAC0 17/);
    // nothing of all that created an entity
    expect(json((await dma(['db', 'info', '--json'], { env })).stdout).entities).toBe(0);
  });

  it('keeps digits in names and renders a created NPC and "who is" as stat blocks', async () => {
    const env = scratchEnv();
    const made = json(
      (
        await dma(['ask', 'Create a level 3 fighter NPC named Wk11', '--seed', '11', '--json'], {
          env,
        })
      ).stdout,
    );
    expect(made).toMatchObject({ status: 'success', entities_created: 1 });
    expect(made.created_entities[0]).toMatchObject({ type: 'npc', name: 'Wk11' });
    const who = await dma(['ask', 'who is Wk11?'], { env });
    expect(who.exitCode).toBe(0);
    expect(who.stdout).toMatch(/^Wk11 — \w+ fighter 3, /);
    expect(who.stdout).toMatch(/AC -?\d+; HP \d+; THAC0 18/);
    expect(who.stdout).not.toContain('roll_log');
    expect(who.stdout).not.toMatch(/^\{/);
    const whoJson = json((await dma(['ask', 'who is Wk11?', '--json'], { env })).stdout);
    expect(whoJson.answer.name).toBe('Wk11');
    expect(whoJson.answer.data.roll_log).toBeUndefined();
  });

  it('refusals, uncertain readings and nonsense exit 3 and write nothing', async () => {
    const env = scratchEnv();
    // a campaign with something in it, so that a write would show
    expect(
      (await dma(['ask', 'Create a level 7 wizard NPC named Elara', '--seed', '7'], { env }))
        .exitCode,
    ).toBe(0);
    const before = rowCounts(env.DMA_DB!);
    expect(before['bus_messages'] ?? before['messages']).toBeGreaterThan(0);
    const texts = [...NONSENSE, ...UNCERTAIN.map(([t]) => t), ...REFUSED.map(([t]) => t)];
    await inBatches(texts, 4, async (text) => {
      const r = await dma(['ask', text, '--json'], { env });
      expect(r.exitCode, text).toBe(3);
      expect(r.stdout, text).toBe('');
      expect(json(r.stderr).error.code, text).toBe('INVALID_INPUT');
    });
    // nonsense stays refused with --yes
    for (const text of NONSENSE.slice(0, 5))
      expect((await dma(['ask', text, '--yes'], { env })).exitCode, text).toBe(3);
    expect(rowCounts(env.DMA_DB!)).toEqual(before);
  });

  it('an uncertain request lists the ranked interpretations; --yes takes the first', async () => {
    const env = scratchEnv();
    const r = await dma(['ask', 'THAC0 and saves of a level 3 cleric', '--json'], { env });
    expect(r.exitCode).toBe(3);
    const details = json(r.stderr).error.details;
    expect(details.interpretations.map((i: { intent: string }) => i.intent)).toEqual([
      'rules.thac0',
      'rules.save',
    ]);
    expect(details.interpretations[0]).toMatchObject({ rank: 1, command: 'dma thac0 cleric 3' });
    const text = await dma(['ask', 'THAC0 and saves of a level 3 cleric'], { env });
    expect(text.stderr).toContain('1. rules.thac0');
    expect(text.stderr).toContain('dma save cleric 3');
    expect(text.stderr).toContain('--yes');
    const yes = json(
      (await dma(['ask', 'THAC0 and saves of a level 3 cleric', '--yes', '--json'], { env }))
        .stdout,
    );
    expect(yes).toMatchObject({
      status: 'success',
      intent: 'rules.thac0',
      accepted_below_threshold: true,
      answer: 20,
    });
  });

  it('"give me 3 orc NPCs" is refused with the reason, never three random NPCs', async () => {
    const env = scratchEnv();
    const r = await dma(['ask', 'give me 3 orc NPCs'], { env });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('cannot create orc NPCs');
    expect(r.stderr).toContain('PHB player races');
    expect(json((await dma(['db', 'info', '--json'], { env })).stdout).exists).toBe(false);
  });
});

describe('dma ask --queue', () => {
  it('publishes and returns at once; a running dma worker carries it out', async () => {
    const env = scratchEnv();
    const worker = spawn(process.execPath, [dmaBin, 'worker', '--poll-ms', '20', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    worker.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      const queued = await dma(
        ['ask', 'Create a level 7 wizard NPC named Elara', '--queue', '--seed', '7', '--json'],
        { env },
      );
      expect(queued.exitCode).toBe(0);
      const q = json(queued.stdout);
      expect(q).toMatchObject({ status: 'queued', intent: 'npc.create', messages: 1 });
      expect(q.entities_created).toBeUndefined();
      const lookup = json(
        (
          await dma(['ask', 'how many XP does a mage need for 7th level', '--queue', '--json'], {
            env,
          })
        ).stdout,
      );
      // the worker answers both
      let tail: Record<string, any> = {}; // eslint-disable-line @typescript-eslint/no-explicit-any
      for (let i = 0; i < 200; i++) {
        tail = json(
          (await dma(['bus', 'tail', '--correlation', lookup.correlation_id, '--json'], { env }))
            .stdout,
        );
        if (tail.messages.some((m: { kind: string }) => m.kind === 'response')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const answer = tail.messages.find((m: { kind: string }) => m.kind === 'response');
      expect(answer.payload).toMatchObject({ status: 'ok', result: { value: { xp: 60000 } } });
      let shown = await dma(['npc', 'show', 'Elara', '--json'], { env });
      for (let i = 0; i < 100 && shown.exitCode !== 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        shown = await dma(['npc', 'show', 'Elara', '--json'], { env });
      }
      expect(shown.exitCode).toBe(0);
      expect(json(shown.stdout).entity.data).toMatchObject({ class: 'mage', level: 7 });
      const messages = json(
        (await dma(['bus', 'tail', '--correlation', q.correlation_id, '--json'], { env })).stdout,
      ).messages;
      expect(messages.length).toBeGreaterThanOrEqual(3);
    } finally {
      worker.kill('SIGTERM');
      await new Promise((r) => worker.on('exit', r));
    }
    expect(json(out)).toMatchObject({ stopped_by: 'signal' });
    expect(json(out).processed).toBeGreaterThanOrEqual(2);
  });
});
