/**
 * A stand-in for WhatsApp's composer (a Lexical editor) with the behaviour an insert depends on:
 * Lexical keeps its own caret, updated from `selectionchange` (which the browser fires later, as a
 * task) while the editor has focus and the selection is inside one of its paragraphs. Text that
 * reaches the DOM while its caret is unset (an editor that never had focus) is reverted: Lexical
 * re-renders its paragraphs from its own state, in a microtask. With `needsClick`, the editor takes
 * nothing until a real click on it (a covered or locked message box).
 */
export function attachFakeLexical(root: HTMLElement, options: { needsClick?: boolean } = {}): void {
  let text = '';
  let caret = false;
  let clicked = false;
  root.setAttribute('contenteditable', 'true');
  root.setAttribute('role', 'textbox');
  root.setAttribute('data-lexical-editor', 'true');

  // One paragraph, line breaks as <br> (Lexical's line-break nodes), an empty editor as a lone <br>.
  const render = () => {
    const paragraph = document.createElement('p');
    paragraph.className = 'selectable-text copyable-text';
    paragraph.dir = 'auto';
    text.split('\n').forEach((line, index) => {
      if (index > 0) paragraph.append(document.createElement('br'));
      if (line === '') return;
      const span = document.createElement('span');
      span.setAttribute('data-lexical-text', 'true');
      span.textContent = line;
      paragraph.append(span);
    });
    if (text === '') paragraph.append(document.createElement('br'));
    root.replaceChildren(paragraph);
  };
  const selectionInParagraph = () => {
    const anchor = document.getSelection()?.anchorNode ?? null;
    const element = anchor instanceof Element ? anchor : (anchor?.parentElement ?? null);
    return element !== null && root.contains(element) && element.closest('p') !== null;
  };

  root.addEventListener('mousedown', (event) => {
    if (event.isTrusted) clicked = true;
  });
  document.addEventListener('selectionchange', () => {
    caret = document.activeElement === root && selectionInParagraph() && (clicked || !options.needsClick);
  });
  root.addEventListener('input', () => {
    const accepted = caret;
    const typed = textOf(root);
    queueMicrotask(() => {
      if (accepted) text = typed;
      render();
      if (accepted) {
        const last = root.lastElementChild;
        if (last !== null) document.getSelection()?.collapse(last, last.childNodes.length);
      }
    });
  });
  render();
}

/** The editor's text as Lexical would hold it: a line per paragraph (or loose text), `<br>` a line break. */
function textOf(root: HTMLElement): string {
  const inline = (node: Node): string => {
    if (node instanceof HTMLBRElement) return '\n';
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    return [...node.childNodes].map(inline).join('');
  };
  // A paragraph's last <br> is the browser's placeholder for an empty line, not a line break.
  return [...root.childNodes].map((node) => inline(node).replace(/\n$/, '')).join('\n');
}
