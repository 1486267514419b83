import * as argon2 from 'argon2';

// argon2id with OWASP's baseline cost (19 MiB, 2 passes): strong, and cheap
// enough that a burst of sign-ups does not exhaust a 2-core machine.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  // Without an account, still spend the time of a verification, so that the
  // answer time does not tell which e-mail addresses have an account.
  dummyHash ??= hashPassword('not-a-real-password');
  const target = hash && hash.startsWith('$argon2') ? hash : await dummyHash;
  const ok = await argon2.verify(target, password).catch(() => false);
  return ok && target === hash;
}
