// Page inconnue ou interdite : message illustré et retour à l'accueil.
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, IllustratedMessage } from '@ui5/webcomponents-react';
import '@ui5/webcomponents-fiori/dist/illustrations/PageNotFound.js';

export default function NotFoundPage({ title }: { title?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <IllustratedMessage name="PageNotFound" titleText={title ?? t('errors.notFound')} subtitleText={t('errors.notFoundHint')}>
      <Button design="Emphasized" onClick={() => navigate('/')}>{t('shell.home')}</Button>
    </IllustratedMessage>
  );
}
