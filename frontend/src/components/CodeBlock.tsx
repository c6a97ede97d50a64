// Bloc de texte brut sous son titre : charge JSON, résultat, erreur, corps d'une réponse, texte d'un courriel.
import { Label } from '@ui5/webcomponents-react';

interface Props {
  label: string;
  /** texte tel quel, ou valeur montrée en JSON indenté */
  value: unknown;
  name?: string;
}

export function CodeBlock({ label, value, name }: Props) {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  return (
    <div>
      <Label showColon>{label}</Label>
      <pre data-block={name} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: '0.75rem', margin: '0.25rem 0 0', maxHeight: '16rem', overflow: 'auto' }}>{text}</pre>
    </div>
  );
}
