// Verifies an erasure certificate in the browser, with WebCrypto only (the same steps as the README's openssl check):
// the key named by the certificate from GET /api/requests/v1/certificates/public-key, its keyId =
// base64url(SHA-256(DER)), and the ES256 signature over the payload's exact UTF-8 bytes.
import { Json } from './api';

export interface Verdict {
  valid: boolean;
  keyIdMatches: boolean;
  reason?: string;
}

function b64(s: string): Uint8Array<ArrayBuffer> {
  const std = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(std + '='.repeat((4 - (std.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function b64url(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** DER ECDSA-Sig-Value (SEQUENCE of two INTEGERs) -> the 64-byte r||s WebCrypto verifies. */
export function derToRaw(der: Uint8Array): Uint8Array<ArrayBuffer> {
  let i = 2;
  if (der[0] !== 0x30) throw new Error('not a DER signature');
  if (der[1] & 0x80) i = 2 + (der[1] & 0x7f);
  const out = new Uint8Array(64);
  for (let part = 0; part < 2; part++) {
    if (der[i] !== 0x02) throw new Error('not a DER integer');
    const len = der[i + 1];
    let int = der.subarray(i + 2, i + 2 + len);
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    out.set(int, part * 32 + (32 - int.length));
    i += 2 + len;
  }
  return out;
}

export async function verifyCertificate(cert: Json, publicKeys: Json): Promise<Verdict> {
  const entry = (publicKeys.keys ?? [publicKeys]).find((k: Json) => k.keyId === cert.keyId);
  if (!entry) return { valid: false, keyIdMatches: false, reason: 'no published key has this keyId' };
  const der = b64(entry.der);
  const keyIdMatches = b64url(await crypto.subtle.digest('SHA-256', der)) === cert.keyId;
  const key = await crypto.subtle.importKey('spki', der, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
  const valid = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, derToRaw(b64(cert.signature)),
    new TextEncoder().encode(cert.payload));
  return { valid: valid && keyIdMatches, keyIdMatches, reason: valid ? undefined : 'the signature does not verify' };
}
