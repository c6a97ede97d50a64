// Données et vie privée de l'IA du tenant, enregistrées à chaque changement : fournisseurs externes permis (sinon
// seuls les serveurs internes reçoivent les données), reconnaissance vocale du navigateur pour la dictée, et ce que
// le journal des requêtes garde (les trois modes expliqués).
import { useTranslation } from 'react-i18next';
import { Label, Option, Select, Switch, Text, Title } from '@ui5/webcomponents-react';
import { labelOf } from '../../i18n';
import classes from '../AdminPage.module.css';
import { useAiSettings, useNotice, useSaveAiSetting } from './aiSettings';

const SWITCHES = ['ai.externalProviders', 'ai.browserSpeech'] as const;
const LOG = 'ai.requestLog';

export function AiPolicy() {
  const { t } = useTranslation();
  const ai = useAiSettings();
  const save = useSaveAiSetting();
  const { run, strip, failures } = useNotice('policy');
  const change = (key: string, value: unknown) => void run(() => save(key, value), t('ai.setup.policy.saved', { name: labelOf(ai.get(key)?.label, key) }));
  const log = ai.get(LOG);
  const modes = (log?.schema.enum ?? []) as string[];

  return (
    <section className={classes.form} aria-labelledby="ai-policy-title" data-section="policy">
      <Title level="H2" size="H4" id="ai-policy-title">{t('ai.setup.policy.title')}</Title>
      {strip}
      {SWITCHES.map((key) => {
        const setting = ai.get(key);
        if (!setting) return null;
        const id = `ai-${key.split('.')[1]}`;
        return (
          <div key={key} className={classes.form}>
            <div className={classes.row} style={{ alignItems: 'center' }}>
              <Switch key={failures} id={id} accessibleName={labelOf(setting.label, key)} checked={Boolean(setting.value)} data-setting={key} onChange={(e) => change(key, e.target.checked)} />
              <Label for={id}>{labelOf(setting.label, key)}</Label>
            </div>
            {setting.description && <Text className={classes.muted}>{labelOf(setting.description)}</Text>}
          </div>
        );
      })}
      {log && (
        <div className={classes.form}>
          <Label for="ai-request-log">{labelOf(log.label, LOG)}</Label>
          <Select key={failures} id="ai-request-log" accessibleName={labelOf(log.label, LOG)} onChange={(e) => change(LOG, e.detail.selectedOption.getAttribute('value'))}>
            {modes.map((mode) => <Option key={mode} value={mode} selected={log.value === mode}>{t(`ai.setup.policy.logModes.${mode}`, { defaultValue: mode })}</Option>)}
          </Select>
          <ul className={classes.muted} style={{ margin: 0, paddingInlineStart: '1.25rem' }}>
            {modes.map((mode) => (
              <li key={mode}><Text className={classes.muted}><b>{t(`ai.setup.policy.logModes.${mode}`, { defaultValue: mode })}</b> — {t(`ai.setup.policy.logHelp.${mode}`, { defaultValue: '' })}</Text></li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
