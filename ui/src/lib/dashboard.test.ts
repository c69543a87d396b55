import { describe, expect, it } from 'vitest';
import type { Dashboard } from './bindings';
import { workItems } from './dashboard';
import { translate } from './messages';

const day: Dashboard = {
  today: '2026-12-06',
  overdue: 3,
  at_risk: 1,
  awaiting_decision: 12,
  proposals_to_send: 0,
  awaiting_answer: 2,
  longest_wait_days: 9,
  declarations_missing: 4,
  missions_in_field: 1,
  open_conflicts: 0,
  quota: { period: 2026, year: 2026, annual_cap: 500, allocated: 500, committed: 120, used: 80, available: 300 },
};

describe('the Overview work list', () => {
  it('links each count to the view that resolves it, in working order', () => {
    expect(workItems(day).map((i) => [i.id, i.count, i.view])).toEqual([
      ['overdue', 3, 'quotas'],
      ['at-risk', 1, 'quotas'],
      ['decisions', 12, 'cases'],
      ['to-send', 0, 'placement'],
      ['answers', 2, 'placement'],
      ['declarations', 4, 'cases'],
      ['missions', 1, 'missions'],
      ['conflicts', 0, 'missions'],
    ]);
  });

  it('says each count in words, in English and Danish, with its plural form', () => {
    const words = (lang: 'en' | 'da') =>
      workItems(day).map((i) => `${i.count} ${translate(lang, i.message, i.values)}`);
    expect(words('en')[0]).toBe('3 cases past their UNHCR deadline');
    expect(words('en')[1]).toBe('1 case with less than a quarter of its time left');
    expect(words('en')[4]).toBe('2 placements waiting for the municipalities’ answers, the longest for 9 days');
    expect(words('da')[0]).toBe('3 sager over UNHCR-fristen');
    expect(words('da')[4]).toBe('2 placeringer venter på kommunernes svar, den ældste i 9 dage');
  });

  it('says no wait when nothing waits for a municipality', () => {
    const items = workItems({ ...day, awaiting_answer: 0, longest_wait_days: null });
    const answers = items.find((i) => i.id === 'answers')!;
    expect(translate('en', answers.message, answers.values)).toBe('placements waiting for the municipalities’ answers');
  });
});
