// Garde des identifiants de connexion des fiches utilisateur, sur tous les chemins d'écriture du moteur (API, lots,
// imports, règles) : ce qui permettrait de se connecter sous un compte (adresse, mot de passe, second facteur,
// identité externe, adresse vérifiée) ne change que si l'écrivain l'a demandé lui-même — jamais par une règle
// d'automatisation ou un autre crochet — et s'il a au moins les droits du compte. Une adresse changée n'est plus
// vérifiée (elle ne recevra de lien de réinitialisation qu'une fois vérifiée) et l'ancienne adresse est prévenue.
// Les valeurs sont comparées en base avant et après l'écriture : les champs internes (empreinte du mot de passe,
// secret TOTP) n'apparaissent pas dans l'enregistrement relu.
import { sql } from 'kysely';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../engine/context.js';
import type { EntityModel } from '../../engine/model.js';
import type { Catalog } from '../../engine/registry.js';
import type { HookBus } from '../../events/hooks.js';
import { ProblemError } from '../../errors/problem.js';
import { message } from '../../text/messages.js';
import type { EmailService } from '../../services/email/email-service.js';
import { assertMayEditCredentials } from './credential-rights.js';

/** Champs de la fiche utilisateur qui ouvrent (ou rouvrent) l'accès au compte. */
const CREDENTIAL_FIELDS = ['email', 'passwordHash', 'totpEnabled', 'totpSecret', 'totpPending', 'recoveryCodes', 'emailVerifiedAt', 'authProvider', 'externalId'];

type CredentialRow = Record<string, string | null>;

interface Snapshot {
  /** champs de connexion présents dans l'écriture demandée (avant les règles d'automatisation) */
  requested: Set<string>;
  row: CredentialRow;
}

export interface CredentialGuardDeps {
  /** catalogue complet du tenant (celui de l'écriture peut être la vue restreinte de l'appelant) */
  catalogOf: (tenantId: string) => Promise<Catalog>;
  email: () => EmailService;
}

export function installCredentialGuard(hooks: HookBus, deps: CredentialGuardDeps): void {
  const snapshots = new WeakMap<Tx, Map<string, Snapshot>>();

  // crochet fixe : il passe avant les règles d'automatisation, qui peuvent encore ajouter des valeurs
  hooks.on('beforeUpdate', 'user', async ({ trx, entity, data, recordId }) => {
    if (!data || !recordId) return;
    const pending = snapshots.get(trx) ?? new Map<string, Snapshot>();
    snapshots.set(trx, pending);
    pending.set(recordId, { requested: new Set(CREDENTIAL_FIELDS.filter((f) => f in data)), row: await credentialRow(trx, entity, recordId) });
  });

  hooks.on('afterUpdate', 'user', async ({ trx, ctx, entity, after }) => {
    const id = after?.id as string | undefined;
    const snapshot = id ? snapshots.get(trx)?.get(id) : undefined;
    // restauration : pas de crochet « avant », et rien des identifiants ne change
    if (!id || !snapshot) return;
    snapshots.get(trx)!.delete(id);
    const now = await credentialRow(trx, entity, id);
    const changed = CREDENTIAL_FIELDS.filter((f) => snapshot.row[f] !== now[f]);
    if (changed.length === 0) return;
    const unrequested = changed.filter((f) => !snapshot.requested.has(f));
    if (unrequested.length) throw byAutomation(ctx, unrequested);
    await assertMayEditCredentials(trx, ctx, await deps.catalogOf(ctx.tenantId), id, changed);
    if (changed.includes('email')) await emailChanged(trx, ctx, deps, entity, { old: snapshot.row.email!, now: now.email! }, after!);
  });
}

/** Colonne d'un champ, y compris un champ que les règles de champs masquent à l'appelant (modèle complet). */
const columnOf = (entity: EntityModel, field: string) => sql.ref((entity.full ?? entity).byName.get(field)!.column);

/** Identifiants du compte tels qu'en base, en texte (comparables). */
async function credentialRow(trx: Tx, entity: EntityModel, id: string): Promise<CredentialRow> {
  const columns = CREDENTIAL_FIELDS.map((f) => sql`${columnOf(entity, f)}::text AS ${sql.ref(f)}`);
  const { rows } = await sql<CredentialRow>`SELECT ${sql.join(columns)} FROM ${sql.table(entity.table)} WHERE id = ${id}`.execute(trx);
  return rows[0] ?? {};
}

/** Nouvelle adresse : plus vérifiée, date du changement gardée, ancienne adresse prévenue (courriel dans la transaction). */
async function emailChanged(
  trx: Tx, ctx: RequestContext, deps: CredentialGuardDeps, entity: EntityModel, email: { old: string; now: string }, after: Record<string, unknown>,
): Promise<void> {
  await sql`UPDATE ${sql.table(entity.table)} SET ${columnOf(entity, 'emailVerifiedAt')} = NULL, ${columnOf(entity, 'emailChangedAt')} = now()
    WHERE id = ${after.id as string}`.execute(trx);
  if ('emailVerifiedAt' in after) after.emailVerifiedAt = null;
  await deps.email().send({
    tenantId: ctx.tenantId, to: email.old, template: 'account.emailChanged', locale: (after.locale as string | undefined) ?? null,
    variables: { name: after.displayName ?? '', email: email.now }, trx, userId: ctx.userId,
  });
}

function byAutomation(ctx: RequestContext, fields: string[]): ProblemError {
  const text = message(ctx.locale, 'credentials_by_automation');
  return new ProblemError(403, 'credentials_by_automation', text, fields.map((field) => ({ field, code: 'credentials_by_automation', message: text })));
}
