/**
 * Building DOM from CRM data safely: text always goes in as text nodes (never HTML), and a URL
 * becomes a link or an image only when it is http(s).
 */
type Child = Node | string | null | undefined | false;

interface Props {
  class?: string;
  /** Plain attributes; `href` and `src` are not accepted here (see `externalLink`, `remoteImage`). */
  attrs?: Record<string, string>;
  onClick?: () => void;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class !== undefined) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (name === 'href' || name === 'src' || name.startsWith('on')) {
      throw new Error(`h(): set ${name} through externalLink/remoteImage`);
    }
    element.setAttribute(name, value);
  }
  if (props.onClick !== undefined) element.addEventListener('click', props.onClick);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The URL when it is absolute http(s); null for `javascript:`, `data:`, relative or malformed URLs. */
export function safeHttpUrl(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

/** A link that opens in a new tab; plain text when the URL is not http(s). */
export function externalLink(url: string | null, text: string, className = 'link'): HTMLElement {
  const safe = safeHttpUrl(url);
  if (safe === null) return h('span', {}, text);
  const link = h('a', { class: className, attrs: { target: '_blank', rel: 'noopener noreferrer' } }, text);
  link.href = safe;
  return link;
}

/** A thumbnail that disappears when it cannot load (CDNs are often unreachable from the agent's network). */
export function remoteImage(url: string | null, alt: string): HTMLElement | null {
  const safe = safeHttpUrl(url);
  if (safe === null) return null;
  const image = h('img', { class: 'thumb', attrs: { alt, loading: 'lazy', referrerpolicy: 'no-referrer' } });
  image.addEventListener('error', () => image.remove());
  image.src = safe;
  return image;
}

export function button(label: string, onClick: () => void, className = 'button'): HTMLButtonElement {
  return h('button', { class: className, attrs: { type: 'button' }, onClick: () => onClick() }, label);
}
