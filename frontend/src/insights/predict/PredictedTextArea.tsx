// Zone de texte long avec la suite probable du texte (modèle de mots du tenant) en aide discrète sous la zone :
// Tab l'accepte, les autres propositions se cliquent.
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, TextArea } from '@ui5/webcomponents-react';
import { useNextWords } from './usePrediction';

interface Props {
  entity: string;
  field: string;
  value: string;
  inputProps: Record<string, unknown>;
  maxlength?: number;
  children?: ReactNode;
  onChange: (value: string) => void;
}

export function PredictedTextArea({ entity, field, value, inputProps, maxlength, children, onChange }: Props) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState<string | null>(null);
  const completions = useNextWords(entity, field, typed).data?.completions ?? [];
  // une proposition ne vaut que pour le texte qui l'a demandée
  const shown = typed === value ? completions : [];
  const accept = (text: string) => {
    onChange(value + text);
    setTyped(value + text);
  };
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: '0.25rem', width: '100%' }}>
      <TextArea {...inputProps} value={value} rows={4} maxlength={maxlength}
        onInput={(e) => {
          onChange(e.target.value);
          setTyped(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Tab' && !e.shiftKey && shown.length > 0) {
            e.preventDefault();
            accept(shown[0]!.text);
          }
        }}>
        {children}
      </TextArea>
      {shown.length > 0 && (
        <div data-testid="next-words" style={{ display: 'flex', gap: '0.75rem', alignItems: 'baseline', flexWrap: 'wrap', fontSize: 'var(--sapFontSmallSize)', color: 'var(--sapContent_LabelColor)' }}>
          <span>…{shown[0]!.text} <em>({t('nlpPrediction.tabToAccept')})</em></span>
          {shown.slice(1).map((c) => <Link key={c.text} data-completion={c.text} onClick={() => accept(c.text)}>{c.text.trim()}</Link>)}
        </div>
      )}
    </div>
  );
}
