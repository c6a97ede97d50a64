// Ajout ou modification d'un fournisseur d'IA : champs contrôlés d'après le schéma de `ai.providers` avant l'envoi,
// erreurs du serveur (`value.<i>.<champ>`, dont le refus d'une adresse par la politique sortante) sur leur champ, et
// la clé d'API, fusionnée dans `ai.providerKeys` pour ce seul fournisseur (le serveur ne rend jamais les clés, seulement
// les noms des fournisseurs qui en ont une).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckBox, Label, MessageStrip, Option, Select } from '@ui5/webcomponents-react';
import type { FieldError } from '@opsflux/sdk';
import { CreateDialog } from '../../components/CreateDialog';
import { problemOf, valueState } from '../../components/fieldErrors';
import { FormInput } from '../../components/FormInput';
import type { SettingSchema } from '../settingsApi';
import { asText, schemaError, schemaValue, useAiSettings, useSaveAiSetting, useSaveProviderKey, type AiProvider } from './aiSettings';

const TEXTS = ['name', 'baseUrl', 'chatModel', 'embeddingModel', 'transcriptionModel', 'timeoutSeconds', 'inputCostPerMillion', 'outputCostPerMillion'] as const;
type TextField = (typeof TEXTS)[number];
/** genres qui offrent des plongements, la transcription ; ceux qui exigent une adresse */
const EMBEDDINGS = new Set(['openai', 'mistral', 'ollama', 'openai-compatible']);
const TRANSCRIPTION = new Set(['openai', 'openai-compatible']);
const NEEDS_URL = new Set(['openai-compatible']);

interface Props {
  /** undefined : fermée ; null : nouveau fournisseur */
  provider: AiProvider | null | undefined;
  onClose: () => void;
  onSaved: (name: string) => void;
}

const blank = (): Record<TextField, string> => Object.fromEntries(TEXTS.map((f) => [f, ''])) as Record<TextField, string>;

