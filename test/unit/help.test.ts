import { describe, expect, it } from 'vitest';
import { renderHelp, unwrap, wrap } from '../../src/cli/help.ts';

describe('help text', () => {
  it('unwraps hard-wrapped prose into paragraphs, keeping list items on their own lines', () => {
    expect(unwrap('one two\nthree\n\nfour\n- a\n  b\n- c')).toEqual([
      'one two three',
      '',
      'four',
      '- a b',
      '- c',
    ]);
  });
  it('wraps to the width, words whole', () => {
    expect(wrap('aaa bbb ccc\nddd', 8)).toEqual(['aaa bbb', 'ccc ddd']);
    expect(wrap('abcdefghijk x', 5)).toEqual(['abcdefghijk', 'x']);
  });
  it('aligns items and wraps their descriptions under the description column', () => {
    const text = renderHelp(
      {
        usage: 'dma x [options]',
        description: 'Does\nthings.',
        sections: [{ title: 'Options:', items: [['--long-flag', 'one two three four five six']] }],
      },
      30,
    );
    expect(text).toBe(
      [
        'Usage: dma x [options]',
        '',
        'Does things.',
        '',
        'Options:',
        '  --long-flag',
        '      one two three four five',
        '      six',
        '',
      ].join('\n'),
    );
    const wide = renderHelp(
      { usage: 'u', description: '', sections: [{ title: 'T:', items: [['-a', 'x y z']] }] },
      80,
    );
    expect(wide).toBe('Usage: u\n\nT:\n  -a  x y z\n');
  });
});
