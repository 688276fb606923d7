import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeCheck, TESTED_NODE_MAJORS } from '../../src/commands/doctor.ts';

describe('dma doctor: the Node.js check', () => {
  it('is ok on the majors CI tests, warns on others, fails below the oldest', () => {
    expect(nodeCheck('20.20.2').status).toBe('ok');
    expect(nodeCheck('24.21.0').status).toBe('ok');
    expect(nodeCheck('23.1.0')).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/20, 22, 24/),
    });
    expect(nodeCheck('26.0.0').status).toBe('warn');
    expect(nodeCheck('18.19.0').status).toBe('fail');
  });

  it('names the majors package.json engines promises', () => {
    const engines = (
      JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
    ).engines.node;
    expect(engines).toBe(TESTED_NODE_MAJORS.map((m) => `^${m}`).join(' || '));
  });
});
