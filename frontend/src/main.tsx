// Point d'entrée : réglages UI5 (polices, thème, langue) avant le premier rendu, puis l'application.
import './ui5/setup';
import './i18n';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
