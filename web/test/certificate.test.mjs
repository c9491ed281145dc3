// The in-browser certificate check (src/common/certificate.ts), run on Node's WebCrypto: a certificate signed the way
// rights-request-service signs (ES256, DER signature, base64url, keyId = base64url(SHA-256(SPKI DER))) verifies; a
// changed payload, a changed signature or a key that is not the named one does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { build } from 'esbuild';
import { webcrypto } from 'node:crypto';

// Node 18 (Debian's) has WebCrypto only as node:crypto's webcrypto; the browser's global is what the code uses
if (!globalThis.crypto) globalThis.crypto = webcrypto;

const bundled = await build({ entryPoints: ['src/common/certificate.ts'], bundle: true, format: 'esm', write: false, platform: 'neutral' });
const { verifyCertificate, derToRaw } = await import('data:text/javascript;base64,' + Buffer.from(bundled.outputFiles[0].text).toString('base64'));

const b64url = (b) => Buffer.from(b).toString('base64url');

function issuer() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = b64url(createHash('sha256').update(der).digest());
  return {
    keys: { keyId, algorithm: 'ES256', der: der.toString('base64'), keys: [{ keyId, der: der.toString('base64'), current: true }] },
    certify(payload) {
      const signature = b64url(sign('sha256', Buffer.from(payload, 'utf8'), { key: privateKey, dsaEncoding: 'der' }));
      return { certificateId: 'c1', payload, signature, keyId, algorithm: 'ES256' };
    },
  };
}

const payload = JSON.stringify({ requestId: 'r1', subjectId: 's1', holders: [{ holderId: 'account-service', outcome: 'ERASED' }], note: '删除' });

test('a certificate signed by the published key verifies', async () => {
  const i = issuer();
  for (let n = 0; n < 20; n++) { // DER integers of 31, 32 and 33 bytes all occur over a few signatures
    assert.deepEqual(await verifyCertificate(i.certify(payload), i.keys), { valid: true, keyIdMatches: true, reason: undefined });
  }
});

test('a changed payload does not verify', async () => {
  const i = issuer();
  const cert = i.certify(payload);
  const v = await verifyCertificate({ ...cert, payload: payload.replace('ERASED', 'RETAINED') }, i.keys);
  assert.equal(v.valid, false);
  assert.equal(v.reason, 'the signature does not verify');
});

test('a signature of another payload does not verify', async () => {
  const i = issuer();
  const v = await verifyCertificate({ ...i.certify(payload), signature: i.certify(payload + ' ').signature }, i.keys);
  assert.equal(v.valid, false);
});

test('a certificate naming a key that is not published, or signed by another key, does not verify', async () => {
  const a = issuer();
  const b = issuer();
  assert.equal((await verifyCertificate(a.certify(payload), b.keys)).reason, 'no published key has this keyId');
  const forged = { ...b.certify(payload), keyId: a.keys.keyId };
  assert.equal((await verifyCertificate(forged, a.keys)).valid, false);
});

test('a published key whose keyId is not its thumbprint is refused', async () => {
  const a = issuer();
  const b = issuer();
  const cert = a.certify(payload);
  const mislabelled = { keys: [{ keyId: cert.keyId, der: b.keys.der }] };
  const v = await verifyCertificate(cert, mislabelled);
  assert.equal(v.valid, false);
  assert.equal(v.keyIdMatches, false);
});

test('DER to raw r||s pads short integers and strips the sign byte', () => {
  const r = new Uint8Array([0x00, 0x80, ...new Array(31).fill(1)]); // 33 bytes: a sign byte, then 32
  const s = new Uint8Array(new Array(30).fill(2)); // 30 bytes: padded to 32
  const der = new Uint8Array([0x30, 2 + r.length + 2 + s.length, 0x02, r.length, ...r, 0x02, s.length, ...s]);
  const raw = derToRaw(der);
  assert.equal(raw.length, 64);
  assert.deepEqual([...raw.subarray(0, 32)], [...r.subarray(1)]);
  assert.deepEqual([...raw.subarray(32, 34)], [0, 0]);
  assert.deepEqual([...raw.subarray(34)], [...s]);
});
