import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { dayOf, monthOf, nextDay, renewalOf, startOfDay } from './period.ts';

test("the month is the shop's, not UTC's", () => {
  const lastMarchEvening = new Date('2026-03-31T22:30:00Z');
  assert.equal(monthOf(lastMarchEvening, 'UTC'), '2026-03');
  assert.equal(monthOf(lastMarchEvening, 'Europe/Madrid'), '2026-04');
  assert.equal(monthOf(lastMarchEvening, 'America/Mexico_City'), '2026-03');
  assert.equal(dayOf(new Date('2026-01-01T03:00:00Z'), 'America/Los_Angeles'), '2025-12-31');
});

test('renewal is local midnight on the 1st, across daylight-saving changes', () => {
  assert.equal(renewalOf('2026-03', 'Europe/Madrid').toISOString(), '2026-03-31T22:00:00.000Z'); // CEST
  assert.equal(renewalOf('2026-10', 'Europe/Madrid').toISOString(), '2026-10-31T23:00:00.000Z'); // CET again
  assert.equal(renewalOf('2026-12', 'Europe/Madrid').toISOString(), '2026-12-31T23:00:00.000Z');
  assert.equal(renewalOf('2026-03', 'Pacific/Auckland').toISOString(), '2026-03-31T11:00:00.000Z');
  assert.equal(renewalOf('2026-02', 'UTC').toISOString(), '2026-03-01T00:00:00.000Z');
  assert.equal(renewalOf('2026-03', 'Asia/Kolkata').toISOString(), '2026-03-31T18:30:00.000Z');
});

test('days start at local midnight and follow each other across month ends', () => {
  assert.equal(startOfDay('2026-03-29', 'Europe/Madrid').toISOString(), '2026-03-28T23:00:00.000Z');
  assert.equal(startOfDay('2026-03-30', 'Europe/Madrid').toISOString(), '2026-03-29T22:00:00.000Z');
  assert.equal(nextDay('2026-02-28'), '2026-03-01');
  assert.equal(nextDay('2028-02-28'), '2028-02-29');
  assert.equal(nextDay('2026-12-31'), '2027-01-01');
});

test('the remembered month is only reused within its bounds', () => {
  const zone = 'Europe/Madrid';
  assert.equal(monthOf(new Date('2026-03-31T21:59:59Z'), zone), '2026-03');
  assert.equal(monthOf(new Date('2026-03-31T22:00:00Z'), zone), '2026-04');
  assert.equal(monthOf(new Date('2026-03-31T21:59:59Z'), zone), '2026-03');
  assert.equal(monthOf(new Date('2026-02-28T22:59:59Z'), zone), '2026-02');
  assert.equal(monthOf(new Date('2026-02-28T23:00:00Z'), zone), '2026-03');
});
