import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogLanguage, catalogs, createTranslator } from './i18n.ts';

test('the browser language picks the catalog; unknown languages get English', () => {
  assert.equal(catalogLanguage('es-MX'), 'es');
  assert.equal(catalogLanguage('ES'), 'es');
  assert.equal(catalogLanguage('en-GB'), 'en');
  assert.equal(catalogLanguage('pt-BR'), 'en');
});

test('placeholders are filled', () => {
  assert.equal(
    createTranslator('en-US')('state.notFound.title', { phone: '+34600000000' }),
    'No customer for +34600000000',
  );
  assert.equal(
    createTranslator('es-ES')('state.notFound.title', { phone: '+34600000000' }),
    'Ningún cliente con +34600000000',
  );
});

test('every Spanish text has the same placeholders as its English one', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
  for (const [id, english] of Object.entries(catalogs.en)) {
    const spanish = catalogs.es[id as keyof typeof catalogs.es];
    assert.deepEqual(placeholders(spanish), placeholders(english), id);
  }
});
