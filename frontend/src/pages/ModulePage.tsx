// Page d'un module : son module ES est chargé à l'exécution (/api/v1/modules/<nom>/frontend/…) et monté ici, sans
// recompiler la coquille ; React, UI5 et le SDK lui sont prêtés par la carte d'import de la page.
import { Component, lazy, Suspense, useMemo, type ComponentType, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BusyIndicator, MessageStrip } from '@ui5/webcomponents-react';
import type { ModulePageProps } from '@opsflux/sdk';
import { api } from '../api/client';
import NotFoundPage from './NotFoundPage';

interface ShellModule {
  name: string;
  frontend: { url: string; pages: { path: string; export: string }[] } | null;
  translations: Record<string, Record<string, string>>;
}

export function useShellModules() {
  return useQuery({ queryKey: ['shell-modules'], queryFn: () => api.request<{ data: ShellModule[] }>('GET', '/shell/modules').then((r) => r.data), staleTime: 60_000 });
}

const loaded = new Map<string, Promise<Record<string, unknown>>>();

/** Un module ES n'est importé qu'une fois par page chargée (son adresse change avec sa version). */
function importModule(url: string) {
  let module = loaded.get(url);
  if (!module) {
    module = import(/* @vite-ignore */ url) as Promise<Record<string, unknown>>;
    loaded.set(url, module);
  }
  return module;
}

export default function ModulePage() {
  const { module: name = '', '*': rest = '' } = useParams();
  const modules = useShellModules();
  const navigate = useNavigate();
  const { t, i18n } = useTranslation();
  const module = modules.data?.find((m) => m.name === name);
  const page = module?.frontend?.pages.find((p) => p.path === `/${rest}`.replace(/(.)\/$/, '$1'));

  const Page = useMemo(() => {
    if (!module?.frontend || !page) return undefined;
    return lazy(async () => {
      const exports = await importModule(module.frontend!.url);
      const component = exports[page.export] as ComponentType<ModulePageProps> | undefined;
      if (typeof component !== 'function') throw new Error(`${name} does not export ${page.export}`);
      return { default: component };
    });
  }, [module, page, name]);

  if (modules.isPending) return <BusyIndicator active delay={300} />;
  if (!module || !page || !Page) return <NotFoundPage />;

  const language = i18n.language === 'fr' ? 'fr' : 'en';
  const translate: ModulePageProps['t'] = (key, values) => {
    let text = module.translations[language]?.[key] ?? module.translations.en?.[key] ?? key;
    for (const [k, v] of Object.entries(values ?? {})) text = text.replaceAll(`{{${k}}}`, String(v));
    return text;
  };
  return (
    <ModuleBoundary fallback={<MessageStrip design="Negative" hideCloseButton>{t('errors.module', { name })}</MessageStrip>}>
      <Suspense fallback={<BusyIndicator active delay={300} style={{ width: '100%', marginTop: '4rem' }} />}>
        <Page api={api} language={language} t={translate} navigate={(path) => navigate(path)} />
      </Suspense>
    </ModuleBoundary>
  );
}

/** Une interface de module en erreur ne fait pas tomber la coquille. */
class ModuleBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}
