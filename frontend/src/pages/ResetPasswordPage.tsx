// Nouveau mot de passe depuis le lien reçu par courriel (?token=…) ; les règles de mot de passe viennent du serveur.
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Button, Card, CardHeader, Input, Label, MessageStrip } from '@ui5/webcomponents-react';
import { api, problemText } from '../api/client';
import { LanguageSwitch } from '../components/LanguageSwitch';
import classes from './LoginPage.module.css';

export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (password !== confirm) {
      setError(t('reset.mismatch'));
      return;
    }
    try {
      await api.request('POST', '/auth/password/reset', { token: params.get('token'), password });
      setDone(true);
      setError(undefined);
    } catch (failure) {
      setError(problemText(failure));
    }
  }

  return (
    <div className={classes.page}>
      <Card className={classes.card} header={<CardHeader titleText={t('reset.title')} action={<LanguageSwitch />} />}>
        <form className={classes.form} onSubmit={submit} noValidate>
          {error && <MessageStrip design="Negative" hideCloseButton role="alert">{error}</MessageStrip>}
          {done ? (
            <>
              <MessageStrip design="Positive" hideCloseButton>{t('reset.done')}</MessageStrip>
              <Button design="Emphasized" onClick={() => navigate('/login')}>{t('login.submit')}</Button>
            </>
          ) : (
            <>
              <Label for="reset-password" required>{t('reset.password')}</Label>
              <Input id="reset-password" type="Password" value={password} accessibleName={t('reset.password')} onInput={(e) => setPassword(e.target.value)} />
              <Label for="reset-confirm" required>{t('reset.confirm')}</Label>
              <Input id="reset-confirm" type="Password" value={confirm} accessibleName={t('reset.confirm')} onInput={(e) => setConfirm(e.target.value)} />
              <Button design="Emphasized" type="Submit">{t('reset.submit')}</Button>
            </>
          )}
        </form>
      </Card>
    </div>
  );
}
