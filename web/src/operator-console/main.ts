// The operator console: the privacy office's screens. Staff sign in with password and TOTP code; every screen and
// action is shown only to the roles whose tokens the services accept for it. Talks to Pledge only through the gateway.
import { call, claims, get, Json, post, Problem } from '../common/api';
import { alertBox, Child, field, h, mount, remount, table, value } from '../common/dom';

type Role = 'privacy-officer' | 'support-agent' | 'security-officer' | 'administrator';
type Screen = 'requests' | 'holders' | 'incidents' | 'policy' | 'audit';

/** Which roles see which screen: the same roles the services' endpoints allow. */
const SCREENS: { id: Screen; label: string; roles: Role[] }[] = [
  { id: 'requests', label: 'Requests', roles: ['privacy-officer', 'support-agent'] },
  { id: 'holders', label: 'Holder registry', roles: ['privacy-officer', 'support-agent'] },
  { id: 'incidents', label: 'Breach incidents', roles: ['privacy-officer', 'security-officer'] },
  { id: 'policy', label: 'Policy versions', roles: ['privacy-officer'] },
  { id: 'audit', label: 'Audit', roles: ['privacy-officer', 'security-officer'] },
];
const A = '/api/accounts/v1';
const R = '/api/requests/v1';

interface Session { access: string; refresh: string; role: Role; login: string; refreshAt: number }
let session: Session | null = JSON.parse(sessionStorage.getItem('pledge.staff') ?? 'null');
let screen: Screen = 'requests';
let openRequest: string | null = null;
let poll: number | undefined;
const root = document.getElementById('app')!;
document.documentElement.lang = 'en';

function save(s: Session | null): void {
  session = s;
  if (s) sessionStorage.setItem('pledge.staff', JSON.stringify(s));
  else sessionStorage.removeItem('pledge.staff');
}

/** The staff token, refreshed through the staff session a minute before it expires. */
async function token(): Promise<string> {
  if (!session) throw new Problem(401, 'urn:pledge:problem:unauthorized', 'Not signed in.');
  if (Date.now() > session.refreshAt) {
    const t = await post(`${A}/staff/sessions/refresh`, { refreshToken: session.refresh });
    save({ ...session, access: t.accessToken, refresh: t.refreshToken, refreshAt: Date.now() + (t.expiresIn - 60) * 1000 });
  }
  return session.access;
}
const aget = async (path: string) => get(path, await token());
const apost = async (path: string, body?: unknown) => post(path, body, await token());

function allowed(): typeof SCREENS {
  return SCREENS.filter((s) => session && s.roles.includes(session.role));
}

function render(): void {
  window.clearTimeout(poll);
  const main = h('main', { id: 'main', tabindex: '-1' });
  mount(root,
    h('a', { className: 'skip', href: '#main' }, 'Skip to content'),
    h('header', {}, h('h1', {}, 'Pledge · Operator console'),
      session ? h('div', { className: 'tools' }, h('span', { id: 'who' }, `${session.login} (${session.role})`),
        h('button', { type: 'button', onclick: logout }, 'Sign out')) : null),
    session ? h('nav', { 'aria-label': 'Screens' }, h('ul', {}, allowed().map((s) => h('li', {},
      h('button', { type: 'button', 'aria-current': s.id === screen ? 'page' : undefined,
        onclick: () => { screen = s.id; openRequest = null; render(); main.focus(); } }, s.label))))) : null,
    main);
  if (!session) return signIn(main);
  if (!allowed().some((s) => s.id === screen)) screen = allowed()[0]?.id ?? 'requests';
  if (!allowed().length) {
    main.append(alertBox('info', 'Your role has no screen in this console.'));
    return;
  }
  const body = h('section', { 'aria-busy': 'true' }, h('p', {}, 'Loading…'));
  main.append(body);
  const run = screen === 'requests' && openRequest ? () => requestDetail(body, openRequest!) : () => SCREEN_VIEWS[screen](body);
  run().then(() => body.removeAttribute('aria-busy')).catch((e) => failed(body, e));
}

function failed(el: HTMLElement, e: unknown): void {
  if (e instanceof Problem && e.status === 401) {
    save(null);
    render();
    return;
  }
  mount(el, alertBox('error', problemText(e)));
}

