// Limites de l'IA du tenant : nouvelles tentatives, pas et historique de l'assistant, budgets du mois (jetons du
// tenant, par utilisateur, par fonction, coût). Champ vide : la valeur héritée (montrée en indication) ou, pour un
// budget, pas de limite. Contrôlés d'après les schémas, enregistrés ensemble ; erreurs du serveur sur leur champ.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Text, Title } from '@ui5/webcomponents-react';
import { problemOf } from '../../components/fieldErrors';
import { FormInput } from '../../components/FormInput';
import { labelOf } from '../../i18n';
import type { SettingSchema } from '../settingsApi';
import classes from '../AdminPage.module.css';
import { asText, schemaError, schemaValue, useAiSettings, useNotice, useSaveAiSetting } from './aiSettings';
import { useFeatureLabel } from './model';

const SCALARS = ['ai.retries', 'ai.assistantMaxSteps', 'ai.assistantHistoryTokens'] as const;
const BUDGETS = 'ai.budgets';
const TENANT_BUDGETS = ['monthlyTokens', 'monthlyTokensPerUser', 'monthlyCost'] as const;

/** valeur à un chemin pointé (`features.assistant`) */
const at = (value: unknown, path: string): unknown => path.split('.').reduce<unknown>((v, part) => (v as Record<string, unknown> | undefined)?.[part], value);

export function AiLimits() {
  const { t } = useTranslation();
  const featureLabel = useFeatureLabel();
  const ai = useAiSettings();
  const save = useSaveAiSetting();
  const { run, strip } = useNotice('limits');
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Partial<Record<string, string>>>({});
  const budgets = ai.get(BUDGETS);
  const featureSchemas = budgets?.schema.properties?.features?.properties ?? {};
  const budgetPaths = [...TENANT_BUDGETS, ...Object.keys(featureSchemas).map((f) => `features.${f}`)];
  const budgetSchema = (path: string) => at(budgets?.schema.properties, path.replace('.', '.properties.')) as SettingSchema | undefined;

  /** texte enregistré d'un champ : la valeur propre au tenant, vide si elle est héritée */
  const saved = (id: string) => {
    if (id.startsWith('budget.')) return budgets?.source === 'tenant' ? asText(at(budgets.value, id.slice(7))) : '';
    const setting = ai.get(id);
    return setting?.source === 'tenant' ? asText(setting.value) : '';
  };
  const text = (id: string) => drafts[id] ?? saved(id);
  const changed = (ids: string[]) => ids.some((id) => drafts[id] !== undefined && drafts[id] !== saved(id));

  async function submit() {
    const found = Object.fromEntries([
      ...SCALARS.map((key) => [key, schemaError(t, key, ai.get(key)?.schema, text(key))]),
      ...budgetPaths.map((path) => [`budget.${path}`, schemaError(t, path, budgetSchema(path), text(`budget.${path}`))]),
    ]);
    setErrors(found);
    if (Object.values(found).some(Boolean)) return;
    const ok = await run(async () => {
      for (const key of SCALARS.filter((k) => changed([k]))) await saveOne(key, schemaValue(ai.get(key)?.schema, text(key)));
      if (changed(budgetPaths.map((p) => `budget.${p}`))) {
        const value: Record<string, unknown> = {};
        for (const path of budgetPaths) {
          const v = schemaValue(budgetSchema(path), text(`budget.${path}`));
          if (v === undefined) continue;
          if (path.startsWith('features.')) value.features = { ...(value.features as object), [path.slice(9)]: v };
          else value[path] = v;
        }
        await saveOne(BUDGETS, value);
      }
    }, t('ai.setup.limits.saved'));
    if (ok) setDrafts({});
  }

  /** un réglage ; ses erreurs de champ (`value`, `value.features.assistant`) rapportées sur la saisie */
  async function saveOne(key: string, value: unknown) {
    try {
      await save(key, value);
    } catch (failure) {
      const prefix = key === BUDGETS ? 'budget' : key;
      setErrors(Object.fromEntries((problemOf(failure).errors ?? []).map((e) => [e.field.replace(/^value/, prefix), e.message])));
      throw failure;
    }
  }

  /** indication d'un budget vide : la limite héritée de la plateforme, ou aucune */
  const budgetHint = (path: string) => {
    const inherited = budgets?.source === 'tenant' ? undefined : at(budgets?.value, path);
    return inherited === undefined ? t('ai.setup.limits.noLimit') : t('ai.setup.limits.inherited', { value: asText(inherited) });
  };

  const input = (id: string, label: string, placeholder = '') => (
    <FormInput key={id} id={`ai-limit-${id.replace(/\./g, '-')}`} label={label} type="Number" value={text(id)} placeholder={placeholder} error={errors[id]}
      onChange={(value) => setDrafts({ ...drafts, [id]: value })} />
  );

  return (
    <section className={classes.form} aria-labelledby="ai-limits-title" data-section="limits">
      <Title level="H2" size="H4" id="ai-limits-title">{t('ai.setup.limits.title')}</Title>
      {strip}
      {SCALARS.map((key) => {
        const setting = ai.get(key);
        return setting && input(key, labelOf(setting.label, key), setting.source === 'tenant' ? '' : t('ai.setup.limits.inherited', { value: asText(setting.value) }));
      })}
      <Title level="H3" size="H5">{labelOf(budgets?.label, t('ai.setup.limits.budgets'))}</Title>
      <Text className={classes.muted}>{t('ai.setup.limits.budgetsHelp')}</Text>
      {TENANT_BUDGETS.map((path) => input(`budget.${path}`, t(`ai.setup.limits.fields.${path}`), budgetHint(path)))}
      {Object.keys(featureSchemas).map((f) => input(`budget.features.${f}`, t('ai.setup.limits.fields.feature', { feature: featureLabel(f) }), budgetHint(`features.${f}`)))}
      <div className={classes.row}>
        <Button design="Emphasized" data-action="save-limits" disabled={Object.keys(drafts).length === 0} onClick={() => void submit()}>{t('actions.save')}</Button>
        <Button design="Transparent" disabled={Object.keys(drafts).length === 0} onClick={() => { setDrafts({}); setErrors({}); }}>{t('actions.cancel')}</Button>
      </div>
    </section>
  );
}
