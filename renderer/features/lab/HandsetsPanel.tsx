/** The virtual handsets of the numbers used in the Lab, live from the embedded virtual network. */
import CleaningServicesOutlined from '@mui/icons-material/CleaningServicesOutlined';
import SmartphoneOutlined from '@mui/icons-material/SmartphoneOutlined';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import { useTranslation } from 'react-i18next';
import type { VirtualHandset } from '../../../core/api/engine-types';
import type { QueryState } from '../../hooks/useCommand';
import { EmptyState, ErrorAlert, LoadingState } from '../../components/StatusViews';
import { HandsetCard } from './HandsetCard';
import type { NumberTools } from './numbers';
import { PanelCard } from './PanelCard';

interface Props {
  /** The numbers to show, in order (E.164). */
  numbers: string[];
  caller: string | null;
  callee: string | null;
  handsets: QueryState<VirtualHandset[]>;
  fresh: ReadonlySet<number>;
  tools: NumberTools;
  /** Shown when earlier numbers beyond the current caller and callee are on screen. */
  onForget?: () => void;
}

export function HandsetsPanel({ numbers, caller, callee, handsets, fresh, tools, onForget }: Props) {
  const { t } = useTranslation();
  const byNumber = new Map((handsets.data ?? []).map((h) => [h.msisdn, h]));
  const shown = numbers.flatMap((n) => {
    const handset = byNumber.get(n);
    return handset ? [handset] : [];
  });
  return (
    <PanelCard
      icon={<SmartphoneOutlined />}
      title={t('lab.handsets.title')}
      subtitle={t('lab.handsets.subtitle')}
      testId="lab-handsets"
      scroll
      action={
        onForget && (
          <Tooltip title={t('lab.handsets.forget')}>
            <IconButton onClick={onForget} aria-label={t('lab.handsets.forget')} data-testid="lab-handsets-forget">
              <CleaningServicesOutlined fontSize="small" />
            </IconButton>
          </Tooltip>
        )
      }
    >
      <Stack spacing={1.5}>
        {handsets.error && <ErrorAlert error={handsets.error} onRetry={handsets.reload} />}
        {numbers.length === 0 ? (
          <EmptyState title={t('lab.handsets.emptyTitle')} hint={t('lab.handsets.emptyHint')} />
        ) : handsets.loading && !handsets.data ? (
          <LoadingState />
        ) : (
          shown.map((handset) => (
            <HandsetCard
              key={handset.msisdn}
              handset={handset}
              role={handset.msisdn === caller ? 'caller' : handset.msisdn === callee ? 'callee' : null}
              fresh={fresh}
              tools={tools}
              onChanged={handsets.reload}
            />
          ))
        )}
      </Stack>
    </PanelCard>
  );
}
