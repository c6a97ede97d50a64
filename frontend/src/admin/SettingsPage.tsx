// Console : réglages déclarés par le cœur et les modules actifs, groupés par domaine ; chaque valeur se saisit selon
// son schéma (booléen, nombre, liste, texte, secret), s'enregistre ou revient à la valeur héritée.
import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Button, Input, MessageStrip, ObjectStatus, Option, Panel, Select, Switch, Text, Title } from '@ui5/webcomponents-react';
import { problemText } from '../api/client';
import { labelOf } from '../i18n';
import { deleteSetting, putSetting, SETTINGS_KEY, useSettings, type Setting } from './settingsApi';
import classes from './AdminPage.module.css';

/** Type de saisie d'un réglage d'après son schéma JSON. */
export function settingInput(schema: Setting['schema']): 'boolean' | 'number' | 'enum' | 'text' | 'json' {
  if (schema.enum) return 'enum';
  const type = schema.type ?? schema.anyOf?.find((s) => s.type !== 'null')?.type;
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'string') return 'text';
  return 'json';
}

/** Valeur saisie → valeur du réglage (nombre, JSON, texte vide = null quand le schéma l'admet). */
export function parseSetting(schema: Setting['schema'], text: string): unknown {
  const kind = settingInput(schema);
  if (kind === 'number') return text.trim() === '' ? null : Number(text);
  if (kind === 'json') return JSON.parse(text);
  if (kind === 'text' && text === '' && schema.anyOf?.some((s) => s.type === 'null')) return null;
  return text;
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const settings = useSettings();
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ design: 'Positive' | 'Negative'; text: string } | undefined>();
  const groups = useMemo(() => {
    const map = new Map<string, Setting[]>();
    for (const setting of settings.data ?? []) {
      const group = setting.key.split('.')[0]!;
      map.set(group, [...(map.get(group) ?? []), setting]);
    }
    return [...map];
  }, [settings.data]);

  async function save(setting: Setting, value: unknown) {
    try {
      await putSetting(setting.key, value);
      setDrafts(({ [setting.key]: _done, ...rest }) => rest);
      setMessage({ design: 'Positive', text: t('settings.saved', { key: setting.key }) });
    } catch (failure) {
      setMessage({ design: 'Negative', text: `${setting.key}: ${problemText(failure)}` });
    }
    await queries.invalidateQueries({ queryKey: SETTINGS_KEY });
  }

  async function reset(setting: Setting) {
    await deleteSetting(setting.key).catch((failure) => setMessage({ design: 'Negative', text: problemText(failure) }));
    await queries.invalidateQueries({ queryKey: SETTINGS_KEY });
  }

  function editor(setting: Setting) {
    const kind = settingInput(setting.schema);
    const name = labelOf(setting.label, setting.key);
    if (kind === 'boolean') return <Switch accessibleName={name} checked={Boolean(setting.value)} onChange={(e) => void save(setting, e.target.checked)} />;
    if (kind === 'enum') {
      return (
        <Select accessibleName={name} onChange={(e) => void save(setting, JSON.parse(e.detail.selectedOption.getAttribute('data-value') ?? 'null'))}>
          {setting.schema.enum!.map((v) => <Option key={String(v)} data-value={JSON.stringify(v)} selected={v === setting.value}>{String(v)}</Option>)}
        </Select>
      );
    }
    const shown = drafts[setting.key] ?? (setting.secret ? '' : kind === 'json' ? JSON.stringify(setting.value) : (setting.value ?? '') as string);
    return (
      <div className={classes.row}>
        <Input accessibleName={name} type={setting.secret ? 'Password' : kind === 'number' ? 'Number' : 'Text'} value={String(shown)} placeholder={setting.secret ? t(setting.isSet ? 'settings.secretSet' : 'settings.secretUnset') : ''}
          data-setting={setting.key} onInput={(e) => setDrafts((d) => ({ ...d, [setting.key]: e.target.value }))} />
        <Button design="Emphasized" disabled={drafts[setting.key] === undefined} onClick={() => {
          try {
            void save(setting, parseSetting(setting.schema, drafts[setting.key] ?? ''));
          } catch {
            setMessage({ design: 'Negative', text: t('settings.invalidJson', { key: setting.key }) });
          }
        }}>{t('actions.save')}</Button>
      </div>
    );
  }

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('settings.title')}</Title>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role="status">{message.text}</MessageStrip>}
      {groups.map(([group, list]) => (
        <Panel key={group} headerText={group} collapsed={false} fixed={false}>
          <div className={classes.form}>
            {list.map((setting) => (
              <div key={setting.key} data-setting-row={setting.key} style={{ display: 'flex', flexDirection: 'column', gap: '0.25rem', marginBottom: '0.75rem' }}>
                <Text><b>{labelOf(setting.label, setting.key)}</b> <span className={classes.muted}>({setting.key})</span></Text>
                {setting.description && <Text className={classes.muted}>{labelOf(setting.description)}</Text>}
                <div className={classes.row}>
                  {editor(setting)}
                  <ObjectStatus state={setting.source === 'default' ? 'None' : 'Information'}>{t(`settings.sources.${setting.source}`, { defaultValue: setting.source })}</ObjectStatus>
                  {setting.source !== 'default' && <Button design="Transparent" icon="reset" onClick={() => void reset(setting)}>{t('settings.reset')}</Button>}
                </div>
              </div>
            ))}
          </div>
        </Panel>
      ))}
    </div>
  );
}
