// Every call goes to the API gateway that serves the page (same origin): /api/<service>/v1/...
// Nothing else is reachable from the browser, exactly as for a third-party frontend app.

/** An RFC 9457 problem answered by a service or by the gateway. */
export class Problem extends Error {
  constructor(readonly status: number, readonly type: string, readonly detail: string, readonly field?: string) {
    super(detail);
  }
}

export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Calls the gateway; a non-2xx answer becomes a {@link Problem}, a 204 is null. */
export async function call(method: string, path: string, opts: CallOptions = {}): Promise<Json> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new Problem(0, 'urn:pledge:problem:unavailable', 'The gateway cannot be reached.');
  }
  const text = await res.text();
  const json = text ? safeJson(text) : null;
  if (!res.ok) {
    throw new Problem(res.status, json?.type ?? 'about:blank', json?.detail ?? res.statusText, json?.field);
  }
  return json;
}

function safeJson(text: string): Json {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}

export const get = (path: string, token?: string | null) => call('GET', path, { token });
export const post = (path: string, body?: unknown, token?: string | null) => call('POST', path, { token, body });

/** The claims of a token (read only to know who is signed in; the services verify it). */
export function claims(token: string): Json {
  const part = token.split('.')[1] ?? '';
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}
