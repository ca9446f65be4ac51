/**
 * The console's shell: sign-in, then the pages the signed-in token may use (a shop's pages for a
 * shop token, Shops for the admin token), in English or Spanish. The page is chosen by the URL's
 * hash so that links, back and reload work without a server route per page.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, type SessionInfo } from './api.ts';
import { ErrorBox } from './components.tsx';
import { createTranslate, I18n, languageOf, useT, type Language, type MessageId } from './i18n.ts';
import { AgentsPage } from './pages/agents.tsx';
import { AiPage } from './pages/ai.tsx';
import { CrmPage } from './pages/crm.tsx';
import { FollowupPage } from './pages/followup.tsx';
import { ShopsPage } from './pages/shops.tsx';
import { WebhooksPage } from './pages/webhooks.tsx';

type PageId = 'crm' | 'webhooks' | 'ai' | 'followup' | 'agents' | 'shops';

const shopPages: PageId[] = ['crm', 'webhooks', 'ai', 'followup', 'agents'];
const adminPages: PageId[] = ['shops'];

const LANGUAGE_KEY = 'parley.console.language';

function pageFromHash(hash: string, allowed: PageId[]): PageId {
  const wanted = hash.replace(/^#\/?/, '') as PageId;
  return allowed.includes(wanted) ? wanted : (allowed[0] ?? 'crm');
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  const [language, setLanguage] = useState<Language>(
    (localStorage.getItem(LANGUAGE_KEY) as Language | null) ?? languageOf(navigator.language),
  );
  const api = useMemo(
    () =>
      new Api(() => {
        setEnded(true);
        setSession(null);
      }),
    [],
  );
  const [hash, setHash] = useState(location.hash);

  useEffect(() => {
    void api.session().then(setSession);
    const onHash = () => setHash(location.hash);
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem(LANGUAGE_KEY, language);
  }, [language]);

  const t = createTranslate(language);
  const i18n = { t, language };
  if (session === undefined) return null;

  const chooseLanguage = (
    <label class="language">
      <span>{t('app.language')}</span>
      <select value={language} onChange={(e) => setLanguage(e.currentTarget.value as Language)}>
        <option value="en">English</option>
        <option value="es">Español</option>
      </select>
    </label>
  );

  if (session === null) {
    return (
      <I18n.Provider value={i18n}>
        <SignIn
          api={api}
          ended={ended}
          languagePicker={chooseLanguage}
          onSignedIn={async () => {
            setEnded(false);
            setSession(await api.session());
          }}
        />
      </I18n.Provider>
    );
  }

  const pages = session.kind === 'admin' ? adminPages : shopPages;
  const page = pageFromHash(hash, pages);
  return (
    <I18n.Provider value={i18n}>
      <a
        class="skip"
        href="#main"
        onClick={(event) => {
          // The hash chooses the page, so the skip link moves the focus without touching it.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('app.skip')}
      </a>
      <header class="top">
        <div class="brand">
          <strong>{t('app.title')}</strong>
          <span class="muted" data-testid="signed-in-as">
            {session.shop?.name ?? t('app.admin')}
          </span>
        </div>
        <nav aria-label={t('app.nav')}>
          <ul>
            {pages.map((id) => (
              <li key={id}>
                <a href={`#/${id}`} aria-current={id === page ? 'page' : undefined}>
                  {t(`nav.${id}` as MessageId)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="top-actions">
          {chooseLanguage}
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await api.signOut();
              setSession(null);
            }}
          >
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1} data-page={page}>
        {page === 'crm' ? <CrmPage api={api} /> : null}
        {page === 'webhooks' ? <WebhooksPage api={api} /> : null}
        {page === 'ai' ? <AiPage api={api} /> : null}
        {page === 'followup' ? <FollowupPage api={api} /> : null}
        {page === 'agents' ? (
          <AgentsPage api={api} onSignedInAgain={async () => setSession(await api.session())} />
        ) : null}
        {page === 'shops' ? <ShopsPage api={api} /> : null}
      </main>
    </I18n.Provider>
  );
}

function SignIn(props: {
  api: Api;
  ended: boolean;
  languagePicker: preact.JSX.Element;
  onSignedIn: () => void;
}) {
  const t = useT();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <main class="signin" id="main">
      <form
        class="card form"
        onSubmit={async (event) => {
          event.preventDefault();
          const refused = await props.api.signIn(token.trim());
          if (refused !== null) return setError(refused);
          setToken('');
          props.onSignedIn();
        }}
      >
        <h1>{t('signin.title')}</h1>
        {props.ended ? <p role="status">{t('app.sessionEnded')}</p> : null}
        <p class="muted">{t('signin.help')}</p>
        <label class="field">
          <span class="field-label">{t('signin.token')}</span>
          <input
            type="password"
            name="token"
            autocomplete="off"
            required
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <ErrorBox message={error} />
        <div class="actions">
          <button type="submit">{t('signin.submit')}</button>
          {props.languagePicker}
        </div>
      </form>
    </main>
  );
}
