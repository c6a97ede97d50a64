// Avant les tests de navigateur : l'interface compilée doit être à jour (une seule compilation pour tous les fichiers).
// @ts-expect-error script JavaScript sans déclaration de types
import { buildFrontend } from '../../../../scripts/build-frontend.mjs';

export default async function setup(): Promise<void> {
  await (buildFrontend as (options: { quiet: boolean }) => Promise<boolean>)({ quiet: true });
}
