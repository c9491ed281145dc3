// The privacy center: a data subject's own screens. Talks to Pledge only through the API gateway (/api/...).
import { call, claims, get, Json, post, Problem } from '../common/api';
import { verifyCertificate } from '../common/certificate';
import { alertBox, Child, field, h, mount, remount, table, value, when } from '../common/dom';
import { current, Lang, setLang, t, use } from '../common/i18n';
import { texts } from './texts';

use(texts);

type Tab = 'consents' | 'requests' | 'policy' | 'history' | 'account';
interface Registration { subjectId: string; verifications: { verificationId: string; channel: string }[]; confirmed: string[] }

const state: {
  token: string | null;
  subjectId: string | null;
  view: 'login' | 'register' | 'verify' | 'home';
  tab: Tab;
  registration: Registration | null;
  flash: string | null;
  watching: string | null;
  actingFor: string | null;
} = {
  token: sessionStorage.getItem('pledge.subject.token'),
  subjectId: null,
  view: 'login',
  tab: 'consents',
  registration: null,
  flash: null,
  watching: null,
  actingFor: sessionStorage.getItem('pledge.subject.actingFor'),
};
if (state.token) {
  state.subjectId = claims(state.token).sub;
  state.view = 'home';
}

const TYPES = ['ACCESS', 'COPY', 'CORRECTION', 'DELETION', 'CONSENT_SCOPE', 'AUTOMATED_DECISION', 'COMPLAINT'];
const GROUNDS = ['6.3.1', '6.3.2', '6.3.3', '6.3.4', '6.3.5'];
const A = '/api/accounts/v1';
const C = '/api/consents/v1';
const R = '/api/requests/v1';
let poll: number | undefined;

const root = document.getElementById('app')!;

/** Whose data the screens show and change: the subject's own, or a ward's when a guardian acts for a child. */
function who(): string {
  return state.actingFor ?? state.subjectId!;
}

function wards(): string[] {
  return JSON.parse(localStorage.getItem(`pledge.wards.${state.subjectId}`) ?? '[]');
}

function actFor(ward: string | null): void {
  state.actingFor = ward;
  if (ward) sessionStorage.setItem('pledge.subject.actingFor', ward);
  else sessionStorage.removeItem('pledge.subject.actingFor');
  state.watching = null;
  if (ward && (state.tab === 'history' || state.tab === 'account')) state.tab = 'consents';
  render();
}

function render(): void {
  window.clearTimeout(poll);
  const main = h('main', { id: 'main', tabindex: '-1' });
  mount(root,
    h('a', { className: 'skip', href: '#main' }, t('skip')),
    h('header', {},
      h('h1', {}, 'Pledge · ', t('title')),
      h('div', { className: 'tools' },
        field(t('language'), { name: 'lang', value: current(), onchange: (e: Event) => { setLang((e.target as HTMLSelectElement).value as Lang); render(); } },
          'select', [['zh-CN', '中文'], ['en', 'English']]),
        state.token ? h('button', { type: 'button', onclick: logout }, t('logout')) : null)),
    state.view === 'home' ? nav() : null,
    main);
  if (state.flash) main.append(alertBox('ok', state.flash));
  state.flash = null;
  ({ login, register, verify, home })[state.view](main);
}

function nav(): HTMLElement {
  const tabs: Tab[] = state.actingFor ? ['consents', 'requests', 'policy'] : ['consents', 'requests', 'policy', 'history', 'account'];
  const linked = wards();
  return h('nav', { 'aria-label': t('nav') },
    linked.length ? h('div', { className: 'acting' }, field(t('guardian.actingFor'), { name: 'actingFor', value: state.actingFor ?? '',
      onchange: (e: Event) => actFor((e.target as HTMLSelectElement).value || null) }, 'select',
      [['', t('guardian.myself')], ...linked.map((w): [string, string] => [w, t('guardian.child', { id: w })])])) : null,
    h('ul', {}, tabs.map((tab) => h('li', {},
    h('button', { type: 'button', 'aria-current': state.tab === tab ? 'page' : undefined,
      onclick: () => { state.tab = tab; state.watching = null; render(); focusMain(); } }, t(`tab.${tab}`))))));
}

