// Interface du module CRM : le pipeline des opportunités par étape (nombre, montant attendu, cartes des opportunités).
// React, UI5 et le SDK viennent de la coquille ; les données, de l'API (route /mod/crm/pipeline et liste générique).
import { useEffect, useState } from 'react';
import { BusyIndicator, Card, CardHeader, MessageStrip, ObjectStatus, Text, Title } from '@ui5/webcomponents-react';
import type { ModulePageProps, RecordData } from '@opsflux/sdk';

interface Stage {
  id: string;
  name: string;
  probability: number;
  count: number;
  expectedRevenue: string;
}

export function PipelinePage({ api, t, language, navigate }: ModulePageProps) {
  const [stages, setStages] = useState<Stage[] | undefined>();
  const [leads, setLeads] = useState<RecordData[]>([]);
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    Promise.all([
      api.module('crm').get<{ stages: Stage[] }>('/pipeline'),
      api.records.list('crm_lead', { filter: { kind: 'opportunity' }, sort: '-updatedAt', limit: 500, fields: 'id,title,stage,expectedRevenue' }),
    ]).then(([pipeline, list]) => {
      setStages(pipeline.stages);
      setLeads(list.data);
    }).catch((failure: Error) => setError(failure.message));
  }, [api]);

  if (error) return <MessageStrip design="Negative" hideCloseButton>{error}</MessageStrip>;
  if (!stages) return <BusyIndicator active />;
  const money = (amount: string) => new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(Number(amount));

  return (
    <div style={{ padding: '1rem', display: 'flex', flexDirection: 'column', gap: '1rem' }}>
      <Title level="H1" size="H3">{t('pipeline.title')}</Title>
      <div style={{ display: 'grid', gridTemplateColumns: `repeat(${stages.length}, minmax(12rem, 1fr))`, gap: '0.75rem', overflowX: 'auto' }}>
        {stages.map((stage) => (
          <section key={stage.id} aria-label={stage.name} data-stage={stage.name} style={{ display: 'flex', flexDirection: 'column', gap: '0.5rem' }}>
            <Card header={<CardHeader titleText={t(`stage.${stage.name}`) === `stage.${stage.name}` ? stage.name : t(`stage.${stage.name}`)}
              subtitleText={t('pipeline.summary', { count: stage.count, amount: money(stage.expectedRevenue) })}
              additionalText={`${stage.probability} %`} />} />
            {leads.filter((lead) => lead.stage === stage.id).map((lead) => (
              <Card key={lead.id} data-lead={lead.id} header={<CardHeader interactive titleText={String(lead.title)} onClick={() => navigate(`/data/crm_lead/${lead.id}`)} />}>
                <div style={{ padding: '0 1rem 0.75rem' }}>
                  {lead.expectedRevenue ? <ObjectStatus state="Information">{money((lead.expectedRevenue as { amount: string }).amount)} {(lead.expectedRevenue as { currency: string }).currency}</ObjectStatus> : <Text>—</Text>}
                </div>
              </Card>
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
