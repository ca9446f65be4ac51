/**
 * The "AI reply" card at the top of the customer tab: an optional instruction, "Suggest reply", then
 * the draft with the functions it called and what it was based on, "Insert into chat" and "Try
 * again". It is built once and kept (like the search tabs), so the agent's instruction survives
 * the customer view being rebuilt; a change of chat forgets the draft and the instruction.
 * Everything the server or the model wrote is shown as text.
 */
import { MAX_INSTRUCTION_LENGTH, type SuggestReplyResponse, type ToolCallRecord } from '@parley/contract';
import type { Outcome } from '../../shared/outcome.ts';
import {
  assistantViewOf,
  contextSourceText,
  failureText,
  toolCallArguments,
  toolCallFacts,
  toolCallLabel,
  toolCallTone,
  type AssistantState,
} from '../assistant.ts';
import { button, h } from '../dom.ts';
import type { ViewContext } from '../view-context.ts';
import { badge, section } from './parts.ts';
import { failureDetail, messageState } from './states.ts';

export interface AssistantDeps {
  suggest(phone: string, instruction: string | null): Promise<Outcome<SuggestReplyResponse>>;
}

export interface AssistantPanel {
  element: HTMLElement;
  /** The open chat's phone (null: none); another chat forgets the draft and any answer on its way. */
  setChat(phone: string | null): void;
  setVisible(visible: boolean): void;
}

export function createAssistantPanel(ctx: ViewContext, deps: AssistantDeps): AssistantPanel {
  const { t } = ctx;
  let phone: string | null = null;
  let state: AssistantState = { pending: false, outcome: null };
  let sequence = 0;

  const instruction = h('input', {
    class: 'assistant-instruction',
    attrs: {
      type: 'text',
      maxlength: String(MAX_INSTRUCTION_LENGTH),
      placeholder: t('ai.instruction.placeholder'),
      title: t('ai.instruction'),
      'aria-label': t('ai.instruction'),
      'data-instruction': '',
    },
  });
  const suggestButton = h(
    'button',
    { class: 'button primary suggest', attrs: { type: 'submit', 'data-suggest': '' } },
    t('ai.suggest'),
  );
  const form = h('form', { class: 'assistant-form' }, instruction, suggestButton);
  const result = h('div', { class: 'assistant-result', attrs: { 'aria-live': 'polite' } });
  const element = h(
    'section',
    { class: 'card assistant', attrs: { 'data-assistant': '', hidden: '' } },
    h('h3', { class: 'section-title' }, t('ai.title')),
    form,
    result,
  );

  const suggest = async () => {
    if (phone === null || state.pending) return;
    const mine = ++sequence;
    const wanted = instruction.value.trim();
    state = { pending: true, outcome: state.outcome };
    render();
    const outcome = await deps.suggest(phone, wanted === '' ? null : wanted);
    if (mine !== sequence) return;
    state = { pending: false, outcome };
    render();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void suggest();
  });

  const tryAgain = () => button(t('ai.tryAgain'), () => void suggest(), 'button try-again');

  function render() {
    suggestButton.disabled = state.pending;
    const view = assistantViewOf(state);
    switch (view.kind) {
      case 'idle':
        result.replaceChildren();
        return;
      case 'loading':
        result.replaceChildren(loading(t('ai.loading'), t('ai.loading.body')));
        return;
      case 'draft':
        result.replaceChildren(draftView(view.reply, view.insertable, ctx, tryAgain()));
        return;
      case 'ai_not_configured':
        result.replaceChildren(
          messageState({
            state: 'ai-not-configured',
            tone: 'warning',
            title: t('ai.notConfigured.title'),
            body: t('ai.notConfigured.body'),
            detail: view.detail,
            detailLabel: t('ai.notConfigured.detail'),
            actions: [tryAgain()],
          }),
        );
        return;
      case 'no_credits':
        result.replaceChildren(
          messageState({
            state: 'ai-no-credits',
            tone: 'warning',
            title: t('ai.noCredits.title'),
            body: t('ai.noCredits.body'),
            actions: [tryAgain()],
          }),
        );
        return;
      case 'failure': {
        const { failure } = view;
        result.replaceChildren(
          messageState({
            state: 'ai-error',
            tone: 'error',
            title: t('ai.error.title'),
            body: t(failureText(failure)),
            detail: failureDetail(failure),
            actions: [button(t('action.retry'), () => void suggest(), 'button primary retry')],
          }),
        );
        return;
      }
    }
  }

  return {
    element,
    setChat(next) {
      if (next === phone) return;
      phone = next;
      sequence++;
      state = { pending: false, outcome: null };
      instruction.value = '';
      render();
    },
    setVisible(visible) {
      element.hidden = !visible;
    },
  };
}

function loading(title: string, body: string): HTMLElement {
  const bar = (width: string) => h('div', { class: 'skeleton-bar', attrs: { style: `width:${width}` } });
  return h(
    'div',
    { class: 'assistant-loading', attrs: { 'data-state': 'ai-loading', 'aria-busy': 'true' } },
    h(
      'p',
      { class: 'assistant-loading-title' },
      h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      title,
    ),
    h('p', { class: 'muted small' }, body),
    bar('90%'),
    bar('75%'),
    bar('55%'),
  );
}

function draftView(
  reply: SuggestReplyResponse,
  insertable: boolean,
  ctx: ViewContext,
  tryAgain: HTMLElement,
): HTMLElement {
  const { t, fmt, actions } = ctx;
  return h(
    'div',
    { class: 'draft', attrs: { 'data-state': 'ai-draft', 'data-reply-id': reply.reply_id } },
    h('div', { class: 'draft-title' }, t('ai.draft.title')),
    insertable
      ? h('p', { class: 'draft-text', attrs: { 'data-draft': '' } }, reply.reply)
      : h('p', { class: 'muted' }, t('ai.draft.empty')),
    h(
      'div',
      { class: 'row-actions' },
      insertable
        ? button(t('action.insert'), () => actions.insert(reply.reply), 'button primary insert-draft')
        : null,
      tryAgain,
    ),
    insertable ? h('p', { class: 'muted small' }, t('ai.draft.note')) : null,
    section(
      t('ai.tools.title', { count: reply.tool_calls.length }),
      reply.tool_calls.length === 0
        ? h('p', { class: 'muted small' }, t('ai.tools.none'))
        : h('ul', { class: 'tool-calls' }, ...reply.tool_calls.map((call) => toolCallItem(call, ctx))),
    ),
    section(
      t('ai.sources.title'),
      h(
        'ul',
        { class: 'sources' },
        ...reply.context_sources.map((source) => h('li', {}, contextSourceText(t, source))),
      ),
    ),
    h('p', { class: 'credits muted small' }, t('ai.credits', { credits: fmt.number(reply.credits_charged) })),
  );
}

function toolCallItem(call: ToolCallRecord, ctx: ViewContext): HTMLElement {
  const { t, fmt } = ctx;
  const facts = toolCallFacts(t, call, fmt.number);
  const args = toolCallArguments(call.arguments);
  return h(
    'li',
    { class: 'tool-call', attrs: { 'data-tool': call.name, 'data-status': call.status } },
    h(
      'div',
      { class: 'tool-head' },
      h('code', { class: 'tool-name' }, call.name),
      badge(toolCallLabel(t, call.status), toolCallTone(call.status)),
      facts === '' ? null : h('span', { class: 'muted small' }, facts),
    ),
    args === null ? null : h('div', { class: 'tool-args' }, args),
    call.error === undefined ? null : h('div', { class: 'tool-error' }, call.error),
  );
}
