// The Overview's work list: which count of the dashboard goes with which words and which
// view resolves it, in the order a quota manager works through them.
import type { Dashboard } from './bindings';
import type { MessageKey, View } from './messages';

export interface WorkItem {
  id: string;
  count: number;
  view: View;
  message: MessageKey;
  values: Record<string, number>;
}

export function workItems(d: Dashboard): WorkItem[] {
  const item = (id: string, count: number, view: View, message: MessageKey, extra = {}): WorkItem => ({
    id,
    count,
    view,
    message,
    values: { count, ...extra },
  });
  return [
    item('overdue', d.overdue, 'quotas', 'overview.work.overdue'),
    item('at-risk', d.at_risk, 'quotas', 'overview.work.atRisk'),
    item('decisions', d.awaiting_decision, 'cases', 'overview.work.decisions'),
    item('to-send', d.proposals_to_send, 'placement', 'overview.work.toSend'),
    d.longest_wait_days === null
      ? item('answers', d.awaiting_answer, 'placement', 'overview.work.answers')
      : item('answers', d.awaiting_answer, 'placement', 'overview.work.answersWaiting', {
          days: d.longest_wait_days,
        }),
    item('declarations', d.declarations_missing, 'cases', 'overview.work.declarations'),
    item('missions', d.missions_in_field, 'missions', 'overview.work.missions'),
    item('conflicts', d.open_conflicts, 'missions', 'overview.work.conflicts'),
  ];
}
