/** Agents: the agent routes (GET/POST /api/agents, PATCH /api/agents/:id, POST /api/agents/:id/token,
 * DELETE /api/agents/:id) as a page. A new or rotated token is shown once, with a copy button. */
import { agentPermissions } from '@parley/contract';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { changeThenReload, CopyButton, ErrorBox, Field, Section, useDateFormat } from '../components.tsx';
import { useT } from '../i18n.ts';
import { ShopTokenSection } from './shop-token.tsx';

interface Agent {
  id: string;
  nickname: string;
  name: string;
  permissions: string[];
  created_at: string;
  last_used_at?: string | null;
}

function PermissionChecks(props: { value: string[]; onChange: (value: string[]) => void; legend: string }) {
  return (
    <fieldset class="checks">
      <legend>{props.legend}</legend>
      {agentPermissions.map((permission) => (
        <label key={permission}>
          <input
            type="checkbox"
            checked={props.value.includes(permission)}
            onChange={(e) =>
              props.onChange(
                e.currentTarget.checked
                  ? [...props.value, permission]
                  : props.value.filter((p) => p !== permission),
              )
            }
          />
          <code>{permission}</code>
        </label>
      ))}
    </fieldset>
  );
}

export function AgentsPage({ api, onSignedInAgain }: { api: Api; onSignedInAgain: () => void }) {
  const t = useT();
  const when = useDateFormat();
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form, setForm] = useState({
    nickname: '',
    name: '',
    permissions: [...agentPermissions] as string[],
  });
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [edits, setEdits] = useState<Record<string, string[]>>({});

  const load = async () => {
    const outcome = await api.rest<{ agents: Agent[] }>('GET', '/api/agents');
    if (!outcome.ok) return setError(outcome.message);
    setAgents(outcome.data.agents);
  };
  useEffect(() => void load(), []);

  const act = changeThenReload({ setError, reload: load });

  const create = async () => {
    const created = await act(api.rest<{ agent: Agent; token: string }>('POST', '/api/agents', form));
    if (created === null) return;
    setShown({ name: created.agent.name, token: created.token });
    setForm({ nickname: '', name: '', permissions: [...agentPermissions] });
  };

  return (
    <>
      <Section title={t('agents.create')} id="agents-create">
        <form
          class="form"
          onSubmit={(event) => {
            event.preventDefault();
            void create();
          }}
        >
          <Field label={t('agents.nickname')}>
            <input
              required
              value={form.nickname}
              onInput={(e) => setForm({ ...form, nickname: e.currentTarget.value })}
            />
          </Field>
          <Field label={t('agents.name')}>
            <input
              required
              value={form.name}
              onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
            />
          </Field>
          <PermissionChecks
            legend={t('agents.permissions')}
            value={form.permissions}
            onChange={(permissions) => setForm({ ...form, permissions })}
          />
          <div class="actions">
            <button type="submit">{t('agents.create')}</button>
          </div>
        </form>
        {shown === null ? null : (
          <div class="token-once" role="status" data-testid="token-once">
            <p>{t('agents.tokenOnce', { name: shown.name })}</p>
            <div class="secret-row">
              <code data-testid="agent-token">{shown.token}</code>
              <CopyButton text={shown.token} />
            </div>
          </div>
        )}
        <ErrorBox message={error} />
      </Section>

      <Section title={t('agents.title')} id="agents-list">
        {agents === null ? <p>{t('common.loading')}</p> : null}
        {agents?.length === 0 ? <p>{t('agents.none')}</p> : null}
        <div class="table-wrap">
          <table class="grid" aria-label={t('agents.title')}>
            <thead>
              <tr>
                <th scope="col">{t('agents.name')}</th>
                <th scope="col">{t('agents.permissions')}</th>
                <th scope="col">{t('agents.lastUsed')}</th>
                <th scope="col">{t('crm.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(agents ?? []).map((agent) => {
                const permissions = edits[agent.id] ?? agent.permissions;
                return (
                  <tr key={agent.id} data-agent={agent.nickname}>
                    <th scope="row">
                      {agent.name}
                      <div class="muted small">{`@${agent.nickname} · ${t('agents.created')} ${when(agent.created_at)}`}</div>
                    </th>
                    <td>
                      <PermissionChecks
                        legend={`${t('agents.permissions')}: ${agent.name}`}
                        value={permissions}
                        onChange={(value) => setEdits({ ...edits, [agent.id]: value })}
                      />
                      {edits[agent.id] === undefined ? null : (
                        <button
                          type="button"
                          class="secondary"
                          onClick={async () => {
                            await act(
                              api.rest('PATCH', `/api/agents/${encodeURIComponent(agent.id)}`, {
                                permissions,
                              }),
                            );
                            const { [agent.id]: _saved, ...rest } = edits;
                            setEdits(rest);
                          }}
                        >
                          {t('agents.savePermissions')}
                        </button>
                      )}
                    </td>
                    <td>
                      {agent.last_used_at === undefined || agent.last_used_at === null
                        ? t('common.never')
                        : when(agent.last_used_at)}
                    </td>
                    <td class="row-actions">
                      <button
                        type="button"
                        class="secondary"
                        aria-label={`${t('agents.rotate')}: ${agent.name}`}
                        onClick={async () => {
                          const rotated = await act(
                            api.rest<{ token: string }>(
                              'POST',
                              `/api/agents/${encodeURIComponent(agent.id)}/token`,
                            ),
                          );
                          if (rotated !== null) setShown({ name: agent.name, token: rotated.token });
                        }}
                      >
                        {t('agents.rotate')}
                      </button>
                      <button
                        type="button"
                        class="danger"
                        aria-label={`${t('agents.revoke')}: ${agent.name}`}
                        onClick={async () => {
                          if (!confirm(t('agents.confirmRevoke', { name: agent.name }))) return;
                          await act(api.rest('DELETE', `/api/agents/${encodeURIComponent(agent.id)}`));
                        }}
                      >
                        {t('agents.revoke')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Section>
      <ShopTokenSection api={api} onSignedInAgain={onSignedInAgain} />
    </>
  );
}
