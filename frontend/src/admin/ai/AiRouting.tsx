// Routage de l'IA par fonction : pour chacune (d'après le schéma de `ai.routing`), les fournisseurs essayés dans
// l'ordre (le suivant quand l'un échoue) ; sans entrée, tous les fournisseurs dans l'ordre de la liste. Brouillon
// enregistré d'un bloc.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Tag, Text, Title } from '@ui5/webcomponents-react';
import classes from '../AdminPage.module.css';
import { useAiSettings, useNotice, useSaveAiSetting } from './aiSettings';
import { useFeatureLabel } from './model';

type Routing = Record<string, string[] | undefined>;

export function AiRouting() {
  const { t } = useTranslation();
  const featureLabel = useFeatureLabel();
  const ai = useAiSettings();
  const save = useSaveAiSetting();
  const { run, strip } = useNotice('routing');
  const setting = ai.get('ai.routing');
  const features = Object.keys(setting?.schema.properties ?? {});
  const [draft, setDraft] = useState<Routing | undefined>();
  const routing = draft ?? (setting?.value ?? {}) as Routing;
  const names = ai.providers.map((p) => p.name);

  const change = (feature: string, list: string[] | undefined) => setDraft({ ...routing, [feature]: list });
  const move = (list: string[], from: number, to: number) => {
    const next = [...list];
    next.splice(to, 0, ...next.splice(from, 1));
    return next;
  };

  async function submit() {
    const value = Object.fromEntries(Object.entries(routing).filter((entry): entry is [string, string[]] => entry[1] !== undefined));
    if (await run(() => save('ai.routing', value), t('ai.setup.routing.saved'))) setDraft(undefined);
  }

  const chain = (feature: string, list: string[]) => list.map((name, i) => (
    <span key={name} className={classes.actions} style={{ gap: 0 }} data-routed={name}>
      <Tag design={names.includes(name) ? 'Information' : 'Critical'} hideStateIcon>
        {names.includes(name) ? `${i + 1}. ${name}` : t('ai.setup.routing.unknown', { name })}
      </Tag>
      <Button design="Transparent" icon="navigation-left-arrow" disabled={i === 0} tooltip={t('ai.setup.moveUp')}
        accessibleName={t('ai.setup.moveUpOne', { name })} onClick={() => change(feature, move(list, i, i - 1))} />
      <Button design="Transparent" icon="navigation-right-arrow" disabled={i === list.length - 1} tooltip={t('ai.setup.moveDown')}
        accessibleName={t('ai.setup.moveDownOne', { name })} onClick={() => change(feature, move(list, i, i + 1))} />
      <Button design="Transparent" icon="decline" tooltip={t('ai.setup.routing.remove')}
        accessibleName={t('ai.setup.routing.removeOne', { name })} onClick={() => change(feature, list.filter((n) => n !== name))} />
    </span>
  ));

  return (
    <section className={classes.form} style={{ maxWidth: 'none' }} aria-labelledby="ai-routing-title" data-section="routing">
      <Title level="H2" size="H4" id="ai-routing-title">{t('ai.setup.routing.title')}</Title>
      <Text className={classes.muted}>{t('ai.setup.routing.intro')}</Text>
      {strip}
      <Table accessibleName={t('ai.setup.routing.title')} headerRow={<TableHeaderRow>
        <TableHeaderCell width="12rem">{t('ai.setup.routing.feature')}</TableHeaderCell>
        <TableHeaderCell>{t('ai.setup.routing.providers')}</TableHeaderCell>
        <TableHeaderCell width="16rem">{t('ai.setup.routing.add')}</TableHeaderCell>
      </TableHeaderRow>}>
        {features.map((feature) => {
          const list = routing[feature];
          const free = names.filter((n) => !list?.includes(n));
          const label = featureLabel(feature);
          return (
            <TableRow key={feature} rowKey={feature} data-routing={feature} data-routing-state={list === undefined ? 'default' : list.join(',') || 'none'}>
              <TableCell><Text>{label}</Text></TableCell>
              <TableCell>
                <div className={classes.actions}>
                  {list === undefined && <Text className={classes.muted}>{t('ai.setup.routing.default', { names: names.join(', ') || '—' })}</Text>}
                  {list?.length === 0 && <Text className={classes.muted}>{t('ai.setup.routing.none')}</Text>}
                  {list && chain(feature, list)}
                  {list !== undefined && <Button design="Transparent" icon="reset" data-action="default" onClick={() => change(feature, undefined)}>{t('ai.setup.routing.useDefault')}</Button>}
                </div>
              </TableCell>
              <TableCell>
                {/* remonté après chaque ajout : le choix revient à l'invite */}
                <Select key={(list ?? []).join()} id={`ai-routing-${feature}`} accessibleName={t('ai.setup.routing.addTo', { feature: label })} disabled={free.length === 0}
                  onChange={(e) => {
                    const name = e.detail.selectedOption.getAttribute('value');
                    if (name) change(feature, [...(list ?? []), name]);
                  }}>
                  <Option value="" selected>{t('ai.setup.routing.choose')}</Option>
                  {free.map((n) => <Option key={n} value={n}>{n}</Option>)}
                </Select>
              </TableCell>
            </TableRow>
          );
        })}
      </Table>
      <div className={classes.row}>
        <Button design="Emphasized" data-action="save-routing" disabled={draft === undefined} onClick={() => void submit()}>{t('actions.save')}</Button>
        <Button design="Transparent" disabled={draft === undefined} onClick={() => setDraft(undefined)}>{t('actions.cancel')}</Button>
      </div>
    </section>
  );
}
