// Console : travaux de fond — historique (filtres, détail, relance, annulation, lancement manuel) et planifications
// cron, deux onglets dont le choix est gardé dans l'adresse.
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Tab, TabContainer, Text, Title } from '@ui5/webcomponents-react';
import { JobHistory } from './jobs/JobHistory';
import { JobSchedules } from './jobs/JobSchedules';
import classes from './AdminPage.module.css';

export default function JobsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') === 'schedules' ? 'schedules' : 'history';

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('jobs.title')}</Title>
      <Text className={classes.muted}>{t('jobs.intro')}</Text>
      <TabContainer contentBackgroundDesign="Transparent" onTabSelect={(e) => {
        const chosen = (e.detail.tab as HTMLElement).dataset.tab ?? 'history';
        if (chosen !== tab) setSearch(chosen === 'history' ? {} : { tab: chosen });
      }}>
        <Tab text={t('jobs.history')} data-tab="history" selected={tab === 'history'}>{tab === 'history' && <JobHistory />}</Tab>
        <Tab text={t('jobs.schedules')} data-tab="schedules" selected={tab === 'schedules'}>{tab === 'schedules' && <JobSchedules />}</Tab>
      </TabContainer>
    </div>
  );
}
