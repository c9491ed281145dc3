// A tiny DOM builder: h('button', {onclick}, 'text'). No framework: each screen is rebuilt when its state changes.

export type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v as EventListener);
    } else if (k === 'className') {
      el.className = String(v);
    } else if (k === 'value' && 'value' in el) {
      (el as HTMLInputElement).value = String(v);
    } else if (k === 'checked' && 'checked' in el) {
      (el as HTMLInputElement).checked = Boolean(v);
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

let ids = 0;

/** A labelled form field: the label names the input (checked by the accessibility scan). */
export function field(label: string, input: Attrs & { name: string }, tag: 'input' | 'select' = 'input', options: [string, string][] = []): HTMLElement {
  const id = `f-${input.name}-${++ids}`;
  const control = tag === 'select'
    ? h('select', { id, ...input }, options.map(([v, t]) => h('option', { value: v, selected: v === input.value }, t)))
    : h('input', { id, ...input });
  return h('div', { className: 'field' }, h('label', { for: id }, label), control);
}

/** The value of a named control inside a form. */
export function value(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  return el ? el.value.trim() : '';
}

/** Replaces the content of an element. */
export function mount(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

/** A status line read out by screen readers. */
export function alertBox(kind: 'error' | 'ok' | 'info', text: string): HTMLElement {
  return h('p', { className: `msg ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function when(iso: string | null | undefined, lang: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function table(caption: string, head: string[], rows: Child[][], attrs: Attrs = {}): HTMLElement {
  return h('table', attrs, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))));
}

/**
 * Replaces the content of an element that refreshes by itself (a polling view), keeping the keyboard focus on the
 * control of the same kind and name if it is still there, so a refresh never throws a keyboard user back to the top.
 */
export function remount(el: Element, ...children: Child[]): void {
  const focused = document.activeElement;
  const key = focused && el.contains(focused) ? `${focused.tagName}|${focused.getAttribute('name') ?? ''}|${focused.textContent}` : null;
  mount(el, ...children);
  if (!key) return;
  const again = [...el.querySelectorAll<HTMLElement>('button, a[href], input, select')]
    .find((c) => `${c.tagName}|${c.getAttribute('name') ?? ''}|${c.textContent}` === key);
  again?.focus();
}
