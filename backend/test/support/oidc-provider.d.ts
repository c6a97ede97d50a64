// Déclarations minimales de `oidc-provider` (fournisseur OpenID lancé par les tests), sans types publiés.
declare module 'oidc-provider' {
  import type { RequestListener } from 'node:http';

  interface Account {
    accountId: string;
    claims(): Promise<Record<string, unknown>>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown> & { findAccount?: (ctx: unknown, id: string) => Promise<Account | undefined> });
    callback(): RequestListener;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
