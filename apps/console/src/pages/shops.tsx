/** Shops (admin token): the admin routes (GET/POST /api/admin/shops, PATCH /api/admin/shops/:id,
 * POST …/disable, …/enable, …/credits) as a page. A new shop's token is shown once. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import {
  Badge,
  changeThenReload,
  CopyButton,
  ErrorBox,
  Field,
  Notice,
  Section,
  useDateFormat,
} from '../components.tsx';
import { useT } from '../i18n.ts';

interface Shop {
  id: string;
  name: string;
  country: string;
  timezone: string;
  locale: string;
  settings?: { require_confirmation_token: boolean };
  disabled_at?: string | null;
  created_at: string;
}

const emptyShop = { name: '', country: 'ES', timezone: 'Europe/Madrid', locale: 'es-ES' };

export function ShopsPage({ api }: { api: Api }) {
  const t = useT();
  const when = useDateFormat();
  const [shops, setShops] = useState<Shop[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState(emptyShop);
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [editing, setEditing] = useState<Shop | null>(null);
  const [credits, setCredits] = useState<{ shop: Shop; amount: string; reference: string } | null>(null);

  const load = async () => {
    const outcome = await api.rest<{ shops: Shop[] }>('GET', '/api/admin/shops');
    if (!outcome.ok) return setError(outcome.message);
    setShops(outcome.data.shops);
  };
  useEffect(() => void load(), []);

  const act = changeThenReload({ setError, reload: load, onStart: () => setNotice(null) });
  const path = (shop: Shop, tail = '') => `/api/admin/shops/${encodeURIComponent(shop.id)}${tail}`;

  return (
    <>
      <Section title={t('shops.create')} id="shops-create">
        <form
          class="form"
          onSubmit={async (event) => {
            event.preventDefault();
            const created = await act(
              api.rest<{ shop: Shop; token: string }>('POST', '/api/admin/shops', form),
            );
            if (created === null) return;
            setShown({ name: created.shop.name, token: created.token });
            setForm(emptyShop);
          }}
        >
          <Field label={t('shops.name')}>
            <input
              required
              value={form.name}
              onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('shops.country')}>
            <input
              value={form.country}
              maxLength={2}
              onInput={(e) => setForm({ ...form, country: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('shops.timezone')}>
            <input
              value={form.timezone}
              onInput={(e) => setForm({ ...form, timezone: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('shops.locale')}>
            <input value={form.locale} onInput={(e) => setForm({ ...form, locale: e.currentTarget.value })} />
          </Field>
          <div class="actions">
            <button type="submit">{t('shops.create')}</button>
          </div>
        </form>
        {shown === null ? null : (
          <div class="token-once" role="status">
            <p>{t('shops.tokenOnce', { name: shown.name })}</p>
            <div class="secret-row">
              <code data-testid="shop-token">{shown.token}</code>
              <CopyButton text={shown.token} />
            </div>
          </div>
        )}
        <Notice message={notice} />
        <ErrorBox message={error} />
      </Section>

      {editing === null ? null : (
        <Section title={`${t('common.edit')}: ${editing.name}`} id="shops-edit">
          <form
            class="form"
            onSubmit={async (event) => {
              event.preventDefault();
              const { name, country, timezone, locale, settings } = editing;
              const body = {
                name,
                country,
                timezone,
                locale,
                ...(settings === undefined ? {} : { settings }),
              };
              if ((await act(api.rest('PATCH', path(editing), body))) !== null) {
                setEditing(null);
                setNotice(t('common.applied'));
              }
            }}
          >
            <Field label={t('shops.name')}>
              <input
                required
                value={editing.name}
                onInput={(e) => setEditing({ ...editing, name: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('shops.country')}>
              <input
                value={editing.country}
                onInput={(e) => setEditing({ ...editing, country: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('shops.timezone')}>
              <input
                value={editing.timezone}
                onInput={(e) => setEditing({ ...editing, timezone: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('shops.locale')}>
              <input
                value={editing.locale}
                onInput={(e) => setEditing({ ...editing, locale: e.currentTarget.value })}
              />
            </Field>
            {editing.settings === undefined ? null : (
              <label class="checks">
                <input
                  type="checkbox"
                  checked={editing.settings.require_confirmation_token}
                  onChange={(e) =>
                    setEditing({
                      ...editing,
                      settings: { require_confirmation_token: e.currentTarget.checked },
                    })
                  }
                />
                {t('shops.requireToken')}
              </label>
            )}
            <div class="actions">
              <button type="submit">{t('common.save')}</button>
              <button type="button" class="secondary" onClick={() => setEditing(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </Section>
      )}

      {credits === null ? null : (
        <Section title={`${t('shops.credits')}: ${credits.shop.name}`} id="shops-credits">
          <form
            class="form"
            onSubmit={async (event) => {
              event.preventDefault();
              const body = { amount: Number(credits.amount), reference: credits.reference };
              if ((await act(api.rest('POST', path(credits.shop, '/credits'), body))) !== null) {
                setCredits(null);
                setNotice(t('common.applied'));
              }
            }}
          >
            <Field label={t('shops.amount')}>
              <input
                type="number"
                min={1}
                required
                value={credits.amount}
                onInput={(e) => setCredits({ ...credits, amount: e.currentTarget.value })}
              />
            </Field>
            <Field label={t('shops.reference')}>
              <input
                required
                value={credits.reference}
                onInput={(e) => setCredits({ ...credits, reference: e.currentTarget.value })}
              />
            </Field>
            <div class="actions">
              <button type="submit">{t('shops.credits')}</button>
              <button type="button" class="secondary" onClick={() => setCredits(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        </Section>
      )}

      <Section title={t('shops.title')} id="shops-list">
        {shops?.length === 0 ? <p>{t('shops.none')}</p> : null}
        <div class="table-wrap">
          <table class="grid" aria-label={t('shops.title')}>
            <thead>
              <tr>
                <th scope="col">{t('shops.name')}</th>
                <th scope="col">{t('shops.state')}</th>
                <th scope="col">{t('shops.timezone')}</th>
                <th scope="col">{t('crm.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(shops ?? []).map((shop) => {
                const disabled = shop.disabled_at !== undefined && shop.disabled_at !== null;
                return (
                  <tr key={shop.id} data-shop={shop.id}>
                    <th scope="row">
                      {shop.name}
                      <div class="muted small">{`${shop.id} · ${shop.country} · ${when(shop.created_at)}`}</div>
                    </th>
                    <td>
                      <Badge tone={disabled ? 'bad' : 'ok'}>
                        {disabled ? t('shops.disabledState') : t('shops.active')}
                      </Badge>
                    </td>
                    <td>{`${shop.timezone} · ${shop.locale}`}</td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="secondary"
                        onClick={() => setEditing(shop)}
                        aria-label={`${t('common.edit')}: ${shop.name}`}
                      >
                        {t('common.edit')}
                      </button>
                      <button
                        type="button"
                        class={disabled ? 'secondary' : 'danger'}
                        aria-label={`${disabled ? t('shops.enable') : t('shops.disable')}: ${shop.name}`}
                        onClick={() =>
                          void act(api.rest('POST', path(shop, disabled ? '/enable' : '/disable')))
                        }
                      >
                        {disabled ? t('shops.enable') : t('shops.disable')}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${t('shops.rotate')}: ${shop.name}`}
                        onClick={async () => {
                          if (!confirm(t('shops.confirmRotate', { name: shop.name }))) return;
                          const rotated = await act(
                            api.rest<{ token: string }>('POST', path(shop, '/token')),
                          );
                          if (rotated !== null) setShown({ name: shop.name, token: rotated.token });
                        }}
                      >
                        {t('shops.rotate')}
                      </button>
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${t('shops.credits')}: ${shop.name}`}
                        onClick={() => setCredits({ shop, amount: '', reference: '' })}
                      >
                        {t('shops.credits')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}
