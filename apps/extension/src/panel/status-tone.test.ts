import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusTone } from './status-tone.ts';

test('common order and tracking statuses in English and Spanish get a tone', () => {
  const cases: Array<[string | null, string]> = [
    ['Delivered', 'success'],
    ['Entregado', 'success'],
    ['paid', 'success'],
    ['Shipped', 'info'],
    ['Enviado', 'info'],
    ['En tránsito', 'info'],
    ['Pending payment', 'warning'],
    ['En preparación', 'warning'],
    ['Cancelled', 'danger'],
    ['Reembolsado', 'danger'],
    ['Refunded', 'danger'],
    ['Something the CRM invented', 'neutral'],
    [null, 'neutral'],
  ];
  for (const [status, tone] of cases) assert.equal(statusTone(status), tone, String(status));
});
