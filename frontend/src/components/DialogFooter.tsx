// Pied de boîte de dialogue Fiori : les actions alignées à droite, l'action principale en premier.
import type { ReactNode } from 'react';
import { Bar } from '@ui5/webcomponents-react';

// `slot` : posé par la prop `footer` de Dialog (cloneElement) ; sans le transmettre, la barre tombe en haut du contenu
export function DialogFooter({ children, slot }: { children: ReactNode; slot?: string }) {
  return <Bar design="Footer" slot={slot} endContent={<>{children}</>} />;
}
