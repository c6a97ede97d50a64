// Lien UI5 vers un écran du routeur : vraie adresse (nouvel onglet possible), navigation sans rechargement au clic.
import type { ReactNode } from 'react';
import { useHref, useNavigate } from 'react-router';
import { Link } from '@ui5/webcomponents-react';

export function RouterLink({ to, children, name }: { to: string; children: ReactNode; name?: string }) {
  const href = useHref(to);
  const navigate = useNavigate();
  return (
    <Link href={href} data-link={name} onClick={(e) => {
      // clic simple : navigation du routeur ; Ctrl/Cmd-clic garde le comportement du navigateur
      if (e.detail.ctrlKey || e.detail.metaKey || e.detail.shiftKey) return;
      e.preventDefault();
      navigate(to);
    }}>{children}</Link>
  );
}
