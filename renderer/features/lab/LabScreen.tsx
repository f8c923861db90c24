/**
 * The Lab: trainers and sales play every option of the service end to end on the embedded virtual network.
 * Left, a call is placed; centre, the IVR dialogue runs; right, the handsets receive the SMS that follow.
 */
import Box from '@mui/material/Box';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScreenHeader } from '../../components/ScreenHeader';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useDebounced } from '../../hooks/useDebounced';
import { useStore } from '../../store';
import { CallPanel } from './CallPanel';
import { HandsetsPanel } from './HandsetsPanel';
import { IvrPanel } from './IvrPanel';
import { useLab, type Dialogue } from './labStore';
import { useNumberTools, type NumberTools } from './numbers';

const freshMs = 6_000;
const maxHandsets = 20;
/** SMS state changes come in bursts (submitted, delivered); one reload covers a burst. */
const burstMs = 250;

/** The numbers a dialogue involves: caller and called party, or the caller and the subscriber a self-care call manages. */
function dialogueNumbers(dialogue: Dialogue, tools: NumberTools): string[] {
  if (dialogue.kind === 'missed') return [dialogue.caller, dialogue.callee];
  const managed = dialogue.progress.subscriber;
  return managed === null ? [dialogue.caller] : [dialogue.caller, tools.toE164(managed) ?? managed];
}

export function LabScreen() {
  const { t } = useTranslation();
  const me = useStore((s) => s.me?.id ?? null);
  const claim = useLab((s) => s.claim);
  useEffect(() => claim(me), [claim, me]);

  const tools = useNumberTools();
  const form = useLab((s) => s.form);
  const dialogue = useLab((s) => s.dialogue);
  const used = useLab((s) => s.numbers);
  const forgetNumbers = useLab((s) => s.forgetNumbers);

  // The handsets follow the numbers in the form as they are typed (once they read as numbers), then the ones used before.
  const selfcare = form.mode === 'selfcare';
  const typedCaller = tools.toE164(useDebounced(form.caller, 400));
  const typedCallee = tools.toE164(useDebounced(form.callee, 400));
  const typedFrom = tools.toE164(useDebounced(form.from, 400));
  const caller = selfcare ? typedFrom : typedCaller;
  const callee = selfcare ? null : typedCallee;
  const current = [caller, callee].filter((n): n is string => n !== null);
  const numbers = [...new Set([...current, ...(dialogue ? dialogueNumbers(dialogue, tools) : []), ...used])]
    .filter((n) => n.startsWith('+'))
    .slice(0, maxHandsets);
  const handsets = useQuery('lab/handsets', { numbers }, { enabled: numbers.length > 0, intervalMs: 30_000 });
  const { reload } = handsets;

  const burst = useRef<ReturnType<typeof setTimeout> | null>(null);
  const reloadSoon = useCallback(() => {
    if (burst.current) return;
    burst.current = setTimeout(() => {
      burst.current = null;
      reload();
    }, burstMs);
  }, [reload]);

  // Messages that just arrived are highlighted for a few seconds.
  const [fresh, setFresh] = useState<ReadonlySet<number>>(() => new Set());
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
      if (burst.current) clearTimeout(burst.current);
    };
  }, []);
  useCoreEvent('virtual-smsc/delivered', (message) => {
    if (!numbers.includes(message.to)) return;
    setFresh((s) => new Set(s).add(message.id));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFresh((s) => {
        const next = new Set(s);
        next.delete(message.id);
        return next;
      });
    }, freshMs);
    timers.current.add(timer);
    reloadSoon();
  });
  // Only changes that concern a handset on screen reload them.
  useCoreEvent('calls/changed', ({ callee: number }) => numbers.includes(number) && reloadSoon());
  useCoreEvent('sms/changed', ({ to }) => numbers.includes(to) && reloadSoon());

  const subscribers = new Set((handsets.data ?? []).flatMap((h) => (h.subscriber ? [h.msisdn] : [])));
  const calleeHandset = dialogue?.kind === 'missed' ? handsets.data?.find((h) => h.msisdn === dialogue.callee) : undefined;
  const extra = used.some((n) => !current.includes(n));

  return (
    <Box data-testid="screen-lab" sx={{ flex: 1, minHeight: 0, display: 'flex', flexDirection: 'column' }}>
      <ScreenHeader title={t('lab.title')} subtitle={t('lab.subtitle')} />
      <Box
        sx={{
          flex: 1,
          minHeight: { lg: 600 },
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: '300px minmax(0, 1fr)', lg: '280px minmax(0, 1fr) minmax(340px, 0.85fr)' },
          gridTemplateRows: { lg: 'minmax(0, 1fr)' },
          '& > :nth-of-type(3)': { gridColumn: { md: '1 / -1', lg: 'auto' } },
        }}
      >
        <CallPanel tools={tools} handsetNumbers={numbers} onNetworkChange={reloadSoon} />
        <IvrPanel tools={tools} calleePresence={calleeHandset?.presence ?? null} subscribers={subscribers} onNetworkChange={reloadSoon} />
        <HandsetsPanel
          numbers={numbers}
          caller={caller}
          callee={callee}
          handsets={handsets}
          fresh={fresh}
          tools={tools}
          onForget={extra ? forgetNumbers : undefined}
        />
      </Box>
    </Box>
  );
}
