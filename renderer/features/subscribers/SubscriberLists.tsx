/** The subscriber's blacklist and whitelist: chips with delete, and a field to add a number. */
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useTranslation } from 'react-i18next';
import type { Subscriber, SubscriberDetail } from '../../../core/api/engine-types';
import type { CommandError } from '../../api/client';
import { ChipListEditor } from '../../components/ChipListEditor';
import { fieldErrorText } from '../../components/fieldError';
import { useAction } from '../../hooks/useCommand';
import { describeError } from '../../i18n/errors';
import { useMsisdnFormat, useMsisdnParser } from './numbers';

type ListName = 'blacklist' | 'whitelist';

interface Props {
  subscriber: Subscriber;
  list: ListName;
  canManage: boolean;
  /** The most numbers the list may hold, when known (from the service rules). */
  max?: number;
  onChanged(detail: SubscriberDetail): void;
}

export function SubscriberListEditor({ subscriber, list, canManage, max, onChanged }: Props) {
  const { t } = useTranslation();
  const formatNumber = useMsisdnFormat();
  const parseNumber = useMsisdnParser();
  const change = useAction('subscribers/list-change');
  const values = subscriber[list];

  const errorText = (error: CommandError | null): string | null => {
    if (!error) return null;
    // The core refuses a full list with a conflict naming the limit.
    const limit = Number(error.params?.max);
    if (error.code === 'conflict' && Number.isFinite(limit)) return t(`subscribers.lists.full.${list}`, { max: limit });
    return fieldErrorText(error, 'number') ?? describeError(t, error);
  };

  const run = async (number: string, add: boolean): Promise<boolean> => {
    const result = await change.run(
      { msisdn: subscriber.msisdn, list, number, add },
      {
        inline: true,
        success: t(add ? `subscribers.lists.added.${list}` : `subscribers.lists.removed.${list}`, { number: formatNumber(number) }),
      },
    );
    if (result) onChanged(result);
    return result !== undefined;
  };

  return (
    <Box>
      <Typography variant="subtitle2" sx={{ mb: 0.25 }}>
        {t(`subscribers.lists.title.${list}`)}
        {max !== undefined && (
          <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }} data-testid={`subscriber-${list}-count`}>
            {t('subscribers.lists.count', { count: values.length, max })}
          </Typography>
        )}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {t(`subscribers.lists.hint.${list}`)}
      </Typography>
      <ChipListEditor
        values={values}
        onAdd={(value) => run(value, true)}
        onDelete={(value) => void run(value, false)}
        label={t('subscribers.lists.addLabel')}
        addLabel={t('subscribers.lists.add')}
        removeLabel={(shown) => t('subscribers.lists.remove', { number: shown })}
        emptyText={t('subscribers.lists.empty')}
        format={formatNumber}
        validate={(value) => {
          const parsed = parseNumber(value);
          return parsed.ok ? null : parsed.message;
        }}
        error={errorText(change.error)}
        onEdit={change.clearError}
        readOnly={!canManage}
        pending={change.pending}
        maxLength={40}
        inputMode="tel"
        testId={`subscriber-${list}`}
      />
    </Box>
  );
}
