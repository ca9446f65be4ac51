import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { nextProbeAt } from './probe-schedule.ts';

const disabledAt = new Date('2026-03-02T10:00:00Z');
const at = (minutes: number) => new Date(disabledAt.getTime() + minutes * 60_000);
const minutesAfterDisabling = (date: Date) => (date.getTime() - disabledAt.getTime()) / 60_000;

test('probes 1 minute after disabling, then 5, 15 and every 30 minutes after each probe', () => {
  const probes: number[] = [];
  let last: Date | null = null;
  for (let i = 0; i < 6; i++) {
    last = nextProbeAt(disabledAt, last);
    probes.push(minutesAfterDisabling(last));
  }
  assert.deepEqual(probes, [1, 6, 21, 51, 81, 111]);
});

test('a late probe moves the schedule on instead of tightening it', () => {
  // The first probe ran 4 minutes late (a restart): the next still waits 5 minutes, not 1.
  assert.equal(minutesAfterDisabling(nextProbeAt(disabledAt, at(5))), 10);
  assert.equal(minutesAfterDisabling(nextProbeAt(disabledAt, at(7))), 22);
});

test('a probe from an earlier outage does not count', () => {
  assert.equal(minutesAfterDisabling(nextProbeAt(disabledAt, at(-90))), 1);
});
