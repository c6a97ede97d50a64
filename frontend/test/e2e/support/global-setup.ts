// Avant les tests de navigateur : l'interface compilée (et celles des modules) doit être à jour, une seule fois.
import { buildFrontend } from '../../../../scripts/src/build-frontend.ts';

export default async function setup(): Promise<void> {
  await buildFrontend({ quiet: true });
}
