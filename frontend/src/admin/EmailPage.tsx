// Console : historique des courriels du tenant — filtre par état et recherche du destinataire, pages par curseur,
// détail (objet, texte, HTML rendu dans un cadre isolé sans scripts), renvoi d'un message.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  Button, Dialog, Input, Label, MessageStrip, Option, Select, Table, TableCell, TableHeaderCell, TableHeaderRow, TableRow, Text, Title,
} from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { useCursorList } from '../api/cursorList';
import { CodeBlock } from '../components/CodeBlock';
import { DialogFooter } from '../components/DialogFooter';
import { LoadMore } from '../components/LoadMore';
import { StateBadge, type Tone } from '../components/StateBadge';
import { useDateTime } from '../components/useDateTime';
import classes from './AdminPage.module.css';

const STATUSES = ['queued', 'sent', 'failed', 'bounced'] as const;
type Status = (typeof STATUSES)[number];
const TONES: Record<Status, Tone> = { queued: 'Information', sent: 'Positive', failed: 'Negative', bounced: 'Critical' };
const COLUMNS = ['to', 'subject', 'status', 'attempts', 'created', 'sent', 'error'] as const;

interface Message {
  id: string;
  status: Status;
  to: string;
  subject: string;
  template: string | null;
  attempts: number;
  lastError: string | null;
  resendOf: string | null;
  createdAt: string;
  sentAt: string | null;
  failedAt: string | null;
  bouncedAt: string | null;
  html?: string | null;
  text?: string | null;
  sensitive?: boolean;
}

export default function EmailPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const when = useDateTime();
  const [status, setStatus] = useState('');
  const [recipient, setRecipient] = useState('');
  const [to, setTo] = useState('');
  const messages = useCursorList<Message>('email-messages', '/email/messages', { params: { status, to }, live: (m) => m.status === 'queued' });
  const [openId, setOpenId] = useState<string | undefined>();
  const detail = useQuery({ queryKey: ['email-messages', 'detail', openId], enabled: Boolean(openId), queryFn: () => api.request<Message>('GET', `/email/messages/${openId}`) });
  const [message, setMessage] = useState<{ design: 'Negative' | 'Positive'; text: string } | undefined>();
  const shown = detail.data;

  async function resend(original: Message) {
    try {
      const copy = await api.request<Message>('POST', `/email/messages/${original.id}/resend`, {});
      await queries.invalidateQueries({ queryKey: ['email-messages'] });
      setOpenId(undefined);
      setMessage({ design: 'Positive', text: t('emailLog.resent', { to: copy.to }) });
    } catch (failure) {
      setMessage({ design: 'Negative', text: problemText(failure) });
    }
  }

  return (
    <div className={classes.page}>
      <Title level="H1" size="H3">{t('emailLog.title')}</Title>
      <Text className={classes.muted}>{t('emailLog.intro')}</Text>
      {message && <MessageStrip design={message.design} onClose={() => setMessage(undefined)} role={message.design === 'Negative' ? 'alert' : 'status'}>{message.text}</MessageStrip>}
      <div className={classes.row}>
        <div className={classes.form}>
          <Label for="email-status">{t('emailLog.columns.status')}</Label>
          <Select id="email-status" accessibleName={t('emailLog.columns.status')} onChange={(e) => setStatus(e.detail.selectedOption.getAttribute('value') ?? '')}>
            {['', ...STATUSES].map((s) => <Option key={s} value={s} selected={status === s}>{s ? t(`emailLog.statuses.${s}`) : t('filters.any')}</Option>)}
          </Select>
        </div>
        <div className={classes.form}>
          <Label for="email-recipient">{t('emailLog.recipient')}</Label>
          <Input id="email-recipient" type="Search" showClearIcon value={recipient} placeholder={t('emailLog.recipientHint')} accessibleName={t('emailLog.recipient')}
            onInput={(e) => {
              setRecipient(e.target.value);
              if (!e.target.value) setTo('');
            }}
            onChange={(e) => setTo(e.target.value.trim())} />
        </div>
        <Button icon="search" data-action="search" onClick={() => setTo(recipient.trim())}>{t('emailLog.search')}</Button>
        <Button icon="refresh" onClick={() => void messages.refetch()}>{t('background.refresh')}</Button>
      </div>
      <Table accessibleName={t('emailLog.title')} loading={messages.isFetching && !messages.data} noDataText={t('emailLog.none')}
        onRowClick={(e) => setOpenId(String((e.detail.row as unknown as { rowKey: string }).rowKey))}
        headerRow={<TableHeaderRow>{COLUMNS.map((c) => <TableHeaderCell key={c}>{t(`emailLog.columns.${c}`)}</TableHeaderCell>)}</TableHeaderRow>}>
        {messages.rows.map((m) => (
          <TableRow key={m.id} rowKey={m.id} interactive data-email={m.to} data-email-status={m.status}>
            <TableCell><Text>{m.to}</Text></TableCell>
            <TableCell><Text>{m.subject}</Text></TableCell>
            <TableCell><StateBadge state={m.status} tones={TONES} label={t(`emailLog.statuses.${m.status}`)} /></TableCell>
            <TableCell><Text>{m.attempts}</Text></TableCell>
            <TableCell><Text>{when(m.createdAt)}</Text></TableCell>
            <TableCell><Text>{when(m.sentAt)}</Text></TableCell>
            <TableCell><Text maxLines={2}>{m.lastError ?? ''}</Text></TableCell>
          </TableRow>
        ))}
      </Table>
      <LoadMore {...messages} />

      <Dialog open={openId !== undefined} headerText={shown?.subject ?? t('emailLog.title')} onClose={() => setOpenId(undefined)} data-dialog="email"
        style={{ width: 'min(56rem, 95vw)' }}
        footer={<DialogFooter>
          <Button design="Emphasized" icon="redo" data-action="resend" disabled={!shown || shown.status === 'queued' || (shown.html == null && shown.text == null)}
            onClick={() => shown && void resend(shown)}>{t('emailLog.resend')}</Button>
          <Button onClick={() => setOpenId(undefined)}>{t('background.close')}</Button>
        </DialogFooter>}>
        {shown && (
          <div className={classes.form} style={{ maxWidth: 'none' }}>
            <div className={classes.row}>
              <StateBadge state={shown.status} tones={TONES} label={t(`emailLog.statuses.${shown.status}`)} />
              <Text>{t('emailLog.detailTo', { to: shown.to, created: when(shown.createdAt) })}</Text>
            </div>
            {shown.template && <Text className={classes.muted}>{t('emailLog.template', { key: shown.template })}</Text>}
            {shown.lastError && <MessageStrip design={shown.status === 'bounced' ? 'Critical' : 'Negative'} hideCloseButton>{shown.lastError}</MessageStrip>}
            {shown.html == null && shown.text == null && <MessageStrip design="Information" hideCloseButton>{t('emailLog.erased')}</MessageStrip>}
            {shown.html && (
              <div>
                <Label showColon>{t('emailLog.html')}</Label>
                {/* sandbox sans jeton : ni scripts, ni formulaires, ni navigation, origine opaque */}
                <iframe sandbox="" srcDoc={shown.html} title={t('emailLog.htmlFrame', { subject: shown.subject })} data-email-html
                  style={{ width: '100%', height: '22rem', border: '1px solid var(--sapGroup_ContentBorderColor)', background: '#fff', marginTop: '0.25rem' }} />
              </div>
            )}
            <CodeBlock label={t('emailLog.text')} value={shown.text} name="text" />
          </div>
        )}
      </Dialog>
    </div>
  );
}
