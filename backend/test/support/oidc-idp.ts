// Fournisseur OpenID réel pour les tests (oidc-provider) sur 127.0.0.1, et un navigateur minimal qui suit ses
// redirections et remplit ses pages de connexion et de consentement de développement.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestIdp {
  issuer: string;
  /** suit le parcours depuis l'URL d'autorisation et renvoie l'URL de retour (redirect_uri?code=…&state=…) */
  signIn(authorizationUrl: string, login: string): Promise<URL>;
  stop(): Promise<void>;
}

export interface IdpAccount {
  email: string;
  name: string;
  groups: string[];
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function startIdp(redirectUri: string, accounts: Record<string, IdpAccount>): Promise<TestIdp> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'opsflux', client_secret: 'opsflux-client-secret', redirect_uris: [redirectUri],
      grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_post',
    }],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['opsflux-test-cookie-key'] },
    findAccount: async (_ctx, id) => {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: true, name: account.name, groups: account.groups }) };
    },
  });
  // l'émetteur est en http sur la boucle locale : le fournisseur l'accepte hors production
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  async function signIn(authorizationUrl: string, login: string): Promise<URL> {
    const jar = new Map<string, string>();
    const remember = (res: Response) => {
      for (const cookie of res.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const i = pair!.indexOf('=');
        jar.set(pair!.slice(0, i), pair!.slice(i + 1));
      }
    };
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let hops = 0; hops < 20; hops++) {
      if (url.href.startsWith(redirectUri)) return url;
      const res = await fetch(url, { method: body ? 'POST' : 'GET', redirect: 'manual', headers: { cookie: cookieHeader() }, body });
      remember(res);
      body = undefined;
      const location = res.headers.get('location');
      if (location) {
        url = new URL(location, url);
        continue;
      }
      const html = await res.text();
      // page d'interaction : connexion (login) puis consentement (confirm)
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action || res.status !== 200) throw new Error(`unexpected page ${res.status} at ${url.href}: ${html.slice(0, 300)}`);
      const fields = new URLSearchParams();
      for (const [tag] of html.matchAll(/<input[^>]*>/g)) {
        const name = /name="([^"]+)"/.exec(tag)?.[1];
        if (name) fields.set(name, /value="([^"]*)"/.exec(tag)?.[1] ?? '');
      }
      if (fields.has('login')) fields.set('login', login);
      if (fields.has('password')) fields.set('password', 'any');
      url = new URL(action.replace(/&amp;/g, '&'), url);
      body = fields;
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    signIn,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
