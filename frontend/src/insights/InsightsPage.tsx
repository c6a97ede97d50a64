// Page « Analyses » : un onglet par capacité de l'intelligence locale (prévisions, processus, graphe…), inscrits dans
// le registre ; l'onglet choisi est gardé dans l'adresse.
import { Suspense } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BusyIndicator, Tab, TabContainer, Text, Title } from '@ui5/webcomponents-react';
import classes from '../admin/AdminPage.module.css';
import { INSIGHT_TABS } from './registry';

export default function InsightsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const current = INSIGHT_TABS.find((tab) => tab.id === search.get('tab')) ?? INSIGHT_TABS[0];

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('insights.title')}</Title>
      <Text className={classes.muted}>{t('insights.intro')}</Text>
      <TabContainer contentBackgroundDesign="Transparent" onTabSelect={(e) => {
        const chosen = (e.detail.tab as HTMLElement).dataset.tab;
        if (chosen && chosen !== current?.id) setSearch({ tab: chosen });
      }}>
        {INSIGHT_TABS.map(({ id, titleKey, Component }) => (
          <Tab key={id} text={t(titleKey)} data-tab={id} selected={id === current?.id}>
            {id === current?.id && <Suspense fallback={<BusyIndicator active delay={300} />}><Component /></Suspense>}
          </Tab>
        ))}
      </TabContainer>
    </div>
  );
}
