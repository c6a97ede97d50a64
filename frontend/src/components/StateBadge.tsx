// État coloré d'un travail, d'un courriel ou d'un envoi : la couleur vient de la table de l'appelant.
import { ObjectStatus } from '@ui5/webcomponents-react';

export type Tone = 'Positive' | 'Negative' | 'Critical' | 'Information' | 'None';

interface Props {
  state: string;
  tones: Record<string, Tone>;
  label: string;
}

export function StateBadge({ state, tones, label }: Props) {
  return <ObjectStatus state={tones[state] ?? 'None'} data-value={state}>{label}</ObjectStatus>;
}
