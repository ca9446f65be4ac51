/** The shop's own token: get_api_key (prefix, created, last used, MCP URL; never the token) and
 * regenerate_api_key through its preview. Regenerating ends this very session, so the new token is
 * shown once with a button that signs in with it. */
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.ts';
import { CopyButton, ErrorBox, Section, useConfirmedTool, useDateFormat } from '../components.tsx';
import { useT } from '../i18n.ts';

interface TokenInfo {
  prefix: string;
  created_at: string;
  last_used_at: string | null;
}

export function ShopTokenSection({ api, onSignedInAgain }: { api: Api; onSignedInAgain: () => void }) {
  const t = useT();
  const when = useDateFormat();
  const [info, setInfo] = useState<{ token: TokenInfo | null; mcp_url: string } | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.tool<{ token: TokenInfo | null; mcp_url: string }>('get_api_key').then((outcome) => {
      if (outcome.ok) setInfo(outcome.data);
      else setError(outcome.message);
    });
  }, []);
  // Nothing is loaded after the change: the session's token no longer works, only the new one does.
  const regenerate = useConfirmedTool(api, 'regenerate_api_key', (data) => setFresh(String(data.token)));

  return (
    <Section title={t('token.title')} id="shop-token">
      {info === null ? null : (
        <dl class="facts">
          <div>
            <dt>{t('token.prefix')}</dt>
            <dd>
              <code>{info.token === null ? '—' : `${info.token.prefix}…`}</code>
            </dd>
          </div>
          <div>
            <dt>{t('agents.created')}</dt>
            <dd>{when(info.token?.created_at)}</dd>
          </div>
          <div>
            <dt>{t('agents.lastUsed')}</dt>
            <dd>{info.token?.last_used_at == null ? t('common.never') : when(info.token.last_used_at)}</dd>
          </div>
          <div>
            <dt>{t('token.mcpUrl')}</dt>
            <dd>
              <code>{info.mcp_url}</code>
            </dd>
          </div>
        </dl>
      )}
      {fresh === null ? (
        <div class="actions">
          <button type="button" class="danger" onClick={() => void regenerate.start({})}>
            {t('token.regenerate')}
          </button>
        </div>
      ) : (
        <div class="token-once" role="status">
          <p>{t('token.once')}</p>
          <div class="secret-row">
            <code data-testid="new-shop-token">{fresh}</code>
            <CopyButton text={fresh} />
            <button
              type="button"
              onClick={async () => {
                const refused = await api.signIn(fresh);
                if (refused !== null) return setError(refused);
                onSignedInAgain();
              }}
            >
              {t('token.signInAgain')}
            </button>
          </div>
        </div>
      )}
      {regenerate.panel}
      <ErrorBox message={error} />
    </Section>
  );
}
