// Pied de boîte de dialogue Fiori : les actions alignées à droite, l'action principale en premier.
import type { ReactNode } from 'react';
import { Bar } from '@ui5/webcomponents-react';

export function DialogFooter({ children }: { children: ReactNode }) {
  return <Bar design="Footer" endContent={<>{children}</>} />;
}
