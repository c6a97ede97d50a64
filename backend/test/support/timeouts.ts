// Délais des attentes des tests (expect.poll) : la machine d'intégration est une VM à deux cœurs chargée, où le délai
// d'une seconde par défaut échoue sans que rien ne soit faux. Une attente longue ne coûte rien quand la condition
// arrive vite. Une absence ne se constate jamais après un délai : après un événement qui la suit forcément.
/** travail d'arrière-plan : file des travaux, outbox, courriels, flux SSE, autres nœuds */
export const BACKGROUND = { timeout: 30_000 };
/** ce que le navigateur affiche après une action (appel au serveur et rendu compris) */
export const ON_SCREEN = { timeout: 20_000 };
