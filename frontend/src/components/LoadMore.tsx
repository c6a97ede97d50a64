// Bouton « Charger plus » d'une liste paginée par curseur ; absent quand il n'y a plus de page.
import { useTranslation } from 'react-i18next';
import { Button } from '@ui5/webcomponents-react';

interface Props {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

export function LoadMore({ hasNextPage, isFetchingNextPage, fetchNextPage }: Props) {
  const { t } = useTranslation();
  if (!hasNextPage) return null;
  return (
    <div>
      <Button design="Transparent" icon="download" data-action="load-more" disabled={isFetchingNextPage} onClick={() => void fetchNextPage()}>
        {t('background.loadMore')}
      </Button>
    </div>
  );
}
