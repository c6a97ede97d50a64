// Double authentification TOTP (RFC 6238, otplib) : enrôlement confirmé par un premier code, codes de secours à usage
// unique, anti-rejeu (dernier pas de temps accepté), secret chiffré au repos. Exigée par les rôles `mfaRequired`.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { generateSecret, generateURI, verify } from 'otplib';
import type { SecretBox } from '../keys/secret-box.js';
import type { Db } from '../db/database.js';
import { inTenant, type Tx } from '../db/transaction.js';
import { appendAudit } from '../audit/writer.js';
import type { RequestContext } from '../engine/context.js';
import { ProblemError } from '../errors/problem.js';

// codes de secours générés : nombre usuel des services en ligne, pas une limite d'exploitation
const RECOVERY_CODES = 10;
/** alphabet sans caractères ambigus (0/O, 1/l/I) */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const TOTP_CODE = /^\d{6}$/;

export interface MfaState {
  totpEnabled: boolean;
  recoveryCodesLeft: number;
}

interface MfaRow {
  email: string;
  totp_secret: string | null;
  totp_pending: string | null;
  totp_enabled: boolean;
  totp_last_step: number | null;
  recovery_codes: string[] | null;
}

const invalidCode = () => new ProblemError(400, 'invalid_code', 'The code is not valid', [{ field: 'code', code: 'invalid_code', message: 'The code is not valid' }]);
const hashCode = (code: string) => createHash('sha256').update(normalise(code)).digest('hex');
const normalise = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

export function newRecoveryCode(): string {
  const chars = Array.from({ length: 12 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [chars.slice(0, 4), chars.slice(4, 8), chars.slice(8)].map((g) => g.join('')).join('-');
}

export class MfaService {
  /** `changed` : l'état d'enrôlement d'un utilisateur du tenant a changé (profils d'accès à recalculer) */
  constructor(private readonly db: Db, private readonly box: SecretBox, private readonly changed: (tenantId: string) => Promise<void>) {}

  state(ctx: RequestContext): Promise<MfaState> {
    return inTenant(this.db, ctx, async (trx) => {
      const row = await this.row(trx, ctx.userId!);
      return { totpEnabled: row.totp_enabled, recoveryCodesLeft: row.recovery_codes?.length ?? 0 };
    }, { singleStatement: true });
  }

  /** Nouveau secret en attente de confirmation ; renvoie de quoi l'ajouter à une application d'authentification. */
  async enroll(ctx: RequestContext): Promise<{ secret: string; otpauthUri: string }> {
    const secret = generateSecret();
    return inTenant(this.db, ctx, async (trx) => {
      const row = await this.row(trx, ctx.userId!);
      if (row.totp_enabled) throw new ProblemError(409, 'mfa_already_enabled', 'Two-factor authentication is already enabled');
      await sql`UPDATE app_user SET totp_pending = ${this.box.seal(secret)} WHERE id = app_user()`.execute(trx);
      return { secret, otpauthUri: generateURI({ issuer: 'OpsFlux', label: row.email, secret }) };
    });
  }

  /** Confirme l'enrôlement par un premier code ; renvoie les codes de secours (affichés une fois). */
  async confirm(ctx: RequestContext, code: unknown): Promise<{ recoveryCodes: string[] }> {
    return inTenant(this.db, ctx, async (trx) => {
      const row = await this.row(trx, ctx.userId!);
      if (!row.totp_pending) throw new ProblemError(409, 'mfa_not_enrolling', 'Start the enrolment first');
      const secret = this.box.open(row.totp_pending);
      const step = await checkTotp(secret, code, null);
      if (step === null) throw invalidCode();
      const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
      await sql`UPDATE app_user SET totp_secret = totp_pending, totp_pending = NULL, totp_enabled = true, totp_last_step = ${step},
        recovery_codes = ${JSON.stringify(codes.map(hashCode))}::jsonb WHERE id = app_user()`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'auth.mfa_enabled', entity: 'user', recordId: ctx.userId }]);
      return { recoveryCodes: codes };
    }).finally(() => this.changed(ctx.tenantId));
  }

  /** Désactive, sur présentation d'un code valide (TOTP ou de secours). */
  async disable(ctx: RequestContext, code: unknown): Promise<void> {
    await inTenant(this.db, ctx, async (trx) => {
      if (!(await this.check(trx, ctx.userId!, code))) throw invalidCode();
      await sql`UPDATE app_user SET totp_secret = NULL, totp_pending = NULL, totp_enabled = false, totp_last_step = NULL, recovery_codes = NULL
        WHERE id = app_user()`.execute(trx);
      await appendAudit(trx, ctx, [{ action: 'auth.mfa_disabled', entity: 'user', recordId: ctx.userId }]);
    });
    await this.changed(ctx.tenantId);
  }

  /**
   * Vérifie un code de connexion (TOTP, ou code de secours consommé) dans la transaction donnée ;
   * true si l'utilisateur n'a pas de double authentification.
   */
  async check(trx: Tx, userId: string, code: unknown): Promise<boolean> {
    const row = await this.row(trx, userId);
    if (!row.totp_enabled || !row.totp_secret) return true;
    if (typeof code !== 'string') return false;
    const step = await checkTotp(this.box.open(row.totp_secret), code, row.totp_last_step);
    if (step !== null) {
      await sql`UPDATE app_user SET totp_last_step = ${step} WHERE id = ${userId}`.execute(trx);
      return true;
    }
    const wanted = Buffer.from(hashCode(code));
    const codes = row.recovery_codes ?? [];
    const index = codes.findIndex((h) => timingSafeEqual(Buffer.from(h), wanted));
    if (index < 0) return false;
    await sql`UPDATE app_user SET recovery_codes = ${JSON.stringify(codes.filter((_, i) => i !== index))}::jsonb WHERE id = ${userId}`.execute(trx);
    return true;
  }

  async enabled(trx: Tx, userId: string): Promise<boolean> {
    return (await this.row(trx, userId)).totp_enabled;
  }

  private async row(trx: Tx, userId: string): Promise<MfaRow> {
    const { rows } = await sql<MfaRow>`SELECT email, totp_secret, totp_pending, totp_enabled, totp_last_step, recovery_codes
      FROM app_user WHERE id = ${userId}`.execute(trx);
    if (!rows[0]) throw new ProblemError(404, 'not_found', 'User not found');
    return rows[0];
  }
}

/** Pas de temps du code s'il est valide (±30 s, postérieur au dernier accepté), sinon null. */
async function checkTotp(secret: string, code: unknown, lastStep: number | null): Promise<number | null> {
  if (typeof code !== 'string' || !TOTP_CODE.test(code)) return null;
  const result = await verify({ secret, token: code, epochTolerance: 30, ...(lastStep !== null ? { afterTimeStep: lastStep } : {}) });
  return result.valid && 'timeStep' in result ? Number(result.timeStep) : null;
}
