// Le vérificateur AWS Signature V4 du pair S3 de test, contre les exemples publiés par AWS (« Examples: Signature
// Calculations », authentification par en-tête) : il trouve leurs signatures, et refuse chaque altération.
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type SignedRequest } from '../../support/sigv4.js';

const CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const AT = new Date('2013-05-24T00:00:00Z');
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const HOST = 'examplebucket.s3.amazonaws.com';

function request(method: string, url: string, headers: IncomingHttpHeaders, signed: string, signature: string): SignedRequest {
  return {
    method, url,
    headers: {
      host: HOST, 'x-amz-date': '20130524T000000Z', ...headers,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signed},Signature=${signature}`,
    },
  };
}

const EXAMPLES: Record<string, SignedRequest> = {
  'GET Object': request('GET', '/test.txt', { range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY }, 'host;range;x-amz-content-sha256;x-amz-date',
    'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
  'PUT Object': request('PUT', '/test%24file.text', {
    date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
  }, 'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
  'GET Bucket Lifecycle': request('GET', '/?lifecycle', { 'x-amz-content-sha256': EMPTY }, 'host;x-amz-content-sha256;x-amz-date',
    'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
  'GET Bucket (List Objects)': request('GET', '/?max-keys=2&prefix=J', { 'x-amz-content-sha256': EMPTY }, 'host;x-amz-content-sha256;x-amz-date',
    '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
};

const getObject = EXAMPLES['GET Object']!;
const altered = (change: Partial<SignedRequest> & { set?: IncomingHttpHeaders }): SignedRequest =>
  ({ ...getObject, ...change, headers: { ...getObject.headers, ...change.set } });

describe('AWS Signature V4 verifier of the test S3 peer', () => {
  it.each(Object.keys(EXAMPLES))('accepts the published example %s', (name) => {
    expect(verifySigV4(EXAMPLES[name]!, CREDENTIALS, AT)).toEqual({ ok: true });
  });

  it('refuses a changed signed header, path, query, method, secret or key, and an unsigned x-amz header', () => {
    const refusals = {
      range: verifySigV4(altered({ set: { range: 'bytes=0-10' } }), CREDENTIALS, AT),
      path: verifySigV4(altered({ url: '/test.txt2' }), CREDENTIALS, AT),
      query: verifySigV4(altered({ url: '/test.txt?x=1' }), CREDENTIALS, AT),
      method: verifySigV4(altered({ method: 'HEAD' }), CREDENTIALS, AT),
      payload: verifySigV4(altered({ set: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), CREDENTIALS, AT),
      secret: verifySigV4(getObject, { ...CREDENTIALS, secretAccessKey: `${CREDENTIALS.secretAccessKey}x` }, AT),
      key: verifySigV4(getObject, { ...CREDENTIALS, accessKeyId: 'AKIAOTHER' }, AT),
      unsignedHeader: verifySigV4(altered({ set: { 'x-amz-acl': 'public-read' } }), CREDENTIALS, AT),
    };
    expect(refusals).toEqual({
      range: { ok: false, reason: 'signature does not match' },
      path: { ok: false, reason: 'signature does not match' },
      query: { ok: false, reason: 'signature does not match' },
      method: { ok: false, reason: 'signature does not match' },
      payload: { ok: false, reason: 'signature does not match' },
      secret: { ok: false, reason: 'signature does not match' },
      key: { ok: false, reason: 'unknown access key' },
      unsignedHeader: { ok: false, reason: 'headers not signed: x-amz-acl' },
    });
  });

  it('refuses a request time far from now, a date outside the scope and a malformed header', () => {
    expect(verifySigV4(getObject, CREDENTIALS, new Date(AT.getTime() + 16 * 60_000))).toEqual({ ok: false, reason: 'request time too skewed' });
    expect(verifySigV4(altered({ set: { 'x-amz-date': '20130525T000000Z' } }), CREDENTIALS, AT)).toEqual({ ok: false, reason: 'x-amz-date does not match the credential scope' });
    expect(verifySigV4(altered({ set: { authorization: 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg=' } }), CREDENTIALS, AT)).toEqual({ ok: false, reason: 'malformed Authorization header' });
  });
});
