// Connexion : courriel et mot de passe, code à deux facteurs quand le compte l'exige, fournisseurs d'identité
// du tenant (OpenID Connect, SAML, annuaire LDAP), mot de passe oublié. `?mfa=sso` : retour d'un fournisseur OpenID ou
// SAML pour un compte à double authentification, seul le code est demandé (POST /auth/sso/mfa).
import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, Card, CardHeader, Input, Label, Link, MessageStrip, Title } from '@ui5/webcomponents-react';
import { api, isApiError } from '../api/client';
import { changeLanguage, type Language } from '../i18n';
import type { Me } from '../metadata/types';
import { applyTheme } from '../ui5/setup';
import { LanguageSwitch } from '../components/LanguageSwitch';
import classes from './LoginPage.module.css';

interface Provider {
  name: string;
  label: string;
  kind: 'oidc' | 'saml' | 'ldap';
}

export default function LoginPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [params] = useSearchParams();
  const [tenant, setTenant] = useState(() => params.get('tenant') ?? localStorage.getItem('opsflux.tenant') ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const ssoStep = params.get('mfa') === 'sso';
  const [needsTotp, setNeedsTotp] = useState(ssoStep);
  const [ldap, setLdap] = useState<Provider | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const next = params.get('next') ?? '/';

  // fournisseurs du tenant saisi, relus quand la saisie est validée (pas à chaque frappe)
  const [providersTenant, setProvidersTenant] = useState(tenant);
  const providers = useQuery({
    queryKey: ['providers', providersTenant],
    queryFn: () => api.request<{ data: Provider[] }>('GET', `/auth/providers${providersTenant ? `?tenant=${encodeURIComponent(providersTenant)}` : ''}`).then((r) => r.data),
    retry: false,
  });

  async function signedIn() {
    localStorage.setItem('opsflux.tenant', tenant);
    const me = await api.request<Me>('GET', '/auth/me');
    const locale = me.user.locale;
    if (locale === 'fr' || locale === 'en') await changeLanguage(locale as Language);
    const theme = me.preferences.theme;
    if (theme === 'light' || theme === 'dark') await applyTheme(theme);
    queries.setQueryData(['me'], me);
    navigate(next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const tenantPart = tenant ? { tenant } : {};
      const totpPart = needsTotp ? { totp } : {};
      if (ssoStep) {
        const { returnTo } = await api.request<{ returnTo: string }>('POST', '/auth/sso/mfa', { totp });
        window.location.assign(returnTo);
        return;
      }
      if (ldap) await api.request('POST', `/auth/ldap/${encodeURIComponent(ldap.name)}`, { username: email, password, cookie: true, ...tenantPart, ...totpPart });
      else await api.request('POST', '/auth/login', { email, password, cookie: true, ...tenantPart, ...totpPart });
      await signedIn();
    } catch (failure) {
      if (isApiError(failure) && failure.problem.code === 'mfa_required') {
        setNeedsTotp(true);
        setError(needsTotp ? t('login.errors.totp') : undefined);
      } else if (isApiError(failure, 429)) setError(t('login.errors.throttled'));
      else if (isApiError(failure, 401) || isApiError(failure, 400)) setError(needsTotp ? t('login.errors.totp') : t('login.errors.credentials'));
      else setError(t('errors.unexpected'));
    } finally {
      setBusy(false);
    }
  }

  async function forgot() {
    if (!email) {
      setError(t('login.errors.emailFirst'));
      return;
    }
    await api.request('POST', '/auth/password/forgot', { email, ...(tenant ? { tenant } : {}) }).catch(() => undefined);
    setNotice(t('login.resetSent'));
  }

  function sso(provider: Provider) {
    if (provider.kind === 'ldap') {
      setLdap(provider);
      return;
    }
    const slug = tenant || 'default';
    window.location.assign(provider.kind === 'saml'
      ? `/api/v1/auth/saml/${encodeURIComponent(slug)}/${encodeURIComponent(provider.name)}/login`
      : `/api/v1/auth/sso/${encodeURIComponent(provider.name)}/start?tenant=${encodeURIComponent(slug)}&returnTo=${encodeURIComponent(document.baseURI.replace(window.location.origin, '').replace(/\/$/, '') + next)}`);
  }

  return (
    <div className={classes.page}>
      <Card className={classes.card} header={<CardHeader titleText="OpsFlux" subtitleText={t('login.subtitle')} action={<LanguageSwitch />} />}>
        <form className={classes.form} onSubmit={submit} noValidate>
          <Title level="H2" size="H4">{ldap ? t('login.ldapTitle', { name: ldap.label }) : t('login.title')}</Title>
          {error && <MessageStrip design="Negative" hideCloseButton role="alert">{error}</MessageStrip>}
          {notice && <MessageStrip design="Information" onClose={() => setNotice(undefined)}>{notice}</MessageStrip>}
          {!ssoStep && (
            <>
              <Label for="login-tenant">{t('login.tenant')}</Label>
              <Input id="login-tenant" name="tenant" value={tenant} placeholder="default" accessibleName={t('login.tenant')} onInput={(e) => setTenant(e.target.value.trim().toLowerCase())} onChange={() => setProvidersTenant(tenant)} />
              <Label for="login-email" required>{ldap ? t('login.username') : t('login.email')}</Label>
              <Input id="login-email" name="email" type={ldap ? 'Text' : 'Email'} value={email} required accessibleName={ldap ? t('login.username') : t('login.email')} onInput={(e) => setEmail(e.target.value)} />
              <Label for="login-password" required>{t('login.password')}</Label>
              <Input id="login-password" name="password" type="Password" value={password} required accessibleName={t('login.password')} onInput={(e) => setPassword(e.target.value)} />
            </>
          )}
          {needsTotp && (
            <>
              <Label for="login-totp" required>{t('login.totp')}</Label>
              <Input id="login-totp" name="totp" value={totp} required accessibleName={t('login.totp')} onInput={(e) => setTotp(e.target.value.replace(/\s/g, ''))} />
            </>
          )}
          <Button design="Emphasized" type="Submit" disabled={busy}>{t('login.submit')}</Button>
          {!ssoStep && (ldap ? <Link onClick={() => setLdap(undefined)}>{t('login.back')}</Link> : <Link onClick={forgot}>{t('login.forgot')}</Link>)}
          {!ldap && !ssoStep && (providers.data?.length ?? 0) > 0 && (
            <div className={classes.providers}>
              <Label>{t('login.orWith')}</Label>
              {providers.data!.map((provider) => (
                <Button key={provider.name} design="Default" onClick={() => sso(provider)}>{provider.label}</Button>
              ))}
            </div>
          )}
        </form>
      </Card>
    </div>
  );
}