function problemText(e: unknown): string {
  return e instanceof Problem ? `${e.detail}${e.field ? ` (${e.field})` : ''}` : String(e);
}

function form(onSubmit: (f: HTMLFormElement) => Promise<void>, ...children: Child[]): HTMLFormElement {
  const out = h('div', { className: 'out' });
  const f: HTMLFormElement = h('form', {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const b = f.querySelector('button[type=submit]') as HTMLButtonElement | null;
      if (b) b.disabled = true;
      mount(out);
      try {
        await onSubmit(f);
      } catch (err) {
        mount(out, alertBox('error', problemText(err)));
      } finally {
        if (b) b.disabled = false;
      }
    },
  }, ...children, out);
  return f;
}

function signIn(main: HTMLElement): void {
  main.append(h('h2', {}, 'Sign in'),
    form(async (f) => {
      let s: Json;
      try {
        s = await post(`${A}/staff/sessions`, { login: value(f, 'login'), password: value(f, 'password'), code: value(f, 'code') });
      } catch (e) {
        if (e instanceof Problem && e.status === 401) throw new Error('Sign-in failed: check the login, the password and the authenticator code.');
        throw e;
      }
      const role = (s.role ?? (claims(s.accessToken).groups ?? [])[0]) as Role;
      save({ access: s.accessToken, refresh: s.refreshToken, role, login: value(f, 'login'), refreshAt: Date.now() + (s.expiresIn - 60) * 1000 });
      screen = allowed()[0]?.id ?? 'requests';
      render();
      document.getElementById('main')?.focus();
    },
    field('Login', { name: 'login', autocomplete: 'username', required: true }),
    field('Password', { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    field('Authenticator code (or a recovery code)', { name: 'code', autocomplete: 'one-time-code', inputmode: 'numeric', required: true }),
    h('button', { type: 'submit' }, 'Sign in')));
}

async function logout(): Promise<void> {
  try {
    await call('DELETE', `${A}/staff/sessions/current`, { token: session?.access });
  } catch {
    // ended already
  }
  save(null);
  render();
}

const iso = (s: string | null | undefined) => (s ? new Date(s).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—');
function left(due: string): string {
  const ms = new Date(due).getTime() - Date.now();
  const d = Math.round(Math.abs(ms) / 86400000 * 10) / 10;
  return ms < 0 ? `overdue by ${d} d` : `${d} d left`;
}
const openButton = (id: string) => h('button', { type: 'button', className: 'link', onclick: () => { openRequest = id; render(); } }, `Open request ${id.slice(0, 8)}`);

// ---- requests

async function requests(el: HTMLElement): Promise<void> {
  const [overdue, dueSoon, escalations] = await Promise.all([
    aget(`${R}/operator/requests?view=overdue`), aget(`${R}/operator/requests?view=due-soon`), aget(`${R}/operator/escalations`)]);
  const reqRows = (list: Json[]) => list.map((r) => [openButton(r.requestId), r.type, r.status, iso(r.dueAt), left(r.dueAt)]);
  const previous = el.querySelector('#action-result');
  const out = (previous ?? h('div', { role: 'status', id: 'action-result' })) as HTMLElement;
  remount(el, h('h2', {}, 'Requests'), out,
    h('section', { 'aria-labelledby': 'esc-h' }, h('h3', { id: 'esc-h' }, `Escalations (${escalations.length})`),
      escalations.length ? table('Holders that have not acted in time', ['Request', 'Holder', 'Reason', 'Overdue since', 'Escalated', 'Action'],
        escalations.map((e: Json) => [openButton(e.requestId), h('span', { 'data-escalated-holder': e.holderId }, e.holderId), e.reason,
          iso(e.overdueSince), iso(e.escalatedAt),
          e.holderId ? h('button', { type: 'button', onclick: () => retry(out, e.requestId, e.holderId) }, `Retry ${e.holderId}`) : '—']), { id: 'escalations' })
        : h('p', {}, 'No open escalation.')),
    h('section', { 'aria-labelledby': 'over-h' }, h('h3', { id: 'over-h' }, `Overdue (${overdue.length})`),
      overdue.length ? table('Open requests past their due date', ['Request', 'Type', 'Status', 'Due', 'Deadline'], reqRows(overdue), { id: 'overdue' }) : h('p', {}, 'Nothing overdue.')),
    h('section', { 'aria-labelledby': 'soon-h' }, h('h3', { id: 'soon-h' }, `Due soon (${dueSoon.length})`),
      dueSoon.length ? table('Open requests due soon', ['Request', 'Type', 'Status', 'Due', 'Deadline'], reqRows(dueSoon), { id: 'due-soon' }) : h('p', {}, 'Nothing due soon.')));
  schedule(el, () => screen === 'requests' && !openRequest, () => requests(el));
}

/** Refreshes a screen every 3 s while it is shown, but never while the user is filling in one of its forms. */
function schedule(el: HTMLElement, shown: () => boolean, refresh: () => Promise<void>): void {
  poll = window.setTimeout(() => {
    if (!shown()) return;
    const editing = [...el.querySelectorAll('form')].some((f) => f.contains(document.activeElement));
    if (editing) schedule(el, shown, refresh);
    else refresh().catch((e) => failed(el, e));
  }, 3000);
}

async function retry(out: HTMLElement, requestId: string, holderId: string): Promise<void> {
  try {
    await apost(`${R}/requests/${requestId}/holders/${encodeURIComponent(holderId)}/retry`);
    mount(out, alertBox('ok', `Sent again to ${holderId} for request ${requestId}.`));
  } catch (e) {
    mount(out, alertBox('error', problemText(e)));
  }
}

const EXTENSIONS = ['COMPLEX_REQUEST', 'HIGH_VOLUME', 'HOLDER_DELAY', 'AWAITING_INFORMATION'];
const REFUSALS = ['REPETITIVE', 'EXCESSIVE_TECHNICAL_MEANS', 'RISK_TO_OTHERS', 'IMPRACTICAL',
  ...Array.from({ length: 8 }, (_, i) => `EXCEPTION_${i + 1}`)];

async function requestDetail(el: HTMLElement, id: string): Promise<void> {
  const r = await aget(`${R}/requests/${id}`);
  const officer = session?.role === 'privacy-officer';
  const previous = el.querySelector('#action-result');
  const out = (previous ?? h('div', { role: 'status', id: 'action-result' })) as HTMLElement;
  const isOpen = ['IN_PROGRESS', 'AWAITING_OPERATOR', 'AWAITING_VERIFICATION', 'FEE_QUOTED'].includes(r.status);
  remount(el, h('h2', {}, `Request ${id}`),
    h('p', {}, h('button', { type: 'button', className: 'link', onclick: () => { openRequest = null; render(); } }, 'Back to the requests')),
    h('dl', { id: 'request', 'data-status': r.status },
      h('dt', {}, 'Type'), h('dd', {}, r.type + (r.ground ? ` (${r.ground})` : '')),
      h('dt', {}, 'Status'), h('dd', { id: 'request-status' }, r.status),
      h('dt', {}, 'Due'), h('dd', {}, `${iso(r.dueAt)}${isOpen ? ` (${left(r.dueAt)})` : ''}`),
      r.extensionReason ? [h('dt', {}, 'Extended'), h('dd', {}, `from ${iso(r.originalDueAt)}: ${r.extensionReasonText ?? r.extensionReason}`)] : null,
      r.refusalCode ? [h('dt', {}, 'Refused'), h('dd', {}, r.refusalText ?? r.refusalCode)] : null,
      r.completedAt ? [h('dt', {}, 'Completed'), h('dd', {}, iso(r.completedAt))] : null),
    out,
    table('Holders', ['Holder', 'State', 'Outcome', 'Replied', 'Escalated', 'Re-sent', 'Action'],
      (r.holders ?? []).map((x: Json) => [x.holderId, h('span', { 'data-holder': x.holderId }, x.status), x.outcome ?? (x.resolvedByOffboarding ? 'OFFBOARDED' : '—'),
        iso(x.repliedAt), iso(x.escalatedAt), String(x.resends ?? 0),
        x.status !== 'FINAL' && isOpen ? h('button', { type: 'button', onclick: async () => { await retry(out, id, x.holderId); } }, `Retry ${x.holderId}`) : '—']), { id: 'holders' }),
    officer && isOpen ? h('section', { 'aria-labelledby': 'act-h' }, h('h3', { id: 'act-h' }, 'Decide'),
      form(async (f) => {
        await apost(`${R}/requests/${id}/extension`, { newDueAt: new Date(value(f, 'newDueAt')).toISOString(), reasonCode: value(f, 'reasonCode') });
        render();
      }, field('New due date', { name: 'newDueAt', type: 'date', required: true }),
      field('Extension reason', { name: 'reasonCode', value: EXTENSIONS[0] }, 'select', EXTENSIONS.map((c) => [c, c])),
      h('button', { type: 'submit' }, 'Extend')),
      form(async (f) => { await apost(`${R}/requests/${id}/refusal`, { reasonCode: value(f, 'reasonCode') }); render(); },
        field('Refusal reason', { name: 'reasonCode', value: REFUSALS[0] }, 'select', REFUSALS.map((c) => [c, c])),
        h('button', { type: 'submit', className: 'danger' }, 'Refuse')),
      r.type === 'COMPLAINT' ? form(async (f) => { await apost(`${R}/requests/${id}/resolution`, { resolutionCode: value(f, 'code') }); render(); },
        field('Resolution code', { name: 'code', required: true }), h('button', { type: 'submit' }, 'Resolve the complaint')) : null,
      r.type === 'AUTOMATED_DECISION' ? form(async (f) => { await apost(`${R}/requests/${id}/explanation`, { explanationCode: value(f, 'code') }); render(); },
        field('Explanation code', { name: 'code', required: true }), h('button', { type: 'submit' }, 'Explain')) : null) : null);
  if (isOpen) schedule(el, () => openRequest === id, () => requestDetail(el, id));
}

// ---- holder registry

async function holders(el: HTMLElement): Promise<void> {
  const list: Json[] = await aget(`${R}/holders`);
  const officer = session?.role === 'privacy-officer';
  const out = h('div', { role: 'status' });
  mount(el, h('h2', {}, 'Holder registry'), out,
    table('Every holder that receives personal data', ['Id', 'Kind', 'Channel', 'Region', 'Categories', 'Purposes', 'Status', 'Action'],
      list.map((x) => [x.id, x.kind, x.channel, x.region, (x.categories ?? []).join(', '), (x.purposes ?? []).join(', '), x.status,
        officer && x.kind === 'DOWNSTREAM' && x.status === 'ACTIVE' ? h('button', { type: 'button', className: 'danger', onclick: async () => {
          try {
            await apost(`${R}/holders/${encodeURIComponent(x.id)}/offboarding`);
            await holders(el);
          } catch (e) { mount(out, alertBox('error', problemText(e))); }
        } }, `Offboard ${x.id}`) : '—']), { id: 'holder-registry' }),
    officer ? h('section', { 'aria-labelledby': 'reg-h' }, h('h3', { id: 'reg-h' }, 'Register a downstream team'),
      form(async (f) => {
        const x = await apost(`${R}/holders`, {
          id: value(f, 'id'), kind: 'DOWNSTREAM', categories: value(f, 'categories').split(',').map((s) => s.trim()).filter(Boolean),
          purposes: value(f, 'purposes').split(',').map((s) => s.trim()).filter(Boolean), region: value(f, 'region'),
          channel: 'KAFKA', ackSlaSeconds: Number(value(f, 'sla')), oauthScopes: value(f, 'scopes').split(' ').filter(Boolean),
        });
        // the secrets are in this answer only: shown once, to hand to the team over a trusted channel
        mount(out, alertBox('ok', `Registered ${x.id}. Hand these over once; they are not shown again.`),
          h('pre', { id: 'credentials' }, JSON.stringify({ oauth: x.oauth, kafka: x.kafka }, null, 2)));
      },
      field('Holder id', { name: 'id', required: true, pattern: '[a-z0-9-]+' }),
      field('Data categories (comma separated)', { name: 'categories', required: true }),
      field('Purposes (comma separated)', { name: 'purposes', required: true }),
      field('Region', { name: 'region', value: 'CN', required: true }),
      field('Reply deadline (seconds)', { name: 'sla', type: 'number', value: '86400', min: 60, required: true }),
      field('OAuth scopes (space separated)', { name: 'scopes', value: 'contact:read consent:check' }),
      h('button', { type: 'submit' }, 'Register'))) : null);
}

// ---- breach incidents

const PARTS: [string, string][] = [['title', 'Title'], ['whatHappened', 'What happened'], ['possibleEffects', 'Possible effects'],
  ['measuresTaken', 'Measures taken'], ['selfProtection', 'How subjects can protect themselves'], ['remedies', 'Remedies']];

async function incidents(el: HTMLElement): Promise<void> {
  const list: Json = await aget('/api/notifications/v1/incidents');
  const items: Json[] = Array.isArray(list) ? list : list.items ?? [];
  const security = session?.role === 'security-officer';
  const report = h('div', { id: 'regulator-report' });
  mount(el, h('h2', {}, 'Breach incidents'),
    items.length ? table('Declared incidents and their notice campaigns', ['Incident', 'Title', 'Declared', 'Subjects', 'Sent', 'Delivered', 'Failed', 'Remaining', 'Campaign', 'Report'],
      items.map((i: Json) => [h('span', { 'data-incident': i.incidentId }, i.incidentId.slice(0, 8)), i.parts?.title?.en ?? i.title ?? '—', iso(i.declaredAt),
        String(i.progress?.subjects ?? i.affectedSubjects ?? '—'), String(i.progress?.sent ?? '—'), String(i.progress?.delivered ?? '—'),
        String(i.progress?.failed ?? '—'), String(i.progress?.remaining ?? '—'), i.progress?.status ?? '—',
        h('button', { type: 'button', onclick: async () => {
          const md = await call('GET', `/api/notifications/v1/incidents/${i.incidentId}/regulator-report`, { token: await token(), headers: { Accept: 'text/markdown' } });
          mount(report, h('h3', { tabindex: '-1', id: 'report-h' }, `Regulator report ${i.incidentId.slice(0, 8)}`), h('pre', { tabindex: '0', 'aria-labelledby': 'report-h' }, typeof md === 'string' ? md : md?.detail ?? JSON.stringify(md, null, 2)));
          (report.querySelector('h3') as HTMLElement).focus();
        } }, `Regulator report ${i.incidentId.slice(0, 8)}`)]), { id: 'incidents' }) : h('p', {}, 'No incident declared.'),
    report,
    security ? h('section', { 'aria-labelledby': 'declare-h' }, h('h3', { id: 'declare-h' }, 'Declare an incident'),
      form(async (f) => {
        const body: Json = { categories: value(f, 'categories').split(',').map((x) => x.trim()).filter(Boolean),
          affectedBy: 'SUBJECTS', affectedSubjects: value(f, 'subjects').split(/[\s,]+/).filter(Boolean),
          occurredAt: new Date(value(f, 'occurredAt')).toISOString(), discoveredAt: new Date(value(f, 'discoveredAt')).toISOString() };
        for (const [k] of PARTS) body[k] = { 'zh-CN': value(f, `${k}-zh`), en: value(f, `${k}-en`) };
        await apost('/api/notifications/v1/incidents', body);
        await incidents(el);
      },
      PARTS.flatMap(([k, label]) => [field(`${label} (English)`, { name: `${k}-en`, required: true }), field(`${label} (中文)`, { name: `${k}-zh`, required: true, lang: 'zh-CN' })]),
      field('Data categories (comma separated)', { name: 'categories', value: 'contact', required: true }),
      field('Affected subject ids (one per line or comma separated)', { name: 'subjects', required: true }),
      field('Occurred', { name: 'occurredAt', type: 'date', required: true }),
      field('Discovered', { name: 'discoveredAt', type: 'date', required: true }),
      h('button', { type: 'submit' }, 'Declare'))) : null);
}

// ---- policy versions

async function policy(el: HTMLElement): Promise<void> {
  const all: Json[] = await get('/api/consents/v1/policy-versions');
  const out = h('div', { role: 'status' });
  const earliest = new Date(Date.now() + 31 * 86400000).toISOString().slice(0, 10);
  mount(el, h('h2', {}, 'Policy versions'),
    table('Every published version', ['Version', 'In force from', 'Material', 'Changed purposes', 'Summary'],
      all.map((v) => [v.version, iso(v.effectiveAt), v.material ? 'yes' : 'no', (v.changedPurposes ?? []).join(', '), v.summary ?? ''])),
    h('section', { 'aria-labelledby': 'pub-h' }, h('h3', { id: 'pub-h' }, 'Publish a version'),
      h('p', {}, 'A material change takes effect 30 days after it is announced at the earliest.'),
      form(async (f) => {
        const material = (f.elements.namedItem('material') as HTMLInputElement).checked;
        await apost('/api/consents/v1/policy-versions', { version: value(f, 'version'), summary: value(f, 'summary'), text: value(f, 'text'),
          effectiveAt: new Date(value(f, 'effectiveAt')).toISOString(), material,
          changedPurposes: value(f, 'purposes').split(',').map((s) => s.trim()).filter(Boolean) });
        await policy(el);
      },
      field('Version', { name: 'version', required: true }),
      field('Summary', { name: 'summary', required: true }),
      field('Text', { name: 'text', required: true }),
      field('In force from', { name: 'effectiveAt', type: 'date', value: earliest, required: true }),
      field('Changed purposes (comma separated)', { name: 'purposes' }),
      h('div', { className: 'check' }, h('input', { type: 'checkbox', id: 'material', name: 'material', checked: true }), h('label', { for: 'material' }, 'Material change')),
      h('button', { type: 'submit' }, 'Publish'))),
    out,
    h('section', { 'aria-labelledby': 'cease-h' }, h('h3', { id: 'cease-h' }, 'Cessation of operation (6.9)'),
      h('p', {}, 'Every active subject is told at once; collection stops and every subject is erased when it ends (at least 30 days ahead).'),
      form(async (f) => {
        if (!(f.elements.namedItem('cease-confirm') as HTMLInputElement).checked) return;
        const c = await apost('/api/notifications/v1/cessations', { endsAt: new Date(value(f, 'endsAt')).toISOString(),
          statement: { 'zh-CN': value(f, 'statement-zh'), en: value(f, 'statement-en') } });
        mount(out, alertBox('ok', `Cessation ${c.cessationId ?? c.id ?? ''} scheduled for ${iso(c.endsAt)}.`));
      },
      field('Ends at', { name: 'endsAt', type: 'date', value: earliest, required: true }),
      field('Statement (English)', { name: 'statement-en', required: true }),
      field('Statement (中文)', { name: 'statement-zh', required: true, lang: 'zh-CN' }),
      h('div', { className: 'check' }, h('input', { type: 'checkbox', id: 'cease-confirm', name: 'cease-confirm', required: true }),
        h('label', { for: 'cease-confirm' }, 'I am scheduling the end of the service for every subject')),
      h('button', { type: 'submit', className: 'danger' }, 'Schedule the cessation'))));
}

// ---- audit

async function audit(el: HTMLElement): Promise<void> {
  const [check, reads] = await Promise.all([aget('/api/audit/v1/audit/verification'), aget('/api/audit/v1/audit/personal-data-access?size=50')]);
  const items: Json[] = reads.items ?? [];
  mount(el, h('h2', {}, 'Audit'),
    h('section', { 'aria-labelledby': 'chain-h' }, h('h3', { id: 'chain-h' }, 'Chain verification'),
      alertBox(check.valid ? 'ok' : 'error', check.valid ? 'The audit chain verifies: no entry was changed or removed.'
        : `The chain does NOT verify from entry ${check.firstBadSeq}: ${check.problem ?? ''} ${check.detail ?? ''}`)),
    h('section', { 'aria-labelledby': 'reads-h' }, h('h3', { id: 'reads-h' }, 'Reads of personal data'),
      items.length ? table('Who read which personal data, and why (latest 50)', ['When', 'Subject', 'Accessor', 'Role', 'Fields', 'Purpose'],
        items.map((a) => [iso(a.accessedAt), a.subjectId, a.accessorId, a.accessorRole, (a.fields ?? []).join(', '), a.purposeId ?? '—']))
        : h('p', {}, 'No read recorded.')));
}

const SCREEN_VIEWS: Record<Screen, (el: HTMLElement) => Promise<void>> = { requests, holders, incidents, policy, audit };

render();
// the time to first render the browser tests record (e2e-tests WebAppsIT)
performance.mark('pledge:first-render');
