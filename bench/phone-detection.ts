/**
 * Phone detection throughput (docs/conversations.md#what-is-detected; target ~50,000 short messages/s on one core), against the
 * in-run baseline of calling libphonenumber-js's findPhoneNumbersInText on every message: the ratio
 * says what Parley's filters cost and what its digit pre-check saves.
 * Run from the repo root: node --import tsx bench/phone-detection.ts
 */
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import { createPhoneFinder } from '../apps/server/src/features/conversations/index.ts';

const MESSAGES = 200_000;

/** Chat-like texts: mostly without numbers, some with phones, orders, dates and prices. */
const everyday = [
  'Hola, ¿tenéis la talla 42 en azul?',
  'Gracias!',
  'Perfecto, lo recojo mañana por la tarde',
  'Ok 👍',
  'Llámame al 612 345 678 cuando puedas',
  'my order #1234567 arrived 12/03/2026',
  'call me at +1 (415) 555-2671',
  'El pedido 612345678 no ha llegado todavía',
  '¿Cuánto cuesta el envío a 28013?',
  'Son 45,90 € en total',
];
const corpora = {
  everyday: Array.from({ length: MESSAGES }, (_, i) => everyday[i % everyday.length] ?? ''),
  'a number in every message': Array.from(
    { length: MESSAGES / 4 },
    (_, i) => `Mi número es 6${String(10_000_000 + i)} y el pedido 2026-${i}`,
  ),
};

function rate(corpus: readonly string[], detect: (text: string) => unknown[]): number {
  let found = 0;
  for (const text of corpus.slice(0, 2_000)) found += detect(text).length;
  const started = performance.now();
  for (const text of corpus) found += detect(text).length;
  const seconds = (performance.now() - started) / 1000;
  // Using the count keeps the loop from being optimized away.
  if (found < 0) throw new Error('unreachable');
  return corpus.length / seconds;
}

const parley = await createPhoneFinder('ES');
const raw = (text: string) => findPhoneNumbersInText(text, { defaultCountry: 'ES' });
for (const [name, corpus] of Object.entries(corpora)) {
  const baseline = rate(corpus, raw);
  const measured = rate(corpus, parley);
  console.log(
    `${name}: ${Math.round(measured).toLocaleString('en')} messages/s ` +
      `(findPhoneNumbersInText alone: ${Math.round(baseline).toLocaleString('en')}/s, ratio ${(measured / baseline).toFixed(2)})`,
  );
}
