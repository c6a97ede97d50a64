// Accueil : une tuile par entrée du menu, regroupées comme la navigation.
import { useMemo } from 'react';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Card, CardHeader, Icon, Title } from '@ui5/webcomponents-react';
import { area } from '../area';
import { useMe, useMenus } from '../api/queries';
import { menuForArea, menuPath } from '../shell/navigation';
import classes from './HomePage.module.css';

export default function HomePage() {
  const { t, i18n } = useTranslation();
  const me = useMe().data!;
  const menus = useMenus(i18n.language);
  const navigate = useNavigate();
  const groups = useMemo(() => menuForArea(menus.data ?? [], area), [menus.data]);
  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('home.welcome', { name: me.user.displayName ?? me.user.email })}</Title>
      {groups.map((group) => (
        <section key={group.id} className={classes.group} aria-label={group.label}>
          <Title level="H2" size="H5">{group.label}</Title>
          <div className={classes.tiles}>
            {(group.children.length ? group.children : [group]).filter((entry) => menuPath(entry)).map((entry) => (
              <Card key={entry.id} className={classes.tile} data-menu-id={entry.id}
                header={<CardHeader interactive titleText={entry.label} avatar={<Icon name={entry.icon ?? group.icon ?? 'document'} />} onClick={() => navigate(menuPath(entry)!)} />} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
