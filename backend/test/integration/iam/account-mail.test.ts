// Mot de passe oublié et vérification d'adresse, de bout en bout à travers un vrai serveur SMTP local (smtp-server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, newTenant, startServer, type TestServer, type TestTenant } from '../../support/platform.js';
import { startSmtp, type SmtpPeer } from '../../support/smtp.js';

let smtp: SmtpPeer;
let server: TestServer;
let tenant: TestTenant;

beforeAll(async () => {
  smtp = await startSmtp();
  server = await startServer({ mailer: smtp.mailer, publicUrl: 'https://erp.example.test' });
  tenant = await newTenant(server);
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

/** Jeton du dernier courriel reçu par l'adresse. */
function lastToken(to: string): string {
  const token = smtp.lastToken(to);
  expect(token, `no mail to ${to}`).toBeTruthy();
  return token!;
}

const post = (url: string, payload: object) => server.app.inject({ method: 'POST', url, payload, headers: { 'x-forwarded-for': `10.7.${smtp.inbox.length}.1` } });
const login = (password: string) => post('/api/v1/auth/login', { email: tenant.email, password, tenant: tenant.slug });

describe('password reset by email', () => {
  it('sends a single-use link that sets a new password and closes every session', async () => {
    const before = smtp.inbox.length;
    expect((await post('/api/v1/auth/password/forgot', { email: tenant.email.toUpperCase(), tenant: tenant.slug })).statusCode).toBe(202);
    expect(smtp.inbox.length).toBe(before + 1);
    expect(smtp.inbox.at(-1)!.raw.replace(/=\r?\n/g, '')).toContain('https://erp.example.test/app/reset-password?token=');
    const token = lastToken(tenant.email);
    expect((await post('/api/v1/auth/password/reset', { token, password: 'short' })).statusCode).toBe(400);
    expect((await post('/api/v1/auth/password/reset', { token: `${token}x`, password: 'a brand new password' })).statusCode).toBe(400);
    expect((await post('/api/v1/auth/password/reset', { token, password: 'a brand new password' })).statusCode).toBe(204);
    expect((await post('/api/v1/auth/password/reset', { token, password: 'another new password' })).statusCode).toBe(400);
    expect((await login(tenant.password)).statusCode).toBe(401);
    expect((await login('a brand new password')).statusCode).toBe(200);
    // les sessions ouvertes avant sont fermées
    expect((await post('/api/v1/auth/refresh', { refreshToken: tenant.refreshToken })).statusCode).toBe(401);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = smtp.inbox.length;
    const res = await post('/api/v1/auth/password/forgot', { email: 'nobody@nowhere.test', tenant: tenant.slug });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });
    expect(smtp.inbox.length).toBe(before);
    expect((await post('/api/v1/auth/password/forgot', { email: 'not an email' })).statusCode).toBe(400);
  });

  it('limits the requests for one address', async () => {
    const victim = await newTenant(server);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await server.app.inject({ method: 'POST', url: '/api/v1/auth/password/forgot', payload: { email: victim.email, tenant: victim.slug }, headers: { 'x-forwarded-for': `10.8.0.${i}` } })).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
  });
});

describe('email verification', () => {
  it('verifies the address through the emailed link', async () => {
    const other = await newTenant(server);
    const api = client(server, other.token);
    expect((await api.post('/api/v1/auth/email/verification', {})).statusCode).toBe(202);
    const token = lastToken(other.email);
    expect((await post('/api/v1/auth/email/verify', { token })).statusCode).toBe(204);
    expect((await api.get(`/api/v1/data/user/${other.userId}`)).json().emailVerifiedAt).not.toBeNull();
    expect((await post('/api/v1/auth/email/verify', { token })).statusCode).toBe(400);
    expect((await api.post('/api/v1/auth/email/verification', {})).statusCode).toBe(409);
    // un jeton de vérification n'ouvre pas la réinitialisation du mot de passe
    expect((await post('/api/v1/auth/password/reset', { token, password: 'a brand new password' })).statusCode).toBe(400);
  });
});
