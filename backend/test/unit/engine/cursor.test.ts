import { describe, expect, it } from 'vitest';
import { Keyring } from '../../../src/keys/keyring.js';
import { CursorCodec } from '../../../src/engine/query/cursor.js';

const codec = new CursorCodec(Keyring.single('cursor', Buffer.alloc(32, 'unit-test-key')));

describe('signed cursors', () => {
  it('round-trips a payload for the same sort', () => {
    const cursor = codec.encode({ s: '-qty,id', v: [3, 'abc'] });
    expect(codec.decode(cursor, '-qty,id')).toEqual({ s: '-qty,id', v: [3, 'abc'] });
  });

  it('refuses a cursor issued for another sort', () => {
    expect(codec.decode(codec.encode({ s: 'id', v: ['x'] }), 'name,id')).toBeNull();
  });

  it('refuses tampered, forged and garbage cursors', () => {
    const cursor = codec.encode({ s: 'id', v: ['x'] });
    const [body, sig] = cursor.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ s: 'id', v: ["' OR 1=1"] })).toString('base64url');
    expect(codec.decode(`${forgedBody}.${sig}`, 'id')).toBeNull();
    expect(codec.decode(`${body}.${sig!.slice(0, -1)}A`, 'id')).toBeNull();
    expect(codec.decode('garbage', 'id')).toBeNull();
    expect(codec.decode(`${cursor}.extra`, 'id')).toBeNull();
    expect(new CursorCodec(Keyring.single('cursor', Buffer.alloc(32, 'other-key'))).decode(cursor, 'id')).toBeNull();
  });
});
