// Racine : client de requêtes, thème UI5, routes chargées à la demande (un morceau de code par écran).
import { lazy, Suspense } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { BusyIndicator, ThemeProvider } from '@ui5/webcomponents-react';
import { routerBasename } from './area';
import { isApiError } from './api/client';
import { preloadRoute } from './api/preload';
import NotFoundPage from './pages/NotFoundPage';
import { RequireAdmin } from './shell/RequireAdmin';
import { RequireSession } from './shell/RequireSession';

const chunks = {
  shell: () => import('./shell/Shell'),
  list: () => import('./pages/ListPage'),
  record: () => import('./pages/RecordPage'),
};
const Shell = lazy(chunks.shell);
const LoginPage = lazy(() => import('./pages/LoginPage'));
const ResetPasswordPage = lazy(() => import('./pages/ResetPasswordPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const ListPage = lazy(chunks.list);
const RecordPage = lazy(chunks.record);
const ModulePage = lazy(() => import('./pages/ModulePage'));
const ModulesPage = lazy(() => import('./admin/ModulesPage'));
const SettingsPage = lazy(() => import('./admin/SettingsPage'));
const EntityDesignerPage = lazy(() => import('./admin/EntityDesignerPage'));
const AuditPage = lazy(() => import('./admin/AuditPage'));
const PermissionsPage = lazy(() => import('./admin/PermissionsPage'));
const TenantsPage = lazy(() => import('./admin/TenantsPage'));
const ErrorsPage = lazy(() => import('./admin/ErrorsPage'));
const ApiKeysPage = lazy(() => import('./admin/ApiKeysPage'));
const JobsPage = lazy(() => import('./admin/JobsPage'));
const EmailPage = lazy(() => import('./admin/EmailPage'));
const WebhooksPage = lazy(() => import('./admin/WebhooksPage'));
const AiPage = lazy(() => import('./admin/AiPage'));
const InsightsPage = lazy(() => import('./insights/InsightsPage'));
const DashboardsPage = lazy(() => import('./dashboards/DashboardsPage'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // une erreur 4xx ne se corrige pas en réessayant
      retry: (count, error) => count < 2 && !(isApiError(error) && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

const page = (element: React.ReactNode) => <Suspense fallback={<BusyIndicator active delay={300} style={{ width: '100%', marginTop: '4rem' }} />}>{element}</Suspense>;

const admin = (element: React.ReactNode) => page(<RequireAdmin>{element}</RequireAdmin>);

const router = createBrowserRouter(
  [
    { path: '/login', element: page(<LoginPage />) },
    { path: '/reset-password', element: page(<ResetPasswordPage />) },
    {
      path: '/',
      element: <RequireSession>{page(<Shell />)}</RequireSession>,
      children: [
        { index: true, element: page(<HomePage />) },
        { path: 'data/:entity', element: page(<ListPage />) },
        { path: 'data/:entity/new', element: page(<RecordPage />) },
        { path: 'data/:entity/:id', element: page(<RecordPage />) },
        { path: 'm/:module/*', element: page(<ModulePage />) },
        { path: 'insights', element: page(<InsightsPage />) },
        { path: 'dashboards', element: page(<DashboardsPage />) },
        { path: 'dashboards/:id', element: page(<DashboardsPage />) },
        { path: 'admin/modules', element: admin(<ModulesPage />) },
        { path: 'admin/settings', element: admin(<SettingsPage />) },
        { path: 'admin/entities', element: admin(<EntityDesignerPage />) },
        { path: 'admin/audit', element: admin(<AuditPage />) },
        { path: 'admin/permissions', element: admin(<PermissionsPage />) },
        { path: 'admin/tenants', element: admin(<TenantsPage />) },
        { path: 'admin/errors', element: admin(<ErrorsPage />) },
        { path: 'admin/api-keys', element: admin(<ApiKeysPage />) },
        { path: 'admin/jobs', element: admin(<JobsPage />) },
        { path: 'admin/email', element: admin(<EmailPage />) },
        { path: 'admin/webhooks', element: admin(<WebhooksPage />) },
        { path: 'admin/ai', element: admin(<AiPage />) },
        { path: '*', element: page(<NotFoundPage />) },
      ],
    },
  ],
  { basename: routerBasename },
);

preloadRoute(window.location.pathname.slice(routerBasename === '/' ? 0 : routerBasename.length) || '/', queryClient, chunks);

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ThemeProvider>
        <RouterProvider router={router} />
      </ThemeProvider>
    </QueryClientProvider>
  );
}
