// Fenêtre de la cloche : notifications de l'inbox avec leur priorité, ouvrir (marque lu et suit le lien), archiver,
// tout marquer lu. Le nombre de non lues est affiché par la ShellBar (voir Shell).
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, NotificationList, NotificationListItem, ResponsivePopover, Text } from '@ui5/webcomponents-react';
import { routerBasename } from '../area';
import { useDateTime } from '../components/useDateTime';
import type { NotificationsState, Priority } from './useNotifications';

const STATE: Record<Priority, 'None' | 'Information' | 'Critical' | 'Negative'> = { low: 'None', normal: 'Information', high: 'Critical', urgent: 'Negative' };

interface Props {
  feed: NotificationsState;
  opener: HTMLElement | null;
  onClose: () => void;
}

export function NotificationsBell({ feed, opener, onClose }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();

  /** Lien de la notification : chemin de cette partie (routeur), autre partie ou adresse externe (navigateur). */
  function follow(link: string | null) {
    if (!link) return;
    onClose();
    if (link.startsWith(`${routerBasename}/`)) navigate(link.slice(routerBasename.length));
    else if (link.startsWith('/')) window.location.assign(link);
    else window.open(link, '_blank', 'noopener');
  }

  const byId = (id: string | undefined) => feed.items.find((n) => n.id === id);
  const when = useDateTime('minutes');

  return (
    <ResponsivePopover
      open={Boolean(opener)}
      opener={opener ?? undefined}
      placement="Bottom"
      headerText={t('notifications.title')}
      data-testid="notifications-popover"
      onClose={onClose}
      footer={
        <Button design="Transparent" icon="complete" data-action="read-all" disabled={feed.unread === 0} onClick={() => void feed.readAll()}>
          {t('notifications.readAll')}
        </Button>
      }
    >
      <NotificationList
        noDataText={feed.loading ? t('notifications.loading') : t('notifications.empty')}
        style={{ width: 'min(28rem, 90vw)' }}
        onItemClick={(e) => {
          const item = byId((e.detail.item as HTMLElement).dataset.id);
          if (!item) return;
          if (item.state === 'unread') void feed.act(item.id, 'read');
          follow(item.link);
        }}
        onItemClose={(e) => {
          const id = (e.detail.item as HTMLElement).dataset.id;
          if (id) void feed.act(id, 'archive');
        }}
      >
        {feed.items.map((n) => (
          <NotificationListItem
            key={n.id}
            data-id={n.id}
            data-priority={n.priority}
            titleText={n.count > 1 ? `${n.title} (${n.count})` : n.title}
            read={n.state !== 'unread'}
            state={STATE[n.priority]}
            importance={n.priority === 'urgent' ? 'Important' : 'Standard'}
            showClose
            wrappingType="Normal"
            footnotes={[
              <Text key="priority">{t(`notifications.priority.${n.priority}`)}</Text>,
              <Text key="when">{when(n.updatedAt)}</Text>,
            ]}
          >
            {n.body ?? ''}
          </NotificationListItem>
        ))}
      </NotificationList>
    </ResponsivePopover>
  );
}
