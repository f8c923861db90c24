/**
 * The live status panel beside a network link's settings (Settings → SMSC, Settings → SIP): a card with the state
 * chip, where the link goes, the last failure in plain words with the technical text, big numbers and counters.
 */
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import CardHeader from '@mui/material/CardHeader';
import Divider from '@mui/material/Divider';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, LoadingState } from '../../components/StatusViews';
import type { NetworkStatusState } from '../../hooks/useNetworkStatus';
import { useNow } from '../../hooks/useNow';
import { useFormat } from '../../i18n/format';
import { monoFontFamily } from '../../theme/theme';
import { LinkStateChip, type LinkChipModel, type LinkTone } from './LinkStateChip';

interface PanelProps {
  testId: string;
  title: string;
  /** Under the title while the link runs, e.g. "Live · counters refresh every second". */
  live?: string;
  network: NetworkStatusState;
  /** The link's status is known (else a spinner, or only the load error). */
  ready: boolean;
  /** data-* attributes for tests (data-mode, data-state). */
  data?: Record<`data-${string}`, string | undefined>;
  children: ReactNode;
}

export function LinkStatusPanel({ testId, title, live, network, ready, data, children }: PanelProps) {
  return (
    <Card data-testid={testId} {...data}>
      <CardHeader title={title} subheader={live} slotProps={{ subheader: { variant: 'caption' } }} />
      <CardContent sx={{ pt: 1 }}>
        {network.error && (
          <Box sx={{ mb: 1.5 }}>
            <ErrorAlert error={network.error} onRetry={network.reload} />
          </Box>
        )}
        {!ready ? !network.error && <LoadingState /> : <Stack spacing={1.5}>{children}</Stack>}
      </CardContent>
    </Card>
  );
}

/** The chip, and what goes beside it (how long the state has lasted). */
export function LinkStatusHead({ chip, testId, children }: { chip: LinkChipModel; testId: string; children?: ReactNode }) {
  return (
    <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
      <LinkStateChip chip={chip} testId={testId} />
      {children}
    </Stack>
  );
}

/** "since 3:03:35 PM (3 min)", ticking. */
export function Since({ since, testId }: { since: number; testId: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const now = useNow(1_000);
  return (
    <Typography variant="body2" color="text.secondary" data-testid={testId}>
      {t('links.panel.since', { time: f.time(since), duration: f.duration(Math.max(0, now - since)) })}
    </Typography>
  );
}

/** Where the link goes, in protocol terms, in monospace; wrap the values to stand out in `<Em>`. */
export function LinkTarget({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <Box
      sx={{ fontFamily: monoFontFamily, fontSize: '0.78rem', color: 'text.secondary', lineHeight: 1.6, overflowWrap: 'anywhere' }}
      data-testid={testId}
    >
      {children}
    </Box>
  );
}

export function Em({ children }: { children: ReactNode }) {
  return (
    <Box component="span" sx={{ color: 'text.primary' }}>
      {children}
    </Box>
  );
}

interface LastFailureProps {
  testId: string;
  tone: LinkTone;
  /** "Reason", "Last failure"… */
  title: string;
  /** The failure in plain words, when it is one we know. */
  plain: string | null;
  /** The adapter's own message, shown as it is. */
  detail: string;
  /** Lines under the detail: what Reachback does about it, which number and dialog it concerned… */
  children?: ReactNode;
}

/** The last failure: plain words first, the technical text under it (`<testId>-plain`, `<testId>-detail`). */
export function LastFailure({ testId, tone, title, plain, detail, children }: LastFailureProps) {
  return (
    <Alert
      severity={tone === 'success' ? 'info' : tone}
      variant="outlined"
      data-testid={testId}
      sx={{ '& .MuiAlert-message': { minWidth: 0 } }}
    >
      <Typography variant="caption" color="text.secondary" component="div">
        {title}
      </Typography>
      {plain && (
        <Typography variant="body2" sx={{ fontWeight: 600 }} data-testid={`${testId}-plain`}>
          {plain}
        </Typography>
      )}
      <Typography
        variant="body2"
        component="div"
        sx={{ fontFamily: monoFontFamily, fontSize: '0.75rem', mt: 0.5, overflowWrap: 'anywhere' }}
        data-testid={`${testId}-detail`}
      >
        {detail}
      </Typography>
      {children}
    </Alert>
  );
}

/** A small line under a failure's detail. */
export function FailureNote({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Typography variant="caption" color="text.secondary" component="div" sx={{ mt: 0.75 }} data-testid={testId}>
      {children}
    </Typography>
  );
}

/** A big number with its caption; put two or three in a row. `raw` is the number for tests (`data-value`). */
export function Metric({ label, value, raw, testId }: { label: string; value: string; raw?: number; testId: string }) {
  return (
    <Box sx={{ flex: 1, minWidth: 0 }}>
      <Typography variant="h2" component="div" data-testid={testId} data-value={raw} sx={{ fontSize: '1.6rem', lineHeight: 1.2 }}>
        {value}
      </Typography>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
    </Box>
  );
}

export interface CounterRow {
  key: string;
  label: string;
  value: number;
  /** A count that means trouble: amber when not zero. */
  problem?: boolean;
  /** Shown instead of the number (a time, "—"). */
  text?: string;
}

export interface CounterGroup {
  id: string;
  title: string;
  rows: CounterRow[];
}

/** Counters in groups, label left and number right; `<testIdPrefix>-counter-<key>` carries `data-value`. */
export function CounterGroups({ groups, testIdPrefix }: { groups: CounterGroup[]; testIdPrefix: string }) {
  const f = useFormat();
  return (
    <Stack spacing={1.25} data-testid={`${testIdPrefix}-counters`}>
      {groups.map((group) => (
        <Box key={group.id}>
          <Typography variant="caption" color="text.secondary" component="div" sx={{ fontWeight: 600, mb: 0.25 }}>
            {group.title}
          </Typography>
          <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: '1fr auto', columnGap: 2, rowGap: 0.25 }}>
            {group.rows.map(({ key, label, value, problem, text }) => (
              <Box key={key} sx={{ display: 'contents' }}>
                <Typography component="dt" variant="body2" color="text.secondary">
                  {label}
                </Typography>
                <Typography
                  component="dd"
                  variant="body2"
                  sx={{ m: 0, textAlign: 'right', fontWeight: 600, color: problem && value > 0 ? 'warning.main' : 'text.primary' }}
                  data-testid={`${testIdPrefix}-counter-${key}`}
                  data-value={value}
                >
                  {text ?? f.number(value)}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      ))}
    </Stack>
  );
}

interface FiguresProps {
  /** Two or three `<Metric>`s, shown in a row. */
  metrics: ReactNode;
  /** Under the metrics, e.g. why there is nothing to count. */
  note?: ReactNode;
  groups: CounterGroup[];
  testIdPrefix: string;
  /** Since when the counters count. */
  countedSince: string;
}

/** The numbers of a running link: big metrics, then the counters in groups. */
export function LinkFigures({ metrics, note, groups, testIdPrefix, countedSince }: FiguresProps) {
  return (
    <>
      <Divider />
      <Stack direction="row" spacing={2}>
        {metrics}
      </Stack>
      {note}
      <Divider />
      <CounterGroups groups={groups} testIdPrefix={testIdPrefix} />
      <Typography variant="caption" color="text.secondary">
        {countedSince}
      </Typography>
    </>
  );
}
