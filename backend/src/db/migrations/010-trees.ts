// Arbres (entités déclarées `tree`) : chemin matérialisé `/id-racine/…/id/` tenu par des déclencheurs génériques.
// Un parent pris parmi ses propres descendants est refusé (SQLSTATE OX001) ; un déplacement recalcule les chemins de
// tout le sous-arbre en une instruction. Sous-arbre d'un nœud : `path LIKE '%/<id>/%'`.
import type { Migration } from './runner.js';
import { TREE_CYCLE_SQLSTATE } from '../sqlstates.js';

export const trees: Migration = {
  version: 10,
  name: 'trees',
  statements: [
    `CREATE OR REPLACE FUNCTION tree_path() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE parent_path text;
     BEGIN
       IF NEW.parent IS NULL THEN
         NEW.path := '/' || NEW.id || '/';
         RETURN NEW;
       END IF;
       EXECUTE format('SELECT path FROM %I WHERE tenant_id = $1 AND id = $2', TG_TABLE_NAME)
         INTO parent_path USING NEW.tenant_id, NEW.parent;
       IF parent_path IS NULL THEN
         parent_path := '/';
       ELSIF NEW.parent = NEW.id OR position('/' || NEW.id || '/' IN parent_path) > 0 THEN
         RAISE EXCEPTION 'a record cannot be moved under itself or one of its descendants'
           USING ERRCODE = '${TREE_CYCLE_SQLSTATE}', COLUMN = 'parent';
       END IF;
       NEW.path := parent_path || NEW.id || '/';
       RETURN NEW;
     END $$`,
    `CREATE OR REPLACE FUNCTION tree_move() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.path IS DISTINCT FROM OLD.path THEN
         EXECUTE format('UPDATE %I SET path = $1 || substr(path, length($2) + 1) WHERE tenant_id = $3 AND path LIKE $2 || ''%%'' AND id <> $4', TG_TABLE_NAME)
           USING NEW.path, OLD.path, NEW.tenant_id, NEW.id;
       END IF;
       RETURN NULL;
     END $$`,
  ],
};
