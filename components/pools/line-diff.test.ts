import { describe, expect, it } from 'vitest';
import { hasChanges, lineDiff } from './line-diff';

describe('lineDiff', () => {
  it('marks nothing when the texts are equal', () => {
    const d = lineDiff('<pool>\n  <name>a</name>\n</pool>\n', '<pool>\n  <name>a</name>\n</pool>');
    expect(hasChanges(d)).toBe(false);
    expect(d).toHaveLength(3);
  });

  it('shows a changed line as a deletion then an addition, keeping the rest', () => {
    const before = "<pool type='dir'>\n  <target>\n    <mode>0755</mode>\n  </target>\n</pool>\n";
    const after = "<pool type='dir'>\n  <target>\n    <mode>0700</mode>\n    <owner>107</owner>\n  </target>\n</pool>\n";
    expect(lineDiff(before, after)).toEqual([
      { kind: 'same', text: "<pool type='dir'>" },
      { kind: 'same', text: '  <target>' },
      { kind: 'del', text: '    <mode>0755</mode>' },
      { kind: 'add', text: '    <mode>0700</mode>' },
      { kind: 'add', text: '    <owner>107</owner>' },
      { kind: 'same', text: '  </target>' },
      { kind: 'same', text: '</pool>' },
    ]);
  });
});
