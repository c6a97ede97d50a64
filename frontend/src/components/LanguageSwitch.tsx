// Bascule français / anglais (pages publiques : connexion, nouveau mot de passe).
import { useTranslation } from 'react-i18next';
import { SegmentedButton, SegmentedButtonItem } from '@ui5/webcomponents-react';
import { changeLanguage, LANGUAGES, type Language } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedButton accessibleName={t('profile.language')} onSelectionChange={(e) => void changeLanguage(e.detail.selectedItems[0]?.dataset.language as Language)}>
      {LANGUAGES.map((language) => (
        <SegmentedButtonItem key={language} data-language={language} selected={i18n.language === language} tooltip={t(`languages.${language}`)}>
          {language.toUpperCase()}
        </SegmentedButtonItem>
      ))}
    </SegmentedButton>
  );
}
