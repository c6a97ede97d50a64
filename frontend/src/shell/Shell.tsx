// Cadre de l'application : barre du haut (recherche, notifications, profil), navigation latérale tirée du menu
// du serveur, zone de contenu. Repliée sur téléphone.
import { useEffect, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  Avatar, Button, Input, ShellBar, ShellBarItem, SideNavigation, SideNavigationItem, SideNavigationSubItem, SuggestionItem,
} from '@ui5/webcomponents-react';
import { AssistantPanel } from '../assistant/AssistantPanel';
import { ASK_ASSISTANT_EVENT } from '../assistant/askAssistant';
import { area } from '../area';
import { useMe, useMenus } from '../api/queries';
import { activeEntry, flatEntries, menuForArea, menuPath } from './navigation';
import { NotificationsBell } from './NotificationsBell';
import { ProfileMenu } from './ProfileMenu';
import { useNotifications } from './useNotifications';
import classes from './Shell.module.css';

export default function Shell() {
  const { t, i18n } = useTranslation();
  const me = useMe().data!;
  const menus = useMenus(i18n.language);
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(() => window.innerWidth < 800);
  const [profileOpen, setProfileOpen] = useState(false);
  const notifications = useNotifications();
  const [bellOpener, setBellOpener] = useState<HTMLElement | null>(null);
  const [assistantOpen, setAssistantOpen] = useState(false);
  const [queuedQuestion, setQueuedQuestion] = useState<string>();
  useEffect(() => {
    const open = (event: Event) => {
      setAssistantOpen(true);
      setQueuedQuestion((event as CustomEvent<string>).detail);
    };
    window.addEventListener(ASK_ASSISTANT_EVENT, open);
    return () => window.removeEventListener(ASK_ASSISTANT_EVENT, open);
  }, []);
  const menu = useMemo(() => menuForArea(menus.data ?? [], area), [menus.data]);
  const entries = useMemo(() => flatEntries(menu), [menu]);
  const selected = activeEntry(menu, location.pathname);
  const [search, setSearch] = useState('');
  const matches = search ? entries.filter((e) => e.label.toLowerCase().includes(search.toLowerCase())).slice(0, 10) : [];

  const go = (path: string | undefined) => {
    if (!path) return;
    navigate(path);
    if (window.innerWidth < 800) setCollapsed(true);
  };

  const initials = String(me.user.displayName ?? me.user.email).split(/[\s@.]+/).slice(0, 2).map((part) => part[0]?.toUpperCase()).join('');

  return (
    <div className={classes.shell}>
      <ShellBar
        primaryTitle={area === 'server' ? t('shell.console') : 'OpsFlux'}
        secondaryTitle={me.tenant?.name ?? ''}
        showNotifications
        notificationsCount={notifications.unread ? String(notifications.unread) : ''}
        onNotificationsClick={(e) => {
          void notifications.refresh();
          setBellOpener((open) => (open ? null : e.detail.targetRef));
        }}
        startButton={<Button icon="menu2" design="Transparent" tooltip={t('shell.toggleNavigation')} accessibleName={t('shell.toggleNavigation')} data-action="toggle-navigation" onClick={() => setCollapsed((c) => !c)} />}
        profile={<Avatar id="shell-profile" initials={initials} accessibleName={t('shell.profile')} />}
        onProfileClick={() => setProfileOpen(true)}
        searchField={
          <Input
            placeholder={t('shell.search')}
            accessibleName={t('shell.search')}
            showSuggestions
            value={search}
            onInput={(e) => setSearch(e.target.value)}
            onSelectionChange={(e) => {
              const path = e.detail.item?.dataset.path;
              if (path) {
                setSearch('');
                go(path);
              }
            }}
            onChange={() => {
              if (matches.length === 1) {
                setSearch('');
                go(matches[0]!.path);
              }
            }}
          >
            {matches.map((entry) => <SuggestionItem key={entry.id} text={entry.label} additionalText={entry.group} data-path={entry.path} />)}
          </Input>
        }
        onLogoClick={() => go('/')}
      >
        {area !== 'server' && (
          <ShellBarItem icon="ai" text={t('assistant.title')} data-action="assistant" onClick={() => setAssistantOpen((open) => !open)} />
        )}
      </ShellBar>
      <ProfileMenu open={profileOpen} opener="shell-profile" me={me} onClose={() => setProfileOpen(false)} />
      <NotificationsBell feed={notifications} opener={bellOpener} onClose={() => setBellOpener(null)} />
      {assistantOpen && <AssistantPanel question={queuedQuestion} onQuestionTaken={() => setQueuedQuestion(undefined)} onClose={() => setAssistantOpen(false)} />}
      <div className={classes.body}>
        <SideNavigation
          collapsed={collapsed}
          accessibleName={t('shell.navigation')}
          className={classes.nav}
          onSelectionChange={(e) => go((e.detail.item as HTMLElement).dataset.path)}
        >
          <SideNavigationItem text={t('shell.home')} icon="home" data-path="/" selected={location.pathname === '/'} />
          {menu.map((group) => group.children.length ? (
            <SideNavigationItem key={group.id} text={group.label} icon={group.icon ?? 'folder'} expanded unselectable={!menuPath(group)} data-path={menuPath(group)}>
              {group.children.map((item) => (
                <SideNavigationSubItem key={item.id} text={item.label} data-path={menuPath(item)} data-menu-id={item.id} selected={item.id === selected} />
              ))}
            </SideNavigationItem>
          ) : (
            <SideNavigationItem key={group.id} text={group.label} icon={group.icon ?? 'document'} data-path={menuPath(group)} selected={group.id === selected} />
          ))}
        </SideNavigation>
        <main className={assistantOpen ? `${classes.content} ${classes.withAssistant}` : classes.content}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}
