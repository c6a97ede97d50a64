// Console : IA du tenant — fournisseurs et réglages (routage, données, limites), consommation (appels, jetons, coût
// par période), journal des appels et file de revue des suggestions des règles d'automatisation ; quatre onglets
// dont le choix est gardé dans l'adresse (les fournisseurs par défaut : la première chose à régler).
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Tab, TabContainer, Text, Title } from '@ui5/webcomponents-react';
import { AiLimits } from './ai/AiLimits';
import { AiPolicy } from './ai/AiPolicy';
import { AiProviders } from './ai/AiProviders';
import { AiRequests } from './ai/AiRequests';
import { AiReview } from './ai/AiReview';
import { AiRouting } from './ai/AiRouting';
import { AiUsage } from './ai/AiUsage';
import classes from './AdminPage.module.css';

const TABS = ['providers', 'usage', 'requests', 'review'] as const;
type AiTab = (typeof TABS)[number];

export default function AiPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab: AiTab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? search.get('tab') as AiTab : 'providers';

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('ai.title')}</Title>
      <Text className={classes.muted}>{t('ai.intro')}</Text>
      <TabContainer contentBackgroundDesign="Transparent" onTabSelect={(e) => {
        const chosen = (e.detail.tab as HTMLElement).dataset.tab ?? 'providers';
        if (chosen !== tab) setSearch(chosen === 'providers' ? {} : { tab: chosen });
      }}>
        <Tab text={t('ai.setup.title')} data-tab="providers" selected={tab === 'providers'}>
          {tab === 'providers' && <div className={classes.page} style={{ padding: 0, gap: '2rem' }}><AiProviders /><AiRouting /><AiPolicy /><AiLimits /></div>}
        </Tab>
        <Tab text={t('ai.usage.title')} data-tab="usage" selected={tab === 'usage'}>{tab === 'usage' && <AiUsage />}</Tab>
        <Tab text={t('ai.requests.title')} data-tab="requests" selected={tab === 'requests'}>{tab === 'requests' && <AiRequests />}</Tab>
        <Tab text={t('ai.review.title')} data-tab="review" selected={tab === 'review'}>{tab === 'review' && <AiReview />}</Tab>
      </TabContainer>
    </div>
  );
}
