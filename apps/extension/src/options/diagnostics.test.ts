import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTranslator } from '../panel/i18n.ts';
import { diagnosticRows } from './diagnostics.ts';

const time = (iso: string) => iso.slice(11, 19);
const status = { store: 'reachable', messages: 'store', detectedAt: '2026-03-02T10:21:03.000Z' } as const;

test('nothing reported yet: no rows (the page says to open WhatsApp Web)', () => {
  assert.deepEqual(diagnosticRows(null, createTranslator('en'), time), []);
});

test('store, message format and the last detection with its source, in English and Spanish', () => {
  const seen = {
    tabId: 7,
    chat: { kind: 'phone', phone: '+447911123456', name: 'James', source: 'lid_map' },
    status,
  } as const;
  assert.deepEqual(
    diagnosticRows(seen, createTranslator('en-US'), time).map(({ key, value }) => [key, value]),
    [
      ['store', 'Reachable'],
      ['messages', "WhatsApp's store"],
      ['detection', "+447911123456, from WhatsApp's LID-to-phone map (10:21:03)"],
    ],
  );
  const es = diagnosticRows(
    {
      tabId: 7,
      chat: { kind: 'no_phone', reason: 'lid', name: 'sofia.runs', source: 'store' },
      status: { ...status, store: 'unreachable', messages: 'none' },
    },
    createTranslator('es-ES'),
    time,
  );
  assert.deepEqual(
    es.map(({ value }) => value),
    [
      'No accesible: se lee el marcado de la página',
      'No legibles: sin envío de mensajes ni contexto para la IA',
      'Sin teléfono (WhatsApp oculta el número), según el id del chat en el almacén de WhatsApp (10:21:03)',
    ],
  );
});

test('no chat open', () => {
  const rows = diagnosticRows(
    { tabId: 7, chat: { kind: 'none' }, status: { ...status, messages: null } },
    createTranslator('en'),
    time,
  );
  assert.deepEqual(
    rows.map(({ value }) => value),
    ['Reachable', 'No chat open', 'No chat open (10:21:03)'],
  );
});
