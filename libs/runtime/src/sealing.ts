import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The one place where data is sealed and opened: AES-256-GCM under keys derived from the master
 * key (`PERSONAL_DATA_KEY`) or wrapped by such keys, a key of its own for each use, so that no
 * two uses ever share a key and one cannot open what the other sealed.
 */
export function derivedKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), purpose, 32));
}

/**
 * `v1.<iv>.<tag>.<ciphertext>` in base64url: AES-256-GCM, 12-byte iv, the owner's id as
 * additional data, so that a sealed value copied to another owner's row does not open.
 */
export function encrypt(key: Buffer, plain: Buffer, owner: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(owner));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), sealed].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decrypt(key: Buffer, sealed: string, owner: string): Buffer {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error(`sealed data of ${owner} is not in a known form`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(owner));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
}

/** Short secrets of one kind, each sealed for its owner under one key. */
export class SealedSecrets {
  constructor(private readonly key: Buffer) {}

  seal(secret: string, owner: string): string {
    return encrypt(this.key, Buffer.from(secret), owner);
  }

  open(sealed: string, owner: string): string {
    return decrypt(this.key, sealed, owner).toString();
  }
}