export function ProviderDialog({ provider, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const ai = useAiSettings();
  const save = useSaveAiSetting();
  const saveKey = useSaveProviderKey();
  const schema = ai.get('ai.providers')?.schema.items;
  const kinds = (schema?.properties?.kind?.enum ?? []) as string[];
  const hasKey = Boolean(provider && ai.get('ai.providerKeys')?.setKeys?.includes(provider.name));
  const [draft, setDraft] = useState(blank);
  const [kind, setKind] = useState('openai');
  const [onPremises, setOnPremises] = useState(false);
  const [key, setKey] = useState('');
  const [checked, setChecked] = useState<Partial<Record<string, string>>>({});
  const [elsewhere, setElsewhere] = useState<FieldError[]>([]);

  const index = provider ? ai.providers.findIndex((p) => p.name === provider.name) : ai.providers.length;
  const others = ai.providers.filter((p) => p.name !== provider?.name);

  useEffect(() => {
    if (provider === undefined) return;
    setDraft(provider ? Object.fromEntries(TEXTS.map((f) => [f, asText(provider[f])])) as Record<TextField, string> : blank());
    setKind(provider?.kind ?? 'openai');
    setOnPremises(provider?.external === false);
    setKey('');
    setChecked({});
    setElsewhere([]);
  }, [provider]);

  const shown = (field: TextField) => (field === 'embeddingModel' ? EMBEDDINGS.has(kind) : field === 'transcriptionModel' ? TRANSCRIPTION.has(kind) : true);

  /** Contrôles du schéma, plus ceux du serveur à l'appel : nom unique, adresse d'un serveur compatible OpenAI. */
  function check(): Partial<Record<string, string>> {
    const found: Partial<Record<string, string>> = {};
    for (const field of TEXTS.filter(shown)) {
      const required = field === 'name' || field === 'chatModel' || (field === 'baseUrl' && NEEDS_URL.has(kind));
      found[field] = schemaError(t, field, schema?.properties?.[field], draft[field], required);
    }
    if (!provider && others.some((p) => p.name === draft.name.trim())) found.name = t('ai.setup.errors.duplicate');
    const keySchema = ai.get('ai.providerKeys')?.schema as SettingSchema & { additionalProperties?: SettingSchema } | undefined;
    found.key = schemaError(t, 'key', keySchema?.additionalProperties, key);
    return found;
  }

  async function submit() {
    const found = check();
    setChecked(found);
    setElsewhere([]);
    if (Object.values(found).some(Boolean)) return;
    const next: AiProvider = { name: draft.name.trim(), kind, chatModel: draft.chatModel.trim(), external: !onPremises };
    for (const field of TEXTS.filter((f) => f !== 'name' && f !== 'chatModel' && shown(f))) {
      const value = schemaValue(schema?.properties?.[field], draft[field]);
      if (value !== undefined) Object.assign(next, { [field]: value });
    }
    const list = provider ? ai.providers.map((p, i) => (i === index ? next : p)) : [...ai.providers, next];
    try {
      await save('ai.providers', list);
    } catch (failure) {
      // refus portant sur un autre fournisseur de la liste (adresse devenue interdite…) : montré à part
      setElsewhere((problemOf(failure).errors ?? []).filter((e) => !e.field.startsWith(`value.${index}.`)));
      throw failure;
    }
    if (key.trim()) await saveKey(next.name, key.trim());
    onSaved(next.name);
  }

  const input = (field: TextField, error: (field: string) => string | undefined, type: 'Text' | 'Number' = 'Text', required = false) => (
    <FormInput id={`ai-provider-${field}`} label={t(`ai.setup.fields.${field}`)} type={type} required={required} readonly={field === 'name' && Boolean(provider)}
      value={draft[field]} placeholder={field === 'baseUrl' ? t(`ai.setup.urlHints.${kind}`, { defaultValue: '' }) : t(`ai.setup.placeholders.${field}`, { defaultValue: '' })} error={checked[field] ?? error(`value.${index}.${field}`)}
      onChange={(value) => setDraft({ ...draft, [field]: value })} />
  );

  return (
    <CreateDialog open={provider !== undefined} name="ai-provider" action="save-provider" onSubmit={submit} onClose={onClose}
      title={provider ? t('ai.setup.providers.edit', { name: provider.name }) : t('ai.setup.providers.add')} submitText={provider ? t('actions.save') : t('actions.create')}>
      {(error) => <>
        {elsewhere.length > 0 && (
          <MessageStrip design="Negative" hideCloseButton data-role="other-providers">
            {elsewhere.map((e) => t('ai.setup.providers.otherError', { name: ai.providers[Number(e.field.split('.')[1])]?.name ?? e.field, detail: e.message })).join(' · ')}
          </MessageStrip>
        )}
        {input('name', error, 'Text', true)}
        <Label for="ai-provider-kind" required>{t('ai.setup.fields.kind')}</Label>
        <Select id="ai-provider-kind" accessibleName={t('ai.setup.fields.kind')} valueState={valueState(error(`value.${index}.kind`))}
          onChange={(e) => setKind(e.detail.selectedOption.getAttribute('value') ?? 'openai')}>
          {kinds.map((k) => <Option key={k} value={k} selected={kind === k}>{t(`ai.setup.kinds.${k}`, { defaultValue: k })}</Option>)}
        </Select>
        {input('baseUrl', error, 'Text', NEEDS_URL.has(kind))}
        {input('chatModel', error, 'Text', true)}
        {shown('embeddingModel') && input('embeddingModel', error)}
        {shown('transcriptionModel') && input('transcriptionModel', error)}
        <CheckBox id="ai-provider-on-premises" text={t('ai.setup.fields.onPremises')} checked={onPremises} onChange={(e) => setOnPremises(e.target.checked)} />
        {input('timeoutSeconds', error, 'Number')}
        {input('inputCostPerMillion', error, 'Number')}
        {input('outputCostPerMillion', error, 'Number')}
        <FormInput id="ai-provider-key" label={t('ai.setup.fields.key')} type="Password" value={key} onChange={setKey}
          placeholder={t(hasKey ? 'ai.setup.keys.keepPlaceholder' : 'ai.setup.keys.nonePlaceholder')}
          error={checked.key ?? error(`value.${draft.name.trim()}`)} />
      </>}
    </CreateDialog>
  );
}
