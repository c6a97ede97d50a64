// Menu du profil : langue (gardée sur la fiche de l'utilisateur), thème clair/sombre (préférence), société
// courante, console d'administration, déconnexion.
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Menu, MenuItem, MenuSeparator } from '@ui5/webcomponents-react';
import { api } from '../api/client';
import { changeLanguage, type Language } from '../i18n';
import type { Me } from '../metadata/types';
import { applyTheme, currentTheme, type ThemeChoice } from '../ui5/setup';
import { area } from '../area';

interface Props {
  open: boolean;
  opener: string;
  me: Me;
  onClose: () => void;
}

export function ProfileMenu({ open, opener, me, onClose }: Props) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const theme = currentTheme();
  const learning = me.preferences['ai.learning'] !== false;

  async function act(action: string) {
    const [kind, value] = action.split(':');
    if (kind === 'language') {
      await changeLanguage(value as Language);
      await api.request('PATCH', '/auth/me', { locale: value }).catch(() => undefined);
      await queries.invalidateQueries({ queryKey: ['menus'] });
    } else if (kind === 'theme') {
      await applyTheme(value as ThemeChoice);
      await api.request('PUT', '/auth/me/preferences/theme', { value }).catch(() => undefined);
    } else if (kind === 'learning') {
      // apprentissage des habitudes de saisie : désactivé, le serveur efface les habitudes apprises
      await api.request('PUT', '/auth/me/preferences/ai.learning', { value: value === 'on' }).catch(() => undefined);
      await queries.invalidateQueries({ queryKey: ['me'] });
      await queries.invalidateQueries({ queryKey: ['ai-predictions'] });
    } else if (kind === 'company') {
      await api.request('PATCH', '/auth/me', { currentCompany: value });
      await queries.invalidateQueries();
    } else if (kind === 'console') {
      window.location.assign(value === 'server' ? '/server/' : '/app/');
    } else if (kind === 'logout') {
      await api.request('POST', '/auth/logout', {}).catch(() => undefined);
      queries.setQueryData(['me'], null);
      queries.clear();
    }
  }

  return (
    <Menu
      open={open}
      opener={opener}
      headerText={String(me.user.displayName ?? me.user.email)}
      onClose={onClose}
      onItemClick={(e) => {
        const action = (e.detail.item as HTMLElement).dataset.action;
        if (action) void act(action);
      }}
    >
      <MenuItem text={t('profile.language')} icon="world">
        {(['fr', 'en'] as const).map((language) => (
          <MenuItem key={language} text={t(`languages.${language}`)} data-action={`language:${language}`} icon={i18n.language === language ? 'accept' : undefined} />
        ))}
      </MenuItem>
      <MenuItem text={t('profile.theme')} icon="palette">
        {(['light', 'dark'] as const).map((choice) => (
          <MenuItem key={choice} text={t(`profile.themes.${choice}`)} data-action={`theme:${choice}`} icon={theme === choice ? 'accept' : undefined} />
        ))}
      </MenuItem>
      <MenuItem text={t('nlpPrediction.learning')} icon={learning ? 'accept' : 'decline'} data-action={`learning:${learning ? 'off' : 'on'}`}
        tooltip={t(learning ? 'nlpPrediction.learningOn' : 'nlpPrediction.learningOff')} />
      {me.companies.length > 1 && (
        <MenuItem text={t('profile.company')} icon="building">
          {me.companies.map((company) => (
            <MenuItem key={company.id} text={company.name} data-action={`company:${company.id}`} icon={company.id === me.currentCompanyId ? 'accept' : undefined} />
          ))}
        </MenuItem>
      )}
      {(me.admin || me.superAdmin) && (
        <MenuItem text={area === 'server' ? t('profile.openApp') : t('profile.openConsole')} icon="action-settings" data-action={`console:${area === 'server' ? 'app' : 'server'}`} />
      )}
      <MenuSeparator />
      <MenuItem text={t('profile.signOut')} icon="log" data-action="logout" />
    </Menu>
  );
}
