// Journal d'audit inaltérable dans la base : une ligne écrite ne change plus, sauf une fois, quand le chaîneur lui
// donne son rang, son maillon et son empreinte (contenu inchangé) ; aucune ligne n'est supprimée ni la table vidée.
// Les déclencheurs valent pour tous les rôles, propriétaire compris : un chemin de code du propriétaire ne peut plus
// retoucher une ligne en attente de chaînage. Seul un superutilisateur qui désactive les déclencheurs le peut encore
// — `audit verify` le signale tant qu'ils restent désactivés, et la chaîne trahit toute ligne chaînée modifiée.
import type { Migration } from './runner.js';

/** Déclencheurs qu'`audit verify` exige actifs. */
export const AUDIT_GUARDS = ['audit_log_guard', 'audit_log_no_truncate'] as const;

export const auditGuard: Migration = {
  version: 24,
  name: 'audit-guard',
  statements: [
    `CREATE FUNCTION audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
          AND (NEW.id, NEW.tenant_id, NEW.at, NEW.actor, NEW.action, NEW.entity, NEW.record_id, NEW.changes, NEW.request_id, NEW.ip)
              IS NOT DISTINCT FROM
              (OLD.id, OLD.tenant_id, OLD.at, OLD.actor, OLD.action, OLD.entity, OLD.record_id, OLD.changes, OLD.request_id, OLD.ip)
       THEN
         RETURN NEW;
       END IF;
       RAISE EXCEPTION 'audit rows are written once and chained once: % refused', lower(TG_OP) USING ERRCODE = 'insufficient_privilege';
     END $$`,
    `CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard()`,
    `CREATE FUNCTION audit_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'the audit log is never truncated' USING ERRCODE = 'insufficient_privilege';
     END $$`,
    `CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_no_truncate()`,
  ],
};
