// Chiffrement des secrets stockés (AES-256-GCM) avec les clés `encryption` du trousseau (keys/) : scellé avec la
// clé courante, ouvert avec la clé dont il porte l'identifiant.
// Format v2 : `v2.<id de clé>.<iv>.<tag>.<données>` (le préfixe `v2.<id>` est authentifié avec les données) ;
// format v1 (avant les clés versionnées) : `v1.<iv>.<tag>.<données>`, ouvert en essayant chaque clé du trousseau.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Keyring, type KeySet } from './keyring.js';

const V1 = 'v1';
const V2 = 'v2';

export class SecretBox {
  constructor(private readonly keys: KeySet) {}

  /** Boîte d'une seule clé de 32 octets (tests, outils). */
  static fromKey(key: Buffer): SecretBox {
    return new SecretBox(Keyring.single('encryption', key));
  }

  /** Identifiant de la clé d'un secret scellé au format v2 ; null pour le format v1 ; undefined si ce n'est pas un secret scellé. */
  static keyIdOf(sealed: string): string | null | undefined {
    const parts = sealed.split('.');
    if (parts[0] === V2 && parts.length === 5 && parts[1]) return parts[1];
    if (parts[0] === V1 && parts.length === 4) return null;
    return undefined;
  }

  /** Identifiant de la clé qui scelle maintenant. */
  currentKeyId(): string {
    return this.keys.current('encryption').id;
  }

  seal(plain: string): string {
    const { id, key } = this.keys.current('encryption');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(`${V2}.${id}`));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [V2, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Texte clair ; erreur si le message a été altéré, ou scellé avec une clé absente du trousseau. */
  open(sealed: string): string {
    return this.openWith(sealed).plain;
  }

  /** Texte clair et identifiant de la clé qui l'a ouvert (re-scellement, retrait des anciennes clés). */
  openWith(sealed: string): { plain: string; keyId: string } {
    const parts = sealed.split('.');
    if (parts[0] === V2 && parts.length === 5) {
      const [, id, iv, tag, data] = parts as [string, string, string, string, string];
      const entry = this.keys.find('encryption', id);
      if (!entry) throw new Error(`secret sealed with the unknown or retired key ${id}`);
      return { plain: decrypt(entry.key, iv, tag, data, `${V2}.${id}`), keyId: id };
    }
    if (parts[0] === V1 && parts.length === 4) {
      const [, iv, tag, data] = parts as [string, string, string, string];
      for (const entry of this.keys.all('encryption')) {
        try {
          return { plain: decrypt(entry.key, iv, tag, data), keyId: entry.id };
        } catch {
          // clé suivante : l'étiquette GCM ne correspond qu'à la bonne clé
        }
      }
      throw new Error('secret sealed (format v1) with none of the keys of the keyring');
    }
    throw new Error('not a sealed secret');
  }
}

function decrypt(key: Buffer, iv: string, tag: string, data: string, aad?: string): string {
  // étiquette de 16 octets exigée : une étiquette tronquée affaiblirait l'authentification
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: 16 });
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
}
