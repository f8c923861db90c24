/** Types for sipnet/network.mjs, the test SIP network (Kamailio + rtpengine on 127.0.0.1). */

export interface SipNetworkOptions {
  /** UDP port for SIP; absent or 0: a free port. */
  udpPort?: number;
  /** TCP port for SIP over WebSocket (ws://127.0.0.1:<port>); absent or 0: a free port. */
  wsPort?: number;
  /** rtpengine's NG control port; absent or 0: a free port. */
  rtpengineNgPort?: number;
  /** rtpengine sends one JSON line per RFC 4733 digit to 127.0.0.1:<port>; true picks a free port. */
  dtmfLogPort?: number | true;
  /** RTP ports rtpengine may use; default 30000-39999. */
  rtpPortRange?: [number, number];
  /** SIP domain of the registrar; default 'reachback.test'. */
  domain?: string;
  /** User part that rings the agent group; default 'agents'. */
  agentGroup?: string;
  /**
   * The core's agent-distribution endpoint. Kamailio asks
   * `GET <url>?caller=<E.164>&called=<E.164>&callid=<Call-ID>&attempt=<n>&tried=<a,b>`
   * and expects `{"agent":"<sip user>"}` or `{"agent":null}` (see sipnet/README.md).
   * Without it, calls to the agent group get 503.
   */
  distributionUrl?: string;
  /** Sent to the distribution endpoint as `Authorization: Bearer <token>` (a network token of the core). */
  distributionToken?: string;
  /** Seconds Kamailio waits for the distribution endpoint; default 2. */
  distributionTimeoutSeconds?: number;
  /** How long an agent's phone rings before the core is asked for the next agent; default 20000. */
  agentRingTimeoutMs?: number;
  /** SIP users and passwords; when given, REGISTER needs digest authentication (realm = domain). */
  users?: Record<string, string>;
  /** Directory for logs, pid files and the db_text tables; default a new temp directory, removed on stop. */
  rundir?: string;
  /** Keep the temp rundir (logs) after stop. */
  keepRundir?: boolean;
  /** Every log line of both daemons. */
  onLog?: (daemon: 'kamailio' | 'rtpengine', line: string) => void;
  /** Debug logging in both daemons. */
  verbose?: boolean;
  startTimeoutMs?: number;
  configPath?: string;
}

export interface DaemonHandle {
  readonly pid: number | undefined;
  /** The last lines it logged. */
  log(lines?: number): string;
}

export interface KamailioHandle extends DaemonHandle {
  readonly running: boolean;
  /** Starts it again with empty state (no registrations, no subscriptions) on the same ports. */
  start(): Promise<void>;
  /** Stops its process group; SIGKILL simulates a crash. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  restart(signal?: NodeJS.Signals): Promise<void>;
}

export interface SipNetwork {
  domain: string;
  agentGroup: string;
  udpPort: number;
  wsPort: number;
  wsUrl: string;
  rtpengineNgPort: number;
  dtmfLogPort: number | undefined;
  rundir: string;
  kamailio: KamailioHandle;
  rtpengine: DaemonHandle;
  /** Stops both process groups and waits for them; idempotent. */
  stop(): Promise<void>;
}

export const kamailioConfigPath: string;
export const requiredBinaries: { kamailio: string; rtpengine: string; sipp: string };

/** Starts rtpengine and Kamailio on 127.0.0.1 and resolves once both answer. */
export function startSipNetwork(options?: SipNetworkOptions): Promise<SipNetwork>;
/** Names of the tools that are not installed (kamailio, rtpengine, sipp). */
export function missingSipTools(): string[];
export function freePort(kind?: 'udp' | 'tcp'): Promise<number>;
export function portBusy(port: number, kind?: 'udp' | 'tcp'): Promise<boolean>;
/** SIP OPTIONS to 127.0.0.1:<port>; true when it answers 200. */
export function pingSip(port: number, timeoutMs?: number): Promise<boolean>;
/** rtpengine NG ping; true when it answers pong. */
export function pingRtpengine(port: number, timeoutMs?: number): Promise<boolean>;
/** Kills the daemons of networks whose Node process died without stop(); returns how many were found. Runs at every start. */
export function sweepOrphans(): number;