function focusMain(): void {
  document.getElementById('main')?.focus();
}

function problemText(e: unknown): string {
  return e instanceof Problem ? `${e.detail}${e.field ? ` (${e.field})` : ''}` : String(e);
}

/** A form whose submit runs an action; errors are announced in the form, the button is busy meanwhile. */
function form(onSubmit: (f: HTMLFormElement) => Promise<void>, ...children: Child[]): HTMLFormElement {
  const out = h('div', { className: 'out' });
  const f: HTMLFormElement = h('form', {
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const button = f.querySelector('button[type=submit]') as HTMLButtonElement | null;
      if (button) button.disabled = true;
      mount(out);
      try {
        await onSubmit(f);
      } catch (err) {
        mount(out, alertBox('error', problemText(err)));
      } finally {
        if (button) button.disabled = false;
      }
    },
  }, ...children, out);
  return f;
}

// ---- signed out

function login(main: HTMLElement): void {
  main.append(h('h2', {}, t('login.heading')),
    form(async (f) => {
      try {
        const s = await post(`${A}/sessions`, { login: value(f, 'login'), password: value(f, 'password') });
        sessionStorage.setItem('pledge.subject.refresh', s.refreshToken);
        await signedIn(s.accessToken);
      } catch (e) {
        if (e instanceof Problem && e.status === 401) throw new Error(t('login.failed'));
        throw e;
      }
    },
    field(t('login.login'), { name: 'login', autocomplete: 'username', required: true }),
    field(t('login.password'), { name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit' }, t('login.submit'))),
    h('p', {}, h('button', { type: 'button', className: 'link', onclick: () => { state.view = 'register'; render(); focusMain(); } }, t('login.register'))));
}

async function signedIn(token: string): Promise<void> {
  state.token = token;
  state.subjectId = claims(token).sub;
  sessionStorage.setItem('pledge.subject.token', token);
  try {
    // the screens follow the subject's preferred language
    const account = await get(`${A}/accounts/${state.subjectId}`, token);
    const locale = account?.profile?.locale;
    if (locale === 'en' || locale === 'zh-CN') setLang(locale);
  } catch {
    // a guardian-only or cancelled account has no profile to read: keep the current language
  }
  state.view = 'home';
  state.tab = 'consents';
  render();
  focusMain();
}

function register(main: HTMLElement): void {
  main.append(h('h2', {}, t('register.heading')),
    form(async (f) => {
      const r = await post(`${A}/accounts`, {
        userName: value(f, 'userName'), email: value(f, 'email'), mobile: value(f, 'mobile'),
        password: value(f, 'password'), birthDate: value(f, 'birthDate'), locale: value(f, 'locale'),
      });
      setLang(value(f, 'locale') as Lang);
      state.registration = { subjectId: r.subjectId, verifications: r.verifications, confirmed: [] };
      state.view = 'verify';
      render();
      focusMain();
    },
    field(t('register.userName'), { name: 'userName', autocomplete: 'nickname', required: true }),
    field(t('register.email'), { name: 'email', type: 'email', autocomplete: 'email', required: true }),
    field(t('register.mobile'), { name: 'mobile', type: 'tel', autocomplete: 'tel', required: true }),
    field(t('register.password'), { name: 'password', type: 'password', autocomplete: 'new-password', minlength: 12, required: true }),
    field(t('register.birthDate'), { name: 'birthDate', type: 'date', autocomplete: 'bday', required: true }),
    field(t('register.locale'), { name: 'locale', value: current() }, 'select', [['zh-CN', '中文'], ['en', 'English']]),
    h('button', { type: 'submit' }, t('register.submit'))),
    h('p', {}, h('button', { type: 'button', className: 'link', onclick: () => { state.view = 'login'; render(); } }, t('register.back'))));
}

function verify(main: HTMLElement): void {
  const reg = state.registration!;
  main.append(h('h2', {}, t('verify.heading')), h('p', {}, t('verify.intro')));
  for (const v of reg.verifications) {
    if (reg.confirmed.includes(v.channel)) {
      main.append(alertBox('ok', `${t(`verify.${v.channel}`)}: ${t('verify.done')}`));
      continue;
    }
    main.append(form(async (f) => {
      try {
        await post(`${A}/verifications/${v.verificationId}/confirmation`, { purpose: 'REGISTRATION', code: value(f, 'code') });
      } catch (e) {
        if (e instanceof Problem && e.status === 422) throw new Error(t('verify.bad'));
        throw e;
      }
      reg.confirmed.push(v.channel);
      if (reg.confirmed.length === reg.verifications.length) {
        state.view = 'login';
        state.flash = t('login.verified');
      }
      render();
      focusMain();
    },
    field(t(`verify.${v.channel}`), { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]{6}', required: true }),
    h('button', { type: 'submit' }, `${t('verify.confirm')}: ${t(`verify.${v.channel}`)}`)));
  }
}

async function logout(): Promise<void> {
  try {
    await call('DELETE', `${A}/sessions/current`, { token: state.token });
  } catch {
    // the session may have ended already (an erased account): forget it here all the same
  }
  sessionStorage.removeItem('pledge.subject.token');
  sessionStorage.removeItem('pledge.subject.refresh');
  sessionStorage.removeItem('pledge.subject.actingFor');
  state.token = null;
  state.subjectId = null;
  state.actingFor = null;
  state.view = 'login';
  render();
}

// ---- signed in

function home(main: HTMLElement): void {
  const body = h('section', { 'aria-busy': 'true' }, h('p', {}, t('loading')));
  main.append(body);
  const screens: Record<Tab, (el: HTMLElement) => Promise<void>> = { consents, requests, policy, history, account };
  const run = state.tab === 'requests' && state.watching ? (el: HTMLElement) => progress(el, state.watching!) : screens[state.tab];
  run(body).then(() => body.removeAttribute('aria-busy')).catch(async (e) => {
    if (e instanceof Problem && e.status === 401) {
      sessionStorage.removeItem('pledge.subject.token');
      state.token = null;
      state.view = 'login';
      render();
      return;
    }
    mount(body, alertBox('error', problemText(e)));
  });
}

function signals(): HTMLElement {
  const gpc = (navigator as Navigator & { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  const dnt = navigator.doNotTrack === '1';
  return alertBox('info', gpc ? t('signals.gpc') : dnt ? t('signals.dnt') : t('signals.none'));
}

async function consents(el: HTMLElement): Promise<void> {
  const [purposes, mine] = await Promise.all([get(`${C}/purposes`), get(`${C}/consents/${who()}`, state.token)]);
  const decided = new Map<string, string>();
  for (const c of mine.consents ?? []) if (!c.recipientId) decided.set(c.purposeId, c.status);
  const receipt = h('div', { id: 'receipt', role: 'status' });
  const rows = purposes.map((p: Json) => {
    const status = decided.get(p.id);
    const necessary = p.mechanism === 'NECESSARY';
    // opt-out purposes (anonymised statistics) run until the subject objects
    const objectable = p.mechanism === 'OPT_OUT';
    const given = status === 'GIVEN' || (objectable && !status);
    const label = `${p.id}`;
    return [
      h('span', {}, h('strong', {}, p.id), h('br'), p.description ?? ''),
      `${p.legalBasis}${p.clause ? ` (${p.clause})` : ''}`,
      h('span', { 'data-purpose': p.id, 'data-decision': status ?? 'none' }, necessary ? t('decision.necessary')
        : objectable && !status ? t('decision.optOut') : t(`decision.${status ?? 'none'}`)),
      necessary ? '—' : h('button', { type: 'button', 'aria-pressed': given ? 'true' : 'false',
        onclick: async (e: Event) => {
          const b = e.currentTarget as HTMLButtonElement;
          b.disabled = true;
          try {
            const decision = given ? (objectable ? 'REFUSED' : 'WITHDRAWN') : 'GIVEN';
            const r = await post(`${C}/consents/${who()}/records`, { purposeId: p.id, decision, channel: 'WEB' }, state.token);
            await consents(el);
            await showReceipt(document.getElementById('receipt')!, label, r);
          } catch (err) {
            b.disabled = false;
            mount(receipt, alertBox('error', problemText(err)));
          }
        } }, given ? t(objectable ? 'consents.object' : 'consents.withdraw', { purpose: label }) : t('consents.give', { purpose: label })),
    ];
  });
  mount(el, h('h2', {}, t('consents.heading')), signals(),
    table(t('consents.caption'), [t('col.purpose'), t('col.basis'), t('col.decision'), t('col.action')], rows, { id: 'purposes' }),
    receipt);
}

async function showReceipt(el: HTMLElement, purpose: string, change: Json): Promise<void> {
  const r = change.record;
  const signed = await get(`${C}/consents/${who()}/receipts/${r.receiptId}`, state.token);
  mount(el, h('h3', {}, t('receipt.heading')),
    h('p', { className: 'receipt', 'data-receipt': r.receiptId },
      t('receipt.text', { purpose, decision: t(`decision.${r.status}`), at: when(r.recordedAt, current()), policy: r.policyVersion,
        record: r.recordId, receipt: r.receiptId, key: signed.keyId })),
    change.signalRecords?.length ? h('p', {}, t('receipt.signals', { list: change.signalRecords.map((s: Json) => `${s.purposeId} ${s.status} (${s.signal})`).join(', ') })) : null);
  el.focus();
}

async function requests(el: HTMLElement): Promise<void> {
  const mine = await get(`${R}/requests?subjectId=${who()}`, state.token);
  const list: Json[] = Array.isArray(mine) ? mine : mine.items ?? [];
  const verifyBox = h('div', { id: 'request-verification' });
  mount(el, h('h2', {}, t('requests.heading')),
    form(async (f) => {
      const type = value(f, 'type');
      const detail = value(f, 'detail');
      const body: Json = { type };
      if (state.actingFor) body.subjectId = state.actingFor;
      if (type === 'DELETION') body.ground = value(f, 'ground');
      if (detail) {
        if (type === 'CORRECTION') body.fields = detail.split(',').map((s) => s.trim());
        if (type === 'CONSENT_SCOPE') body.purposeId = detail;
        if (type === 'AUTOMATED_DECISION') body.decisionRef = detail;
        if (type === 'COMPLAINT') body.topic = detail;
        if (type === 'COPY') body.recipientId = detail;
      }
      const r = await post(`${R}/requests`, body, state.token);
      askCode(verifyBox, r.request.requestId, r.verification.channel);
    },
    field(t('requests.type'), { name: 'type', value: 'DELETION' }, 'select', TYPES.map((x) => [x, t(`type.${x}`)])),
    field(t('requests.ground'), { name: 'ground', value: '6.3.4' }, 'select', GROUNDS.map((g) => [g, t(`ground.${g}`)])),
    field(t('requests.detail'), { name: 'detail' }),
    h('button', { type: 'submit' }, t('requests.submit'))),
    verifyBox,
    h('h3', {}, t('requests.mine')),
    list.length ? h('ul', { className: 'plain' }, list.map((r) => h('li', {},
      h('button', { type: 'button', className: 'link', onclick: () => watch(r.requestId) },
        t('requests.open', { type: t(`type.${r.type}`), at: when(r.submittedAt, current()) })), ' — ', t(`status.${r.status}`)))) : h('p', {}, t('none')));
}

function askCode(el: HTMLElement, requestId: string, channel: string): void {
  mount(el, form(async (f) => {
    await post(`${R}/requests/${requestId}/verification`, { code: value(f, 'code') }, state.token);
    watch(requestId);
  },
  field(t('requests.code', { channel: t(`channel.${channel}`) }), { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', required: true }),
  h('button', { type: 'submit' }, t('requests.verify'))));
  (el.querySelector('input') as HTMLInputElement).focus();
}

function watch(requestId: string): void {
  state.watching = requestId;
  render();
  focusMain();
}

const OPEN = ['AWAITING_VERIFICATION', 'FEE_QUOTED', 'IN_PROGRESS', 'AWAITING_OPERATOR'];

/** Live progress of one request, holder by holder, refreshed every 2 s while it is open. */
async function progress(el: HTMLElement, requestId: string): Promise<void> {
  const r = await get(`${R}/requests/${requestId}`, state.token);
  const lang = current();
  const live = h('div', { id: 'progress', 'data-status': r.status });
  mount(live,
    h('dl', {},
      h('dt', {}, t('progress.status')), h('dd', { id: 'request-status' }, t(`status.${r.status}`)),
      h('dt', {}, t('progress.due')), h('dd', {}, when(r.dueAt, lang))),
    r.extensionReason ? alertBox('info', t('progress.extended', { from: when(r.originalDueAt, lang), reason: r.extensionReasonText ?? r.extensionReason })) : null,
    r.refusalCode ? alertBox('info', t('progress.refused', { reason: r.refusalText ?? r.refusalCode })) : null,
    r.feeCents != null ? h('p', {}, t('progress.fee', { amount: (r.feeCents / 100).toFixed(2) }), ' ',
      r.status === 'FEE_QUOTED' ? h('button', { type: 'button', onclick: async () => { await post(`${R}/requests/${requestId}/fee-acceptance`, { accept: true }, state.token); render(); } }, t('progress.acceptFee')) : null) : null,
    table(t('progress.holders'), [t('col.holder'), t('col.state'), t('col.outcome'), t('col.when')],
      (r.holders ?? []).map((x: Json) => [
        x.holderId,
        h('span', { 'data-holder': x.holderId, 'data-state': x.status === 'FINAL' ? 'FINAL' : 'PENDING' },
          x.status === 'FINAL' ? t('holder.FINAL') : x.escalatedAt ? t('holder.escalated') : t('holder.pending')),
        x.outcome ?? (x.resolvedByOffboarding ? 'OFFBOARDED' : '—'),
        when(x.repliedAt, lang)]), { id: 'holders' }));
  remount(el, h('h2', {}, t('progress.heading', { id: requestId })), live, h('div', { id: 'result' }));
  if (OPEN.includes(r.status)) {
    poll = window.setTimeout(() => { if (state.watching === requestId) progress(el, requestId).catch(() => undefined); }, 2000);
    return;
  }
  const result = document.getElementById('result')!;
  if (r.type === 'DELETION' && r.status === 'COMPLETED') await certificate(result, requestId);
  if ((r.type === 'ACCESS' || r.type === 'COPY') && r.status === 'COMPLETED') {
    result.append(h('button', { type: 'button', onclick: () => download(requestId) }, t('package.download')));
  }
}

async function certificate(el: HTMLElement, requestId: string): Promise<void> {
  const [cert, keys] = await Promise.all([get(`${R}/requests/${requestId}/certificate`, state.token), get(`${R}/certificates/public-key`)]);
  const verdict = await verifyCertificate(cert, keys);
  const payload = JSON.parse(cert.payload);
  mount(el, h('section', { id: 'certificate', 'aria-labelledby': 'cert-h', 'data-valid': String(verdict.valid) },
    h('h3', { id: 'cert-h' }, t('cert.heading'), ' ', cert.certificateId),
    verdict.valid ? alertBox('ok', t('cert.verified', { key: cert.keyId, at: when(cert.issuedAt, current()) }))
      : alertBox('error', t('cert.invalid', { reason: verdict.reason ?? '' })),
    table(t('cert.holders'), [t('col.holder'), t('col.outcome')], (payload.holders ?? []).map((x: Json) => [x.holderId, x.outcome ?? '—']))));
}

async function download(requestId: string): Promise<void> {
  const pkg = await get(`${R}/requests/${requestId}/package`, state.token);
  const url = URL.createObjectURL(new Blob([JSON.stringify(pkg, null, 2)], { type: 'application/json' }));
  const a = h('a', { href: url, download: `pledge-${requestId}.json` });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

async function policy(el: HTMLElement): Promise<void> {
  const [now, all] = await Promise.all([get(`${C}/policy-versions/current`), get(`${C}/policy-versions`)]);
  const text = h('div', { id: 'policy-text' });
  mount(el, h('h2', {}, t('policy.heading')),
    h('p', { id: 'policy-current' }, t('policy.current', { v: now.version, at: when(now.effectiveAt, current()) })),
    table(t('policy.versions'), [t('col.version'), t('col.effective'), t('col.summary'), t('col.read')],
      all.map((v: Json) => [v.version, when(v.effectiveAt, current()), v.summary ?? '',
        h('button', { type: 'button', onclick: async () => {
          const one = await get(`${C}/policy-versions/${encodeURIComponent(v.version)}`);
          mount(text, h('h3', { tabindex: '-1', id: 'policy-text-h' }, v.version),
            // scrollable, so focusable: a keyboard user scrolls it with the arrow keys
            h('pre', { tabindex: '0', 'aria-labelledby': 'policy-text-h' }, one.text ?? ''));
          (text.querySelector('h3') as HTMLElement).focus();
        } }, t('policy.read', { v: v.version }))])),
    text);
}

async function history(el: HTMLElement): Promise<void> {
  const page = await get(`/api/audit/v1/audit/subjects/${state.subjectId}/entries?size=200`, state.token);
  const items: Json[] = page.items ?? [];
  mount(el, h('h2', {}, t('history.heading')),
    items.length ? table(t('history.caption'), [t('col.when'), t('col.action2'), t('col.who'), t('col.why')],
      items.slice().reverse().map((e) => [when(e.time, current()), e.action ?? e.type, e.holder ?? '—',
        e.type?.includes('PersonalDataAccessed') && e.body
          ? `${(e.body.fields ?? []).join(', ')} · ${e.body.purposeId ?? ''} · ${e.body.accessorRole ?? ''}` : '']), { id: 'history' })
      : h('p', {}, t('none')));
}

async function account(el: HTMLElement): Promise<void> {
  const holds = await get(`${A}/accounts/${state.subjectId}/holds`, state.token);
  const list: Json[] = Array.isArray(holds) ? holds : holds.holds ?? [];
  const out = h('div', { role: 'status' });
  mount(el, h('h2', {}, t('account.heading')),
    h('h3', {}, t('account.holds')),
    list.length ? h('ul', {}, list.map((x) => h('li', {}, `${x.kind}${x.placedBy ? ` (${x.placedBy})` : ''}`))) : h('p', {}, t('account.noHolds')),
    form(async (f) => {
      if (!(f.elements.namedItem('confirm') as HTMLInputElement).checked) return;
      const r = await post(`${A}/accounts/${state.subjectId}/cancellation`, {}, state.token);
      mount(out, alertBox('ok', t('account.cancelled', { list: (r.retained ?? []).map((x: Json) => `${x.category} (${x.legalBasis}, ${x.until ?? '—'})`).join('; ') || '—' })));
    },
    h('div', { className: 'check' }, h('input', { type: 'checkbox', id: 'cancel-confirm', name: 'confirm', required: true }),
      h('label', { for: 'cancel-confirm' }, t('account.cancelConfirm'))),
    h('button', { type: 'submit', className: 'danger' }, t('account.cancel'))),
    out,
    h('h3', {}, t('guardian.heading')),
    h('p', {}, t('guardian.intro')),
    form(async (f) => {
      const ward = value(f, 'ward');
      await post(`${A}/accounts/${encodeURIComponent(ward)}/guardian`, { linkCode: value(f, 'linkCode'), consent: true }, state.token);
      localStorage.setItem(`pledge.wards.${state.subjectId}`, JSON.stringify([...new Set([...wards(), ward])]));
      // the next token carries the guardian role
      const r = await post(`${A}/sessions/refresh`, { refreshToken: sessionStorage.getItem('pledge.subject.refresh') });
      sessionStorage.setItem('pledge.subject.refresh', r.refreshToken);
      state.token = r.accessToken;
      sessionStorage.setItem('pledge.subject.token', r.accessToken);
      state.flash = t('guardian.linked', { id: ward });
      actFor(ward);
    },
    field(t('guardian.ward'), { name: 'ward', required: true }),
    field(t('guardian.code'), { name: 'linkCode', required: true, autocomplete: 'off' }),
    h('div', { className: 'check' }, h('input', { type: 'checkbox', id: 'guardian-consent', name: 'consent', required: true }),
      h('label', { for: 'guardian-consent' }, t('guardian.consent'))),
    h('button', { type: 'submit' }, t('guardian.link'))));
}

render();
// the time to first render the browser tests record (e2e-tests WebAppsIT)
performance.mark('pledge:first-render');
