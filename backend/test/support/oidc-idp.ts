// Fournisseur OpenID réel pour les tests (oidc-provider) sur 127.0.0.1, et un navigateur minimal qui suit ses
// redirections. `signIn` résout les interactions (connexion, consentement) sans page : le compte choisi par le test se
// connecte avec les méthodes (`amr`) et la classe (`acr`) que le test lui donne. Un vrai navigateur (tests de bout en
// bout) passe par les pages de développement du fournisseur.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
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
  /** revendication `email_verified` (vraie par défaut) */
  emailVerified?: boolean;
  /** méthodes d'authentification (RFC 8176) et classe de contexte du jeton d'identité */
  amr?: string[];
  acr?: string;
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
    // amr et acr dans chaque jeton d'identité, comme chez la plupart des fournisseurs (oidc-provider ne les met sinon
    // que sur demande explicite du client)
    claims: { openid: ['sub', 'amr', 'acr'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['opsflux-test-cookie-key'] },
    findAccount: async (_ctx, id) => {
      const account = accounts[id];
      if (!account) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name, groups: account.groups }) };
    },
  });
  const callback = provider.callback();

  /** Interaction de `signIn` : connexion du compte nommé par `?login=` (avec ses amr/acr), puis consentement à ce que le client demande. */
  async function interact(req: IncomingMessage, res: ServerResponse, login: string | null): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      const account = login === null ? undefined : accounts[login];
      if (!account) {
        res.writeHead(400).end(`unknown account ${String(login)}`);
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: login, ...(account.amr ? { amr: account.amr } : {}), ...(account.acr ? { acr: account.acr } : {}) } },
        { mergeWithLastSubmission: false });
      return;
    }
    const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    if (details.prompt.details.missingOIDCScope) grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(' '));
    if (details.prompt.details.missingOIDCClaims) grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
    await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
  }

  // l'émetteur est en http sur la boucle locale : le fournisseur l'accepte hors production
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    if (!url.pathname.startsWith('/interaction/') || !url.searchParams.has('login')) return callback(req, res);
    interact(req, res, url.searchParams.get('login')).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
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
    for (let hops = 0; hops < 20; hops++) {
      if (url.href.startsWith(redirectUri)) return url;
      if (url.pathname.startsWith('/interaction/')) url.searchParams.set('login', login);
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
      remember(res);
      const location = res.headers.get('location');
      if (!location) throw new Error(`unexpected answer ${res.status} at ${url.href}: ${(await res.text()).slice(0, 300)}`);
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  return {
    issuer,
    signIn,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
