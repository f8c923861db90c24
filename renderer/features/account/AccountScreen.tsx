import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import { KeyValueList } from '../../components/KeyValueList';
import { PasswordChangeForm } from '../../components/PasswordChangeForm';
import { ScreenHeader } from '../../components/ScreenHeader';
import { usePermissionLabels, useRoleLabel } from '../../hooks/useLabels';
import { useStore } from '../../store';

export function AccountScreen() {
  const { t } = useTranslation();
  const me = useStore((s) => s.me);
  const notify = useStore((s) => s.notify);
  const roleLabel = useRoleLabel();
  const permissionLabels = usePermissionLabels();
  if (!me) return null;
  return (
    <Box data-testid="screen-account">
      <ScreenHeader title={t('account.title')} subtitle={t('account.subtitle')} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, alignItems: 'start' }}>
        <Paper variant="outlined" sx={{ p: 2.5 }}>
          <Typography variant="h4" sx={{ mb: 2 }}>
            {t('account.profile')}
          </Typography>
          <KeyValueList
            items={[
              { label: t('fields.username'), value: me.username, testId: 'account-username' },
              { label: t('fields.displayName'), value: me.displayName },
              { label: t('fields.roleId'), value: roleLabel(me.role) },
              {
                label: t('account.permissions'),
                value: me.permissions.length
                  ? me.permissions.map((p) => permissionLabels.name(p)).join(t('common.listSeparator'))
                  : t('account.noPermissions'),
              },
            ]}
          />
        </Paper>
        <Paper variant="outlined" sx={{ p: 2.5 }}>
          <Typography variant="h4" sx={{ mb: 0.5 }}>
            {t('account.changePassword')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {t('account.changePasswordHint')}
          </Typography>
          <Divider sx={{ mb: 2 }} />
          <PasswordChangeForm currentLabel={t('password.current')} onChanged={() => notify('success', t('password.changed'))} />
        </Paper>
      </Box>
    </Box>
  );
}
