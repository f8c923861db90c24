/** Types for sipnet/caller-scenario.mjs. */
/** The caller's answer to a request that arrived in the call (200 OK unless told), with an SDP body if given. */
export declare function reply(options?: { status?: string; sdp?: string }): string;
/** A request of the caller's inside the call (a re-INVITE, its ACK, a BYE), with an SDP body if given. */
export declare function inDialogRequest(method: string, cseq: number, options?: { sdp?: string }): string;
export declare const waitForBye: string;
export interface CallerScenarioOptions {
  /** X-Reachback-Session: the IVR session the caller was transferred from. */
  session?: string;
  /** Send X-Reachback-Called (default true). */
  withCalled?: boolean;
  /** sipp XML run after the opening speech and digit, in place of hanging up (default: wait for the agent's BYE). */
  then?: string;
}
/** Writes the scenario into `dir` and returns its path. */
export declare function callerScenario(dir: string, options?: CallerScenarioOptions): string;
