// Partie servie : l'application (/app/) ou la console d'administration (/server/), d'après le <base href>
// posé par le serveur ; le routeur en tire son préfixe.
export type Area = 'app' | 'server';

const basePath = new URL(document.baseURI).pathname.replace(/\/$/, '');

export const routerBasename = basePath || '/';
export const area: Area = basePath.endsWith('/server') || document.querySelector('meta[name="opsflux-area"]')?.getAttribute('content') === 'server' ? 'server' : 'app';
