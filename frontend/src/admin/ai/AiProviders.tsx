// Fournisseurs d'IA du tenant : tableau (genre, adresse, modèles, externe ou interne, délai, coûts, clé), ajout et
// modification par une boîte de dialogue, suppression (le nom quitte aussi le routage), ordre — celui du repli quand
// une fonction n'a pas de routage. Une liste héritée de la plateforme devient celle du tenant au premier changement.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, MessageStrip, ObjectStatus, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title } from '@ui5/webcomponents-react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import classes from '../AdminPage.module.css';
import { useAiSettings, useNotice, useSaveAiSetting, useSaveProviderKey, type AiProvider } from './aiSettings';
import { useNumbers } from './model';
import { ProviderDialog } from './ProviderDialog';

const COLUMNS = ['name', 'kind', 'baseUrl', 'models', 'location', 'timeout', 'costs', 'key'] as const;

export function AiProviders() {
  const { t } = useTranslation();
  const numbers = useNumbers();
  const ai = useAiSettings();
  const save = useSaveAiSetting();
  const { run, strip, setNotice } = useNotice('providers');
  const [editing, setEditing] = useState<AiProvider | null | undefined>();
  const [deleting, setDeleting] = useState<AiProvider | undefined>();
  const { providers } = ai;
  const source = ai.get('ai.providers')?.source;
  const withKey = new Set(ai.get('ai.providerKeys')?.setKeys ?? []);
  const saveKey = useSaveProviderKey();

  const move = (from: number, to: number) => {
    const list = [...providers];
    list.splice(to, 0, ...list.splice(from, 1));
    void run(() => save('ai.providers', list), t('ai.setup.providers.orderSaved'));
  };

  async function remove(provider: AiProvider) {
    setDeleting(undefined);
    await run(async () => {
      await save('ai.providers', providers.filter((p) => p.name !== provider.name));
      if (withKey.has(provider.name)) await saveKey(provider.name, null);
      // les fonctions routées vers lui gardent les autres ; une liste vidée reste vide (aucun envoi imprévu)
      const routing = (ai.get('ai.routing')?.value ?? {}) as Record<string, string[]>;
      if (Object.values(routing).some((names) => names.includes(provider.name))) {
        await save('ai.routing', Object.fromEntries(Object.entries(routing).map(([f, names]) => [f, names.filter((n) => n !== provider.name)])));
      }
    }, t('ai.setup.providers.deleted', { name: provider.name }));
  }

  const models = (p: AiProvider) => [p.chatModel, p.embeddingModel && t('ai.setup.providers.embedding', { model: p.embeddingModel }),
    p.transcriptionModel && t('ai.setup.providers.transcription', { model: p.transcriptionModel })].filter(Boolean) as string[];
  const costs = (p: AiProvider) => (p.inputCostPerMillion === undefined && p.outputCostPerMillion === undefined ? '—'
    : t('ai.setup.providers.costsValue', { input: numbers.cost(p.inputCostPerMillion ?? 0), output: numbers.cost(p.outputCostPerMillion ?? 0) }));

  return (
    <section className={classes.form} style={{ maxWidth: 'none' }} aria-labelledby="ai-providers-title" data-section="providers">
      <Title level="H2" size="H4" id="ai-providers-title">{t('ai.setup.providers.title')}</Title>
      <Text className={classes.muted}>{t('ai.setup.providers.intro')}</Text>
      {source && source !== 'tenant' && <MessageStrip design="Information" hideCloseButton>{t(`ai.setup.providers.inherited.${source === 'platform' ? 'platform' : 'none'}`)}</MessageStrip>}
      {strip}
      <div className={classes.row}>
        <Button design="Emphasized" icon="add" data-action="add-provider" disabled={!ai.query.data} onClick={() => setEditing(null)}>{t('ai.setup.providers.add')}</Button>
      </div>
      <Table accessibleName={t('ai.setup.providers.title')} loading={ai.query.isFetching && !ai.query.data} noDataText={t('ai.setup.providers.none')}
        headerRow={<TableHeaderRow>
          {COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`ai.setup.providers.columns.${c}`)}</TableHeaderCell>)}
          <TableHeaderCell><span className={classes.muted}>{t('background.actions')}</span></TableHeaderCell>
        </TableHeaderRow>}>
        {providers.map((p, i) => (
          <TableRow key={p.name} rowKey={p.name} data-provider={p.name}>
            <TableCell><Text>{`${i + 1}. ${p.name}`}</Text></TableCell>
            <TableCell><Text>{t(`ai.setup.kinds.${p.kind}`, { defaultValue: p.kind })}</Text></TableCell>
            <TableCell><Text data-column="baseUrl">{p.baseUrl || t('ai.setup.providers.defaultUrl')}</Text></TableCell>
            <TableCell><div className={classes.form}>{models(p).map((m) => <Text key={m}>{m}</Text>)}</div></TableCell>
            <TableCell><ObjectStatus state={p.external === false ? 'Positive' : 'None'} data-column="location">
              {t(p.external === false ? 'ai.setup.providers.onPremises' : 'ai.setup.providers.external')}
            </ObjectStatus></TableCell>
            <TableCell><Text>{p.timeoutSeconds ? t('ai.setup.providers.seconds', { count: p.timeoutSeconds }) : '—'}</Text></TableCell>
            <TableCell><Text>{costs(p)}</Text></TableCell>
            <TableCell><ObjectStatus state={withKey.has(p.name) ? 'Information' : 'None'} data-column="key">{t(withKey.has(p.name) ? 'ai.setup.keys.sealed' : 'ai.setup.keys.none')}</ObjectStatus></TableCell>
            <TableCell>
              <div className={classes.actions}>
                <Button design="Transparent" icon="edit" data-action="edit" tooltip={t('actions.edit')} accessibleName={t('ai.setup.providers.editOne', { name: p.name })} onClick={() => setEditing(p)} />
                <Button design="Transparent" icon="navigation-up-arrow" data-action="up" disabled={i === 0} tooltip={t('ai.setup.moveUp')}
                  accessibleName={t('ai.setup.moveUpOne', { name: p.name })} onClick={() => move(i, i - 1)} />
                <Button design="Transparent" icon="navigation-down-arrow" data-action="down" disabled={i === providers.length - 1} tooltip={t('ai.setup.moveDown')}
                  accessibleName={t('ai.setup.moveDownOne', { name: p.name })} onClick={() => move(i, i + 1)} />
                <Button design="Transparent" icon="delete" data-action="delete" tooltip={t('actions.delete')} accessibleName={t('ai.setup.providers.deleteOne', { name: p.name })} onClick={() => setDeleting(p)} />
              </div>
            </TableCell>
          </TableRow>
        ))}
      </Table>
      <Text className={classes.muted}>{t('ai.setup.keys.note')}</Text>
      <ProviderDialog provider={editing} onClose={() => setEditing(undefined)} onSaved={(name) => {
        setEditing(undefined);
        setNotice({ design: 'Positive', text: t('ai.setup.providers.saved', { name }) });
      }} />
      <ConfirmDialog open={deleting !== undefined} text={t('ai.setup.providers.confirmDelete', { name: deleting?.name ?? '' })}
        onConfirm={() => deleting && void remove(deleting)} onCancel={() => setDeleting(undefined)} />
    </section>
  );
}
