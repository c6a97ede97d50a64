// Connexion LDAP / Active Directory (ldapts) : liaison de service, recherche de l'utilisateur par un filtre dont la
// valeur est échappée (RFC 4515), liaison avec son mot de passe, puis ses groupes (recherche `member` ou `memberOf`).
// Chaque connexion va à l'adresse vérifiée par la politique des connexions sortantes, le nom gardé pour TLS.
import { isIPv6 } from 'node:net';
import { Client, InvalidCredentialsError } from 'ldapts';
import type { ResolveTarget } from '../../services/outbound/outbound.js';

export interface LdapConfig {
  url: string;
  bindDn: string;
  bindPassword: string;
  baseDn: string;
  /** ex. `(uid={username})`, Active Directory `(sAMAccountName={username})` */
  userFilter: string;
  emailAttribute?: string;
  nameAttribute?: string;
  /** recherche des groupes : base et filtre (`(member={dn})`) ; ou attribut `memberOf` de l'utilisateur */
  groupBaseDn?: string;
  groupFilter?: string;
  groupNameAttribute?: string;
  memberOfAttribute?: string;
  timeoutMs?: number;
}

export interface LdapIdentity {
  dn: string;
  username: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

export type LdapErrorCode = 'invalid_credentials' | 'not_found' | 'ambiguous' | 'unavailable';

export class LdapError extends Error {
  constructor(readonly code: LdapErrorCode, message: string) {
    super(message);
  }
}

/** Échappement d'une valeur insérée dans un filtre LDAP (RFC 4515) : `\ * ( )` et NUL. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const first = (value: unknown): string | null => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v ? v : null;
};
const all = (value: unknown): string[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
/** Premier RDN d'un DN (`cn=comptables,ou=groups,…` → `comptables`). */
const rdnValue = (dn: string) => /^[^=]+=((?:\\.|[^,])*)/.exec(dn)?.[1] ?? dn;

export class LdapConnector {
  constructor(private readonly config: LdapConfig, private readonly resolve: ResolveTarget) {}

  async authenticate(username: string, password: string): Promise<LdapIdentity> {
    // un mot de passe vide ferait une liaison anonyme, acceptée par beaucoup d'annuaires
    if (!username || !password) throw new LdapError('invalid_credentials', 'Invalid username or password');
    return this.withService(async (service) => {
      const entry = await this.findUser(service, username);
      const user = await this.client();
      try {
        await user.bind(entry.dn, password);
      } catch (error) {
        if (error instanceof InvalidCredentialsError) throw new LdapError('invalid_credentials', 'Invalid username or password');
        throw unavailable(error);
      } finally {
        await user.unbind().catch(() => undefined);
      }
      return this.identity(service, entry, username);
    });
  }

  /** Utilisateurs de l'annuaire (synchronisation périodique), recherche paginée. */
  async listUsers(): Promise<LdapIdentity[]> {
    return this.withService(async (service) => {
      const filter = this.config.userFilter.replaceAll('{username}', '*');
      const { searchEntries } = await service.search(this.config.baseDn, { scope: 'sub', filter, paged: { pageSize: 500 }, attributes: this.attributes() });
      return Promise.all(searchEntries.map((entry) => this.identity(service, entry, first(entry[this.usernameAttribute()]) ?? entry.dn)));
    });
  }

  private async client(): Promise<Client> {
    const timeout = this.config.timeoutMs ?? 5000;
    const url = new URL(this.config.url);
    const secure = url.protocol === 'ldaps:';
    if (!secure && url.protocol !== 'ldap:') throw new LdapError('unavailable', 'The directory address must start with ldap:// or ldaps://');
    const port = Number(url.port) || (secure ? 636 : 389);
    const target = await this.resolve(url.hostname, port);
    const host = isIPv6(target.address) ? `[${target.address}]` : target.address;
    // des options TLS font passer ldapts en TLS : seulement pour ldaps
    const tls = secure && target.servername ? { tlsOptions: { servername: target.servername } } : {};
    return new Client({ url: `${url.protocol}//${host}:${port}`, timeout, connectTimeout: timeout, ...tls });
  }

  private async withService<T>(work: (service: Client) => Promise<T>): Promise<T> {
    let service: Client | undefined;
    try {
      service = await this.client();
      await service.bind(this.config.bindDn, this.config.bindPassword);
    } catch (error) {
      await service?.unbind().catch(() => undefined);
      throw error instanceof LdapError ? error : unavailable(error);
    }
    try {
      return await work(service);
    } catch (error) {
      throw error instanceof LdapError ? error : unavailable(error);
    } finally {
      await service.unbind().catch(() => undefined);
    }
  }

  private async findUser(service: Client, username: string) {
    const filter = this.config.userFilter.replaceAll('{username}', escapeFilterValue(username));
    const { searchEntries } = await service.search(this.config.baseDn, { scope: 'sub', filter, sizeLimit: 2, attributes: this.attributes() });
    if (searchEntries.length === 0) throw new LdapError('not_found', 'Invalid username or password');
    if (searchEntries.length > 1) throw new LdapError('ambiguous', 'Several directory entries match this username');
    return searchEntries[0]!;
  }

  private async identity(service: Client, entry: Record<string, unknown> & { dn: string }, username: string): Promise<LdapIdentity> {
    const groups = new Set(all(entry[this.config.memberOfAttribute ?? 'memberOf']).map(rdnValue));
    if (this.config.groupBaseDn) {
      const filter = (this.config.groupFilter ?? '(member={dn})').replaceAll('{dn}', escapeFilterValue(entry.dn));
      const name = this.config.groupNameAttribute ?? 'cn';
      const { searchEntries } = await service.search(this.config.groupBaseDn, { scope: 'sub', filter, attributes: [name] });
      for (const group of searchEntries) groups.add(first(group[name]) ?? rdnValue(group.dn));
    }
    return {
      dn: entry.dn,
      username,
      email: first(entry[this.config.emailAttribute ?? 'mail'])?.toLowerCase() ?? null,
      name: first(entry[this.config.nameAttribute ?? 'cn']),
      groups: [...groups].sort(),
    };
  }

  private usernameAttribute(): string {
    return /\((\w+)=\{username\}\)/.exec(this.config.userFilter)?.[1] ?? 'uid';
  }

  private attributes(): string[] {
    return [this.usernameAttribute(), this.config.emailAttribute ?? 'mail', this.config.nameAttribute ?? 'cn', this.config.memberOfAttribute ?? 'memberOf'];
  }
}

function unavailable(error: unknown): LdapError {
  return new LdapError('unavailable', `Directory unavailable: ${error instanceof Error ? error.message : String(error)}`);
}
